import { splitNames, type Responsibility } from './annotations.ts';
import { build } from './build.ts';
import { markerAt } from './markers.ts';
import type { OutlineNode } from './types.ts';

/** Which column of a task table holds what. */
export interface TableColumns {
  readonly number?: number;
  readonly title?: number;
  readonly body: readonly number[];
  readonly leader?: number;
  readonly leadUnit?: number;
  readonly owners: readonly number[];
  readonly person?: number;
  readonly deadline?: number;
}

/** A table row: a task, or a heading row (一、政治建设方面) that groups the rows below it. */
export type TableRow =
  | { readonly heading: string; readonly node?: undefined }
  | { readonly heading?: undefined; readonly node: OutlineNode };

function cells(line: string): string[] {
  return line.split('\t').map((c) => c.replace(/^[\s\u3000"]+|[\s\u3000"]+$/g, ''));
}

/**
 * The columns of a tab-separated task table when `line` is its header row (序号/工作任务/
 * 责任单位/完成时限, 存在问题/整改措施/责任领导/…); null otherwise.
 */
export function tableHeader(line: string): TableColumns | null {
  if (!line.includes('\t')) return null;
  const names = cells(line).map((c) => c.replace(/[\s\u3000]/g, ''));
  if (names.filter((n) => n !== '').length < 3) return null;
  let number: number | undefined;
  let title: number | undefined;
  let leader: number | undefined;
  let leadUnit: number | undefined;
  let person: number | undefined;
  let deadline: number | undefined;
  const body: number[] = [];
  const owners: number[] = [];
  let known = 0;
  names.forEach((n, i) => {
    if (n === '') return;
    known++;
    if (/^(序号|编号|序)$/.test(n)) number ??= i;
    else if (/(牵头|责任|分管)领导|领导$/.test(n)) leader ??= i;
    else if (/^牵头(单位|部门|股室|科室|处室)/.test(n)) leadUnit ??= i;
    else if (/(责任|配合|协办|参与)(单位|股室|科室|部门|处室|支部)|责任主体/.test(n))
      owners.push(i);
    else if (/责任人/.test(n)) person ??= i;
    else if (/时限|时间|期限/.test(n)) deadline ??= i;
    else if (
      /工作任务|重点任务|任务名称|存在问题|问题|任务|事项|项目/.test(n) &&
      title === undefined
    )
      title = i;
    else if (/措施|内容|目标|要求|举措|工作/.test(n)) body.push(i);
    else known--;
  });
  if (title === undefined && body.length > 0) title = body.shift();
  if (title === undefined || known < 2) return null;
  return { number, title, body, leader, leadUnit, owners, person, deadline };
}

/** Reads rows from line `from` until the first line that is not a table row. */
export function readTable(
  lines: readonly string[],
  from: number,
  columns: TableColumns,
): { rows: TableRow[]; end: number } {
  const rows: TableRow[] = [];
  let i = from;
  for (; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line === '') continue;
    if (!line.includes('\t')) break;
    const c = cells(line);
    const filled = c.filter((x) => x !== '');
    if (filled.length === 0) continue;
    if (filled.length === 1 && markerAt(filled[0] ?? '', false) !== null) {
      rows.push({ heading: filled[0] ?? '' });
      continue;
    }
    const at = (k: number | undefined): string => (k === undefined ? '' : (c[k] ?? ''));
    // 一 | 水利工程建设 | (empty): a category row that groups the rows below it.
    const num = at(columns.number);
    if (
      /^[一二三四五六七八九十]+[、．.]?$/.test(num) &&
      filled.length === 2 &&
      at(columns.title) !== ''
    ) {
      rows.push({ heading: `${num.replace(/[、．.]$/, '')}、${at(columns.title)}` });
      continue;
    }
    let title = at(columns.title);
    const bodyParts = columns.body.map(at).filter((x) => x !== '');
    // A long problem statement: its first clause is the title, the rest leads the body.
    if ([...title].length > 60) {
      const stop = title.search(/[。；;]/);
      if (stop > 0) {
        bodyParts.unshift(title.slice(stop + 1).trim());
        title = title.slice(0, stop);
      }
    }
    const r: Responsibility = { owners: [] };
    const leader = at(columns.leader);
    if (leader !== '') r.leader = leader;
    const leadUnits = splitNames(at(columns.leadUnit));
    if (leadUnits[0] !== undefined) r.leadUnit = leadUnits[0];
    for (const n of leadUnits) if (!r.owners.includes(n)) r.owners.push(n);
    for (const k of columns.owners)
      for (const name of splitNames(at(k))) {
        // 办公室（牵头）: the unit marked 牵头 leads.
        const marked = /^(.+?)[（(]牵头[）)]$/.exec(name);
        const n = marked?.[1] ?? name;
        if (marked !== null) r.leadUnit ??= n;
        if (!r.owners.includes(n)) r.owners.push(n);
      }
    const person = at(columns.person);
    if (person !== '') r.person = person;
    const deadline = at(columns.deadline);
    if (deadline !== '') r.deadline = deadline;
    const number = at(columns.number).replace(/[、.．]$/, '');
    rows.push({
      node: build(number, title, bodyParts.filter((x) => x !== '').join('\n'), r, []),
    });
  }
  return { rows, end: i };
}
