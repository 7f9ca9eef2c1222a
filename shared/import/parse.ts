import {
  extractAnnotations,
  isAnnotationLine,
  readKeyed,
  type Responsibility,
} from './annotations.ts';
import { build, hasResponsibility } from './build.ts';
import { readsLikeWorkPlan } from './heuristics.ts';
import { POINT_RE, kindRank, markerAt, usesDecimalOutline, type MarkerKind } from './markers.ts';
import { hanToNumber } from './numerals.ts';
import { readTable, tableHeader, type TableColumns } from './table.ts';
import {
  ImportError,
  MAX_IMPORT_CHARS,
  importErrorMessage,
  type Outline,
  type OutlineNode,
} from './types.ts';

/** A node while the outline is being read. */
interface RawNode {
  readonly kind: MarkerKind | 'row';
  readonly number: string;
  /** The rest of the marker's line. */
  headline: string;
  /** The lines below the heading, one paragraph each. */
  readonly lines: string[];
  readonly annotations: Responsibility;
  readonly children: RawNode[];
  /** Fields a table row sets directly. */
  readonly row?: OutlineNode;
}

const TERMINATORS = '。；;：:！？!?';
const SENTENCE_END = /[。；;！？!?]$/;
const DATE_LINE =
  /^(\d{4}|[〇零一二三四五六七八九]{4})[ \u3000]*年[ \u3000]*[\d一二三四五六七八九十]{1,3}[ \u3000]*月[ \u3000]*[\d一二三四五六七八九十]{1,3}[ \u3000]*日$/;
const PUBLISH_LINE = /^[（(]此件.{0,10}[）)]$/;
/** An issuing office's name on a line of its own. */
const ORG_LINE =
  /^[^，,。；;：:、]{2,30}(党组|党委|党工委|委员会|人民政府|政府|局|厅|办公室|支部|总支|中心|公司)$/;
/** How the titles of plans end. */
const PLAN_KIND = /(要点|方案|意见|清单|计划|办法|细则|分工|安排)$/;
/** Page numbers left by a PDF or Word conversion: “— 2 —”, “- 2 -”, “第 2 页 共 5 页”. */
const PAGE_LINE = /^[-—–－]\s*\d+\s*[-—–－]$|^第\s*\d+\s*页(?:[,，\s]*共\s*\d+\s*页)?$/;
const TOC_ENTRY_TAIL = /[ \u3000]*(?:[.．…·•‥_\-—]{2,}|\t)[ \u3000]*\d*[ \u3000]*$/;

/**
 * Reads the outline of a Chinese policy document (实施意见, 工作要点, 工作方案, 整改方案,
 * 任务分工 …): its title, preamble, and the tree of headings and points with their
 * responsibility annotations. Pure and synchronous.
 *
 * Throws an ImportError ('empty', 'binary', 'too-large', 'no-outline') when the text cannot
 * be a plan; text that has an outline but does not read like a work plan comes back with a
 * warning instead.
 */
export function importPolicyText(text: string): Outline {
  if (text.length > MAX_IMPORT_CHARS)
    throw new ImportError('too-large', importErrorMessage('too-large'));
  const normalized = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?|[\u2028\u2029\f\v\u0085]/g, '\n')
    .replace(/[\u00a0\u200b\uFEFF]/g, (c) => (c === '\u00a0' ? ' ' : ''));
  if (normalized.trim() === '') throw new ImportError('empty', importErrorMessage('empty'));
  if (controlRatio(normalized) > 0.01)
    throw new ImportError('binary', importErrorMessage('binary'));

  const reader = new OutlineReader(prepareLines(normalized));
  const outline = reader.read();
  if (countNodes(outline.nodes) < 2)
    throw new ImportError('no-outline', importErrorMessage('no-outline'));
  if (!readsLikeWorkPlan(normalized, outline.title))
    outline.warnings.push(
      '这份文字不像工作计划（很少出现“工作”“落实”“责任”等词），请确认后再创建清单。 (This text does not read like a work plan; check it before creating a plan.)',
    );
  return outline;
}

/**
 * `importPolicyText` as a result value instead of a throw, for callers that show the error
 * (the import dialog, the CLI).
 */
export function tryImportPolicyText(
  text: string,
): { ok: true; outline: Outline } | { ok: false; error: ImportError } {
  try {
    return { ok: true, outline: importPolicyText(text) };
  } catch (e) {
    if (e instanceof ImportError) return { ok: false, error: e };
    throw e;
  }
}

function controlRatio(text: string): number {
  let bad = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a) || c === 0xfffd || c === 0x7f) bad++;
  }
  return bad / text.length;
}

function countNodes(nodes: readonly OutlineNode[]): number {
  let n = 0;
  for (const node of nodes) n += 1 + countNodes(node.children);
  return n;
}

// ---------------------------------------------------------------------------------------
// Lines

/** Splits into cleaned lines: indentation gone, spaced-out titles closed up, wraps joined. */
function prepareLines(text: string): string[] {
  let raw = text.split('\n');
  const nonBlank = raw.filter((l) => l.trim() !== '');
  // No line breaks at all (pasted from a web page): paragraphs survive as runs of spaces.
  if (nonBlank.length <= 2) {
    raw = raw.flatMap((l) => l.split(/[ ]{2,}|\u3000+|\t{2,}/));
    const first = raw.findIndex((l) => l.trim() !== '');
    const head = raw[first];
    if (head !== undefined) {
      const m =
        /^(.{4,60}?(?:实施意见|工作要点|工作方案|整改方案|实施方案|工作计划|责任清单|任务分工|方案|要点|意见|通知|办法|计划|细则))(?=\S)/.exec(
          head.trim(),
        );
      if (m && !/[。，,；;：:]/.test(m[1] ?? '') && markerAt(head.trim(), false) === null)
        raw.splice(first, 1, m[1] ?? '', head.trim().slice((m[1] ?? '').length));
    }
  }
  // Page numbers go first: a page break must not stop a wrapped line from being joined.
  const physical: string[] = [];
  const cleaned: string[] = [];
  for (const l of raw) {
    const trimmed = l.replace(/[\s\u3000]+$/, '');
    const clean = cleanLine(trimmed);
    if (PAGE_LINE.test(clean)) continue;
    physical.push(trimmed);
    cleaned.push(clean);
  }
  return joinHardWraps(physical, cleaned);
}

function cleanLine(raw: string): string {
  // Markdown from a converter: “## 一、总体要求”, “**（一）加强领导**”.
  const line = raw
    .replace(/^([ \u3000]*)#{1,6}[ \t]+/, '$1')
    .replace(/^([ \u3000]*)\*\*(.+?)\*\*/, '$1$2');
  const isRow = /\S\t|\t\S/.test(line.replace(/^[ \u3000]+/, '')) && line.includes('\t');
  const trimmed = isRow
    ? line.replace(/^[ \u3000]+|[ \u3000]+$/g, '')
    : line.replace(/^[\s\u3000]+|[\s\u3000]+$/g, '');
  if (isRow) return trimmed;
  const whole = closeUp(trimmed);
  if (whole !== null) return whole;
  // 一、加 强 学 习: a heading whose words are spaced out.
  const m = markerAt(trimmed, false);
  if (m !== null) {
    const rest = closeUp(trimmed.slice(m.length));
    if (rest !== null) return trimmed.slice(0, m.length) + rest;
  }
  return trimmed;
}

/** 国 家 粮 食 局 / 目 录 / 某 某 县 2024 年 (letters spaced out for looks) closed up; else null. */
function closeUp(s: string): string | null {
  const tokens = s.split(/[ \u3000]+/);
  if (
    tokens.length >= 2 &&
    tokens.every((t) => /^[\u3400-\u9fff《》“”（）()、·]$|^[0-9０-９]+$/.test(t)) &&
    tokens.filter((t) => /^[\u3400-\u9fff]$/.test(t)).length >= 2
  )
    return tokens.join('');
  return null;
}

function cpLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Columns a line takes in a fixed-width layout: 2 for Chinese and full-width, 1 for ASCII. */
function displayWidth(s: string): number {
  let n = 0;
  for (const ch of s) n += (ch.codePointAt(0) ?? 0) < 0x80 ? 1 : 2;
  return n;
}

/**
 * A document hard-wrapped at a fixed width (text converted from PDF or a fixed-width editor:
 * most long lines the same width) has its wrapped lines joined back into paragraphs. A line
 * continues on the next one when it is full and the next one is not indented, not a heading
 * and not an annotation. `physical` are the lines as written, `lines` the cleaned ones.
 */
function joinHardWraps(physical: readonly string[], lines: readonly string[]): string[] {
  const counts = new Map<number, number>();
  let long = 0;
  let indented = 0;
  for (const l of physical) {
    if (l.trim() === '') continue;
    if (/^[\s\u3000]/.test(l)) indented++;
    if (l.includes('\t')) continue;
    const n = displayWidth(l);
    if (n < 30) continue;
    long++;
    counts.set(n, (counts.get(n) ?? 0) + 1);
  }
  let width = 0;
  let best = 0;
  for (const [n, c] of counts) {
    const near = c + (counts.get(n - 1) ?? 0);
    if (near > best || (near === best && n > width)) [width, best] = [n, near];
  }
  if (best < 3 || best / long < 0.3) return joinLongLines([...lines]);
  // Paragraphs start indented (most lines after a short, paragraph-ending line are): then a
  // full line that ends a sentence at the edge may still go on.
  let starts = 0;
  let indentedStarts = 0;
  for (let i = 1; i < physical.length; i++) {
    const before = physical[i - 1] ?? '';
    const here = physical[i] ?? '';
    if (before.trim() === '' || here.trim() === '' || displayWidth(before) >= width - 3) continue;
    starts++;
    if (/^[\s\u3000]/.test(here)) indentedStarts++;
  }
  const indentStyle = indented >= 3 && starts > 0 && indentedStarts / starts >= 0.6;
  const out: string[] = [];
  let prevPhysical = '';
  lines.forEach((line, i) => {
    const here = physical[i] ?? '';
    const prev = out[out.length - 1];
    if (
      prev !== undefined &&
      line !== '' &&
      prev !== '' &&
      !here.includes('\t') &&
      !prevPhysical.includes('\t') &&
      !/^[\s\u3000]/.test(here) &&
      displayWidth(prevPhysical) >= width - 3 &&
      (indentStyle || (!SENTENCE_END.test(prev) && !/[：:]$/.test(prev))) &&
      markerAt(line, false) === null &&
      !isAnnotationLine(line) &&
      !DATE_LINE.test(line)
    ) {
      out[out.length - 1] = prev + line;
    } else out.push(line);
    prevPhysical = here;
  });
  return out;
}

/**
 * Below the first heading, a long body line that does not end a sentence is a line wrapped
 * by hand or by a converter: it continues on the next line.
 */
function joinLongLines(lines: string[]): string[] {
  const out: string[] = [];
  let outlineStarted = false;
  let prevIsBody = false;
  for (const line of lines) {
    const isMarker = markerAt(line, false) !== null;
    const prev = out[out.length - 1];
    if (
      outlineStarted &&
      prevIsBody &&
      prev !== undefined &&
      line !== '' &&
      !isMarker &&
      !line.includes('\t') &&
      !prev.includes('\t') &&
      // Long and not ending a sentence, or ending mid-sentence (，、).
      (/[，,、]$/.test(prev) || (cpLength(prev) >= 20 && !/[。！？；：:;!?…]$/.test(prev))) &&
      !isAnnotationLine(line) &&
      !isAnnotationLine(prev) &&
      !DATE_LINE.test(line)
    ) {
      out[out.length - 1] = prev + line;
      continue;
    }
    if (isMarker) outlineStarted = true;
    // A heading alone on its line may lack a full stop; one that already has a sentence in it
    // and runs on without one was wrapped.
    prevIsBody = line !== '' && (!isMarker || /[。；;！？!?]/.test(line));
    out.push(line);
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// The reader

function strip(s: string): string {
  return s.replace(/[《》〈〉“”"'\s\u3000]/g, '');
}

function isRedHeader(line: string): boolean {
  return (
    (/文件$/.test(line) && cpLength(line) <= 30) ||
    /[〔［[]\s*\d{4}\s*[〕］\]]\s*\d+\s*号/.test(line) ||
    /^签发人/.test(line) ||
    /^(机密|秘密|绝密|特急|加急|平急)(★|\s|$)/.test(line)
  );
}

function isAttachmentLabel(line: string): boolean {
  return /^附[ \u3000]*件[ \u3000]*\d*[：:]?$/.test(line);
}

function isAddressee(line: string): boolean {
  if (!/[：:]$/.test(line) || cpLength(line) > 40 || /[。，,]/.test(line)) return false;
  return (
    /^各/.test(line) ||
    /、/.test(line) ||
    /(党支部|支部|股室|科室|单位|部门|同志们|委员会|党组|党委|局|中心|办公室)[：:]$/.test(line)
  );
}

function isTitleLike(line: string, decimal = false): boolean {
  return (
    line !== '' &&
    cpLength(line) <= 80 &&
    !/[。；;]/.test(line) &&
    !/[：:，,、]$/.test(line) &&
    markerAt(line, decimal) === null &&
    !isAnnotationLine(line) &&
    !DATE_LINE.test(line) &&
    !line.includes('\t')
  );
}

class OutlineReader {
  private readonly lines: string[];
  private readonly decimal: boolean;
  private readonly warnings: string[] = [];
  private readonly root: RawNode[] = [];
  private readonly preamble: string[] = [];
  private stack: { kind: MarkerKind; node: RawNode }[] = [];
  private readonly last = new Map<MarkerKind, { value: number; label: string }>();
  private title: string | null = null;
  /** The last line before the outline was 附件： (or an entry listed under it). */
  private afterAttachmentLabel = false;

  constructor(lines: string[]) {
    this.lines = dropSignOffs(lines);
    this.decimal = usesDecimalOutline(this.lines);
  }

  read(): Outline {
    let i = this.readFrontMatter();
    let toc: string[] | null = null;
    for (; i < this.lines.length; i++) {
      const line = this.lines[i] ?? '';
      if (line === '') continue;
      if (toc !== null) {
        // Page numbers go, even glued on (“一、总体要求3”), so a repeated heading matches.
        const entry = strip(line.replace(TOC_ENTRY_TAIL, '').replace(/[0-9０-９]+$/, ''));
        const first = toc[0];
        const isEntry = cpLength(line) <= 60 && !/[。；;]/.test(line) && entry !== first;
        if (isEntry && (toc.length === 0 || entry !== strip(this.title ?? ''))) {
          toc.push(entry);
          continue;
        }
        toc = null;
        if (entry === strip(this.title ?? '')) continue;
      }
      if (/^目录$/.test(line) && this.root.length === 0) {
        toc = [];
        continue;
      }
      if (TOC_ENTRY_TAIL.test(line) && /[.．…·]{4,}/.test(line)) continue;
      const header = tableHeader(line);
      if (header !== null) {
        i = this.readTable(i + 1, header) - 1;
        continue;
      }
      if (isAnnotationLine(line)) {
        const node = this.current();
        if (node !== null) {
          readKeyed(line.replace(/^[（(【[]|[）)】\]]$/g, ''), node.annotations);
          continue;
        }
      }
      this.readLine(line);
    }
    return {
      title: this.title,
      preamble: this.preamble.join('\n'),
      nodes: this.root.map(finish),
      warnings: this.warnings,
    };
  }

  /** Title, 通知 wrapper and letterhead; returns the index of the first line after them. */
  private readFrontMatter(): number {
    const lines = this.lines;
    let i = 0;
    while (
      i < lines.length &&
      (lines[i] === '' || isRedHeader(lines[i] ?? '') || isAttachmentLabel(lines[i] ?? ''))
    )
      i++;
    const first = lines[i] ?? '';
    if (!isTitleLike(first, this.decimal) || /^目录$/.test(first)) return i;
    let title = first;
    i++;
    while (i < lines.length) {
      const next = lines[i] ?? '';
      if (
        !isTitleLike(next, this.decimal) ||
        cpLength(next) > 40 ||
        /^[（(]/.test(next) ||
        /^目录$/.test(next)
      )
        break;
      if (cpLength(title) + cpLength(next) > 100) break;
      // A title wraps over two or three short lines; the addressee (…：), a subtitle
      // (（…通过）), a date or a sentence ends it.
      title += next;
      i++;
    }
    // The issuing office on a line of its own, then the title after a blank line.
    if (ORG_LINE.test(title) && !PLAN_KIND.test(title) && !/通知$/.test(title)) {
      let j = i;
      while (j < lines.length && lines[j] === '') j++;
      const next = lines[j] ?? '';
      if (isTitleLike(next, this.decimal) && cpLength(next) <= 60) {
        let k = j + 1;
        let rest = next;
        while (
          k < lines.length &&
          isTitleLike(lines[k] ?? '', this.decimal) &&
          cpLength(lines[k] ?? '') <= 40 &&
          !/^[（(]/.test(lines[k] ?? '')
        ) {
          rest += lines[k] ?? '';
          k++;
        }
        if (PLAN_KIND.test(rest) || /通知$/.test(rest)) {
          title += rest;
          i = k;
        }
      }
    }
    const wrapper = /关于(?:印发|转发|下发|发布|制定)(.+?)的通知$/.exec(title);
    if (wrapper) {
      const inner = (wrapper[1] ?? '').replace(/^《|》$/g, '');
      this.title = inner;
      // The attachment repeats its title (perhaps with the office's name in front); the
      // letter above it is not part of the plan.
      const name = strip(inner);
      for (let j = i; j < lines.length; j++) {
        const l = lines[j] ?? '';
        const next = lines[j + 1] ?? '';
        if (markerAt(l, this.decimal) !== null && !isAttachmentListing(lines, j)) break;
        if (!isTitleLike(l, this.decimal) || /印发|通知|^附[ \u3000]*件/.test(l)) continue;
        const one = strip(l);
        const two = strip(l + next);
        if (
          isTitleLike(next, this.decimal) &&
          cpLength(next) <= 40 &&
          (two === name || two.endsWith(name))
        ) {
          this.title = l + next;
          return j + 2;
        }
        if (one === name || (one.endsWith(name) && one.length <= name.length + 30)) {
          this.title = l;
          return j + 1;
        }
      }
      // The 通知 names its attachments together (“印发…要点和任务清单的通知”): the attachment
      // is the last plan-like title above the first heading.
      const first = lines.findIndex(
        (l, j) => j >= i && markerAt(l, this.decimal) !== null && !isAttachmentListing(lines, j),
      );
      for (let j = first - 1; j >= i; j--) {
        const l = lines[j] ?? '';
        if (l === '') continue;
        if (
          isTitleLike(l, this.decimal) &&
          PLAN_KIND.test(l) &&
          !/通知$|^附[ \u3000]*件|^\d/.test(l)
        ) {
          this.title = l;
          return j + 1;
        }
        if (/[。；;]/.test(l)) break;
      }
      return i;
    }
    this.title = title;
    return i;
  }

  private current(): RawNode | null {
    return this.stack[this.stack.length - 1]?.node ?? null;
  }

  private readLine(line: string): void {
    for (const segment of this.splitAtMarkers(line)) {
      // “附件：1.重点任务分工表 2.…”: a list of attachments, wherever it stands, is not outline.
      const attachment =
        isAttachmentLabel(segment) || /^附[ \u3000]*件[ \u3000]*\d*[：:]/.test(segment);
      if (attachment || this.listsAttachment(segment)) {
        this.afterAttachmentLabel = true;
        continue;
      }
      this.afterAttachmentLabel = false;
      const m = markerAt(segment, this.decimal);
      if (m !== null) {
        this.open(m.kind, m.label, m.value, segment.slice(m.length));
        continue;
      }
      const node = this.current();
      if (node === null) {
        // （2024年2月28日局党组会议审议通过）: how the document was adopted, not its text.
        const adopted = /^[（(][^（）()]*(通过|印发|发布|修订|施行)[）)]$/.test(segment);
        if (adopted || isAddressee(segment) || PUBLISH_LINE.test(segment)) continue;
        this.preamble.push(segment);
      } else node.lines.push(segment);
    }
  }

  /** A numbered line right under 附件： (“1.重点任务分工表”): an attachment's name. */
  private listsAttachment(segment: string): boolean {
    return (
      this.afterAttachmentLabel &&
      /^[0-9０-９]{1,2}[.．、]/.test(segment) &&
      cpLength(segment) <= 50 &&
      !/[。；;]/.test(segment)
    );
  }

  /**
   * A heading in the middle of a line, after the end of a sentence, when it continues the
   * numbering (（二） after （一）) or starts it: “…落到实处。（二）细化工作措施。…”.
   */
  private splitAtMarkers(line: string): string[] {
    const out: string[] = [];
    let start = 0;
    const last = new Map(this.last);
    const head = markerAt(line, this.decimal);
    if (head !== null) last.set(head.kind, { value: head.value, label: head.label });
    const re = /[。；;！？!?][ \u3000]*/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(line)) !== null) {
      const at = m.index + m[0].length;
      if (at >= line.length) break;
      const mk = markerAt(line.slice(at), this.decimal);
      if (mk === null || mk.kind === 'article') continue;
      const prev = last.get(mk.kind);
      if (mk.value !== 1 && (prev === undefined || mk.value !== prev.value + 1)) continue;
      last.set(mk.kind, { value: mk.value, label: mk.label });
      out.push(line.slice(start, at).trim());
      start = at;
    }
    out.push(line.slice(start).trim());
    return out.filter((s) => s !== '');
  }

  private open(kind: MarkerKind, number: string, value: number, headline: string): RawNode {
    const prev = this.last.get(kind);
    if (prev !== undefined && value !== 1 && value !== prev.value + 1)
      this.warnings.push(
        `编号不连续：“${number}”前面是“${prev.label}”。 (Numbering skips: ${number} follows ${prev.label}.)`,
      );
    this.last.set(kind, { value, label: number });
    const node: RawNode = {
      kind,
      number,
      headline,
      lines: [],
      annotations: { owners: [] },
      children: [],
    };
    const at = this.stack.findIndex((e) => e.kind === kind);
    if (at >= 0) this.stack = this.stack.slice(0, at);
    else
      while (
        this.stack.length > 0 &&
        kindRank(this.stack[this.stack.length - 1]!.kind) >= kindRank(kind)
      )
        this.stack.pop();
    const parent = this.current();
    (parent === null ? this.root : parent.children).push(node);
    this.stack.push({ kind, node });
    return node;
  }

  /** Reads table rows from line `i` on; returns the index of the first line after them. */
  private readTable(i: number, columns: TableColumns): number {
    const { rows, end } = readTable(this.lines, i, columns);
    for (const row of rows) {
      if (row.heading !== undefined) {
        this.readLine(row.heading);
        continue;
      }
      const parent = this.current();
      const node: RawNode = {
        kind: 'row',
        number: row.node.number,
        headline: '',
        lines: [],
        annotations: { owners: [] },
        children: [],
        row: row.node,
      };
      (parent === null ? this.root : parent.children).push(node);
    }
    return end;
  }
}

function isAttachmentListing(lines: readonly string[], j: number): boolean {
  for (let k = j - 1; k >= 0 && k >= j - 4; k--)
    if (/^附[ \u3000]*件/.test(lines[k] ?? '')) return true;
  return false;
}

/** Removes sign-offs: dates, the signing office above a date, （此件公开发布）, page numbers. */
function dropSignOffs(lines: string[]): string[] {
  const drop = new Set<number>();
  lines.forEach((line, i) => {
    if (PUBLISH_LINE.test(line) || PAGE_LINE.test(line) || /^抄送[：:]/.test(line)) drop.add(i);
    if (/^\S.{0,40}[ \u3000]+\d{4}年\d{1,2}月\d{1,2}日印发$/.test(line)) drop.add(i);
    if (DATE_LINE.test(line)) {
      drop.add(i);
      let k = i - 1;
      while (k >= 0 && lines[k] === '') k--;
      const above = lines[k] ?? '';
      if (
        k >= 0 &&
        cpLength(above) <= 30 &&
        !/[。，,；;：:]/.test(above) &&
        markerAt(above, false) === null &&
        !isAnnotationLine(above)
      )
        drop.add(k);
    }
    if (/^[（(]?(联系人|联系电话)[：:]/.test(line)) drop.add(i);
  });
  // A signature with no date under it, as the very last line: the issuing office.
  let last = lines.length - 1;
  while (last >= 0 && (lines[last] === '' || drop.has(last))) last--;
  const tail = lines[last] ?? '';
  if (
    last > 0 &&
    cpLength(tail) <= 30 &&
    !/[。，,；;：:、]/.test(tail) &&
    markerAt(tail, false) === null &&
    /(党组|党委|委员会|支部|人民政府|政府|局|办公室|中心|委|厅|部)$/.test(tail)
  )
    drop.add(last);
  return lines.filter((_, i) => !drop.has(i));
}

// ---------------------------------------------------------------------------------------
// Finishing a node: title, body, points, annotations

/** Index of the first terminator outside 《》 and （）, or -1. */
function firstStop(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if ('《（(〈【'.includes(c)) depth++;
    else if ('》）)〉】'.includes(c)) depth = Math.max(0, depth - 1);
    else if (depth === 0) {
      if (TERMINATORS.includes(c)) return i;
      if (c === '\n') return i;
      // A half-width full stop between Chinese characters ends a sentence too.
      if (
        c === '.' &&
        /[\u3400-\u9fff）”]/.test(text[i - 1] ?? '') &&
        !/\d/.test(text[i + 1] ?? '')
      )
        return i;
    }
  }
  return -1;
}

function finish(raw: RawNode): OutlineNode {
  if (raw.row !== undefined) return raw.row;
  let headline = raw.headline.trim();
  const lines = [...raw.lines];
  if (headline === '' && lines.length > 0) headline = lines.shift() ?? '';
  let title: string;
  let rest: string;
  const stop = firstStop(headline);
  // “（一）加强组织领导，一是…；二是…”: the first point ends the title too.
  const firstPoint = findPoints([headline, ...lines].join('\n'))[0]?.start;
  if (
    firstPoint !== undefined &&
    firstPoint > 0 &&
    firstPoint < (stop < 0 ? headline.length : stop)
  ) {
    title = headline.slice(0, firstPoint);
    rest = headline.slice(firstPoint).trim();
  } else if (stop >= 0) {
    title = headline.slice(0, stop);
    rest = headline.slice(stop + 1).trim();
  } else {
    title = headline;
    rest = '';
    // A heading wrapped onto a second, short line with no sentence in it.
    const next = lines[0];
    if (
      next !== undefined &&
      cpLength(headline) >= 10 &&
      cpLength(next) <= 20 &&
      !/[。；;！？!?，,]/.test(next) &&
      !/[：:]$/.test(next)
    ) {
      title += next;
      lines.shift();
    }
  }
  const annotations: Responsibility = {
    ...raw.annotations,
    owners: [...raw.annotations.owners],
  };
  let text = [rest, ...lines].filter((s) => s !== '').join('\n');
  const points = findPoints(text);
  const children: OutlineNode[] = [];
  if (points.length > 0) {
    const firstPoint = points[0];
    const nodes = points.map((p) => p.node);
    // One annotation at the very end of a paragraph of points, none after the others: it
    // closes the paragraph, so it belongs to the heading, not to the last point.
    const last = nodes[nodes.length - 1];
    if (
      last !== undefined &&
      nodes.length >= 2 &&
      hasResponsibility(last) &&
      !nodes.slice(0, -1).some(hasResponsibility)
    ) {
      mergeNode(annotations, last);
      nodes[nodes.length - 1] = {
        number: last.number,
        title: last.title,
        body: last.body,
        children: last.children,
      };
    }
    children.push(...nodes);
    text = text.slice(0, firstPoint?.start ?? text.length);
  }
  // Owners written in the heading's own text (before any point) or ending a heading.
  const titleParts: Responsibility = { owners: [] };
  title = extractAnnotations(title, titleParts, false).replace(/[，,、\s]+$/, '');
  let body = extractAnnotations(text.trim(), annotations);
  merge(annotations, titleParts);
  body = body.trim();
  children.push(...raw.children.map(finish));
  return build(raw.number, title.trim(), body, annotations, children);
}

/** Moves a point's annotations onto its heading's (the point's lead was a leader or unit). */
function mergeNode(into: Responsibility, n: OutlineNode): void {
  if (n.lead !== undefined) {
    if (n.owners?.includes(n.lead) === true) into.leadUnit ??= n.lead;
    else into.leader ??= n.lead;
  }
  into.deadline ??= n.deadline;
  into.person ??= n.assignee;
  for (const o of n.owners ?? []) if (!into.owners.includes(o)) into.owners.push(o);
}

function merge(into: Responsibility, from: Responsibility): void {
  into.leader ??= from.leader;
  into.leadUnit ??= from.leadUnit;
  into.person ??= from.person;
  into.deadline ??= from.deadline;
  for (const o of from.owners) if (!into.owners.includes(o)) into.owners.push(o);
}

interface Point {
  readonly start: number;
  readonly node: OutlineNode;
}

/** 一是…二是… / 一要…二要…: the inline enumeration in a node's text, each item a point. */
function findPoints(text: string): Point[] {
  const candidates: { index: number; value: number; verb: string; length: number }[] = [];
  for (const m of text.matchAll(POINT_RE)) {
    const before = text.slice(0, m.index).replace(/[ \u3000]+$/, '');
    const prevChar = before[before.length - 1];
    // At the start, or after the end of a clause: 统一是 / 唯一是 are words, not markers.
    if (prevChar !== undefined && !/[。；;：:！？!?，,\n]/.test(prevChar)) continue;
    const after = text[m.index + m[0].length] ?? '';
    // 一是一、二是二: an idiom.
    if (/[一二三四五六七八九十]/.test(after)) continue;
    if (after === '' || /[，,。]/.test(after)) continue;
    candidates.push({
      index: m.index,
      value: hanToNumber(m[1] ?? ''),
      verb: m[2] ?? '',
      length: m[0].length,
    });
  }
  // Longest runs of 1, 2, 3 … with the same verb; a lone 一是 is not an enumeration.
  const runs: (typeof candidates)[] = [];
  let run: typeof candidates = [];
  for (const c of candidates) {
    const tail = run[run.length - 1];
    if (tail !== undefined && c.value === tail.value + 1 && c.verb === tail.verb) run.push(c);
    else if (c.value === 1) {
      if (run.length >= 2) runs.push(run);
      run = [c];
    }
  }
  if (run.length >= 2) runs.push(run);
  const chosen = runs.flat();
  const points: Point[] = [];
  chosen.forEach((c, i) => {
    const end = chosen[i + 1]?.index ?? text.length;
    const chunk = text.slice(c.index + c.length, end).trim();
    const stop = firstStop(chunk);
    const r: Responsibility = { owners: [] };
    let title = stop >= 0 ? chunk.slice(0, stop) : chunk;
    let body = stop >= 0 ? chunk.slice(stop + 1).trim() : '';
    title = extractAnnotations(title, r, false).replace(/[，,、\s]+$/, '');
    body = extractAnnotations(body, r);
    points.push({
      start: c.index,
      node: build(text.slice(c.index, c.index + c.length), title, body, r, []),
    });
  });
  return points;
}
