// The plan document at the size of a big year: 2,000 tasks, then a year of edits.
// Run with `npm run bench` (or `npm run bench -- plan`).
import os from 'node:os';
import * as Y from 'yjs';
import { addBranch, addTask, createPlan, readPlan, updateTask } from '../../shared/index.ts';

const TASKS = 2000;

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

/** 10 sections × 20 items × 9 points + the sections and items themselves ≈ 2,000 tasks. */
function build(doc: Y.Doc): string[] {
  createPlan(doc, { title: '基准计划', year: 2023 });
  const branches = Array.from({ length: 12 }, (_, i) =>
    addBranch(doc, { name: `第${i + 1}党支部` }),
  );
  const ids: string[] = [];
  for (let s = 0; ids.length < TASKS; s += 1) {
    const section = addTask(doc, null, { number: `${s + 1}、`, title: `第${s + 1}部分` });
    ids.push(section);
    for (let i = 0; i < 20 && ids.length < TASKS; i += 1) {
      const item = addTask(doc, section, { number: `（${i + 1}）`, title: `第${i + 1}项工作` });
      ids.push(item);
      for (let p = 0; p < 9 && ids.length < TASKS; p += 1)
        ids.push(
          addTask(doc, item, {
            number: `${p + 1}.`,
            title: `加强第${p + 1}方面的工作`,
            measures: '深入学习贯彻党的二十大精神，严格落实全面从严治党主体责任。',
            owners: [branches[p % branches.length] as string],
            deadline: { text: '2023年6月底前', date: '2023-06-30' },
          }),
        );
    }
  }
  return ids;
}

const rows: [string, string][] = [];
const doc = new Y.Doc();
let t = process.hrtime.bigint();
const ids = build(doc);
rows.push([`build a plan of ${ids.length} tasks`, `${ms(t).toFixed(0)} ms`]);

const reads: number[] = [];
for (let i = 0; i < 5; i += 1) {
  t = process.hrtime.bigint();
  readPlan(doc);
  reads.push(ms(t));
}
rows.push(['readPlan, 2,000 tasks (median of 5)', `${median(reads).toFixed(1)} ms`]);

const update = Y.encodeStateAsUpdate(doc);
rows.push(['encoded state, whole plan', `${(update.length / 1024).toFixed(0)} KiB`]);
rows.push(['encoded state per task', `${(update.length / ids.length).toFixed(0)} B`]);

t = process.hrtime.bigint();
const statuses = ['todo', 'doing', 'done'] as const;
for (let i = 0; i < 10_000; i += 1)
  updateTask(doc, ids[(i * 7919) % ids.length] as string, { status: statuses[i % 3] });
const tenK = ms(t);
rows.push([
  '10,000 single-field edits',
  `${tenK.toFixed(0)} ms (${((tenK / 10_000) * 1000).toFixed(0)} µs each)`,
]);

// A year-like history: 50,000 edits spread over fields and texts, as a bureau's year has.
t = process.hrtime.bigint();
for (let i = 0; i < 50_000; i += 1) {
  const id = ids[(i * 104729) % ids.length] as string;
  if (i % 3 === 0) updateTask(doc, id, { notes: `第${i}次进展：已完成阶段性工作` });
  else if (i % 3 === 1) updateTask(doc, id, { assignee: `责任人${i % 50}` });
  else updateTask(doc, id, { title: `加强第${i % 9}方面的工作（${i % 4}）` });
}
rows.push(['50,000 mixed edits (a year of history)', `${ms(t).toFixed(0)} ms`]);
const after: number[] = [];
for (let i = 0; i < 5; i += 1) {
  t = process.hrtime.bigint();
  readPlan(doc);
  after.push(ms(t));
}
rows.push(['readPlan after that history (median of 5)', `${median(after).toFixed(1)} ms`]);
const year = Y.encodeStateAsUpdate(doc);
rows.push(['encoded state after that history', `${(year.length / 1024).toFixed(0)} KiB`]);
const fresh = new Y.Doc();
t = process.hrtime.bigint();
Y.applyUpdate(fresh, year);
readPlan(fresh);
rows.push(['load that state into a fresh doc + readPlan', `${ms(t).toFixed(0)} ms`]);

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
process.stdout.write(
  `plan document benchmark — ${cpu}, ${os.cpus().length} cores, Node ${process.version}\n\n`,
);
process.stdout.write('| measure | result |\n| --- | --- |\n');
for (const [k, v] of rows) process.stdout.write(`| ${k} | ${v} |\n`);
