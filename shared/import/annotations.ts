/** Responsibility annotations: 牵头单位/责任单位/完成时限 lines, parentheticals and phrases. */

/** What an annotation says about a node. */
export interface Responsibility {
  /** A person: 牵头领导 / 责任领导 / 分管领导. */
  leader?: string;
  /** A unit that leads: 牵头单位, “A会同有关部门负责”. */
  leadUnit?: string;
  /** 责任人 */
  person?: string;
  /** Units in the order the text names them (the lead unit included). */
  owners: string[];
  deadline?: string;
}

type Role = 'leader' | 'lead-unit' | 'owners' | 'person' | 'deadline';

const KEYS: readonly (readonly [string, Role])[] = [
  ['牵头领导', 'leader'],
  ['责任领导', 'leader'],
  ['分管领导', 'leader'],
  ['牵头单位', 'lead-unit'],
  ['牵头部门', 'lead-unit'],
  ['牵头股室', 'lead-unit'],
  ['牵头科室', 'lead-unit'],
  ['责任单位', 'owners'],
  ['责任股室', 'owners'],
  ['责任科室', 'owners'],
  ['责任部门', 'owners'],
  ['责任支部', 'owners'],
  ['配合单位', 'owners'],
  ['协办单位', 'owners'],
  ['责任人', 'person'],
  ['完成时限', 'deadline'],
  ['整改时限', 'deadline'],
  ['完成时间', 'deadline'],
  ['整改时间', 'deadline'],
  ['办结时限', 'deadline'],
  ['时间节点', 'deadline'],
  ['时限要求', 'deadline'],
];

const KEY_ALT = KEYS.map(([k]) => k).join('|');
/** A key followed by a full- or half-width colon. */
const KEY_RE = new RegExp(`(${KEY_ALT})[ \\u3000]*[：:]`, 'g');
/** A line that is an annotation: it starts with a key (perhaps inside a parenthesis). */
const LINE_RE = new RegExp(`^[（(【\\[]?[ \\u3000]*(?:${KEY_ALT})[ \\u3000]*[：:]`);
/** A keyed parenthetical anywhere: （牵头单位：办公室；完成时限：6月底前）. */
const PAREN_RE = new RegExp(`[（(][ \\u3000]*((?:${KEY_ALT})[ \\u3000]*[：:][^（）()]*)[）)]`, 'g');
/** Keys ending a paragraph after its last sentence: “…落实到位。牵头单位：办公室；配合单位：各股室。” */
const TRAILING_KEYED_RE = new RegExp(
  `(^|[。；;！？!?\\n])[ \\u3000]*((?:${KEY_ALT})[ \\u3000]*[：:][^。\\n]*)[。．.]?[ \\u3000]*$`,
);
/** A trailing （A、B负责） / （A牵头，B配合）. */
const TRAILING_PAREN_RE = /[（(]([^（）()。\n]{2,80}?)[）)][。．.；;]?\s*$/;
/** A trailing sentence “(由)A会同B负责。”. */
const TOGETHER_RE =
  /(^|[。；;！？!?\n])[ \u3000]*(?:由)?([^。；;，,！？!?\n（）()]{2,30}?)会同([^。；;！？!?\n]{2,60}?)(?:共同)?负责[。．.；;]?\s*$/;

/** True when the whole line is a responsibility annotation. */
export function isAnnotationLine(line: string): boolean {
  return LINE_RE.test(line);
}

function roleOf(key: string): Role {
  for (const [k, r] of KEYS) if (k === key) return r;
  return 'owners';
}

/** “会同有关部门”: no particular unit. */
const GENERIC = /^(有关|相关)(部门|单位|股室|科室|方面)?$|^其[他它]/;

/** Splits 办公室、财务股，人事股等 into names. */
export function splitNames(value: string): string[] {
  return value
    .split(/[、，,；;／/\s\u3000]+/)
    .map((s) =>
      s
        .replace(/^(由|和|及)/, '')
        .replace(/(等|等单位|等部门)$/, '')
        .trim(),
    )
    .map((s) => s.replace(/[。．.]+$/, ''))
    .filter((s) => s !== '' && s.length <= 40);
}

function clean(value: string): string {
  return value.replace(/^[ \u3000]+|[ \u3000；;，,。．.]+$/g, '').trim();
}

/** Reads `key：value key：value` text into `into`. */
export function readKeyed(text: string, into: Responsibility): boolean {
  const found: { key: string; start: number; end: number }[] = [];
  for (const m of text.matchAll(KEY_RE))
    found.push({ key: m[1] ?? '', start: m.index, end: m.index + m[0].length });
  if (found.length === 0) return false;
  found.forEach((f, i) => {
    const next = found[i + 1];
    const value = clean(text.slice(f.end, next === undefined ? text.length : next.start)).replace(
      /[）)】\]]+$/,
      '',
    );
    if (value === '') return;
    switch (roleOf(f.key)) {
      case 'leader':
        into.leader ??= value;
        break;
      case 'lead-unit': {
        const names = splitNames(value);
        if (names[0] !== undefined) into.leadUnit ??= names[0];
        addOwners(into, names);
        break;
      }
      case 'owners':
        for (const name of splitNames(value)) {
          // 办公室（牵头）、人事股: the unit marked 牵头 leads.
          const lead = /^(.+?)[（(]牵头[）)]$/.exec(name);
          if (lead !== null) into.leadUnit ??= lead[1];
          addOwners(into, [lead?.[1] ?? name]);
        }
        break;
      case 'person':
        into.person ??= value;
        break;
      case 'deadline':
        into.deadline ??= value;
        break;
    }
  });
  return true;
}

function addOwners(into: Responsibility, names: readonly string[]): void {
  for (const n of names) if (!GENERIC.test(n) && !into.owners.includes(n)) into.owners.push(n);
}

/**
 * Takes the annotations out of a node's text: keyed parentheticals anywhere, and at the very
 * end a （A、B负责） or “A会同有关部门负责。”. A parenthesis in the middle of a sentence is
 * left alone: （党组） in 《党委（党组）…规定》 names no owner.
 */
export function extractAnnotations(text: string, into: Responsibility, keepStop = true): string {
  let out = text.replace(PAREN_RE, (all, inner: string) => (readKeyed(inner, into) ? '' : all));
  const keyed = TRAILING_KEYED_RE.exec(out);
  if (keyed !== null && readKeyed(keyed[2] ?? '', into))
    out = out.slice(0, keyed.index) + (keyed[1] ?? '');
  const tail = TRAILING_PAREN_RE.exec(out);
  if (tail) {
    const found = readTrailingParenthetical(tail[1] ?? '');
    if (found !== null) {
      merge(into, found);
      out = out.slice(0, tail.index) + (keepStop ? stopOf(tail[0]) : '');
    }
  }
  const together = TOGETHER_RE.exec(out);
  if (together) {
    const a = splitNames(together[2] ?? '');
    if (a.length > 0) {
      if (a[0] !== undefined) into.leadUnit ??= a[0];
      addOwners(into, a);
      addOwners(into, splitNames(together[3] ?? ''));
      out = out.slice(0, together.index) + (together[1] ?? '');
    }
  }
  return out.trim();
}

/** One point in time as plans write it: 2024年6月底, 6月30日, 年底, 第三季度. */
const WHEN =
  '(?:(?:\\d{4}|[〇零一二三四五六七八九]{4})年)?(?:(?:\\d{1,2}|[一二三四五六七八九十]{1,3})月(?:\\d{1,2}日|底|末|中旬|上旬|下旬|份)?|年底|年末|年内|上半年|下半年|全年|第?[一二三四]季度)';
/** A deadline: a time or a range of times, “前” and “完成” optional; or words for “ongoing”. */
const TIME = new RegExp(
  `^${WHEN}(?:(?:至|到|-|—|－|~|～)${WHEN})?(?:前|之前)?(?:完成|办结|到位)?$|^(?:长期坚持|持续推进|常态化推进|长期)$`,
);

/**
 * Reads the parenthetical that ends a node — （A、B负责）, （A牵头，B配合）, （A会同B负责）,
 * （2024年6月底前完成）, or several of these separated by commas — or null when any part
 * of it is something else (（详见附件）, （试行）), so that an ordinary aside is left alone.
 */
function readTrailingParenthetical(inner: string): Responsibility | null {
  const r: Responsibility = { owners: [] };
  const parts = inner
    .split(/[，,；;]/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0) return null;
  for (const part of parts) {
    let m: RegExpExecArray | null;
    if ((m = /^(?:由)?(.+?)会同(.+?)(?:共同)?负责$/.exec(part))) {
      const a = splitNames(m[1] ?? '');
      if (a[0] === undefined) return null;
      r.leadUnit ??= a[0];
      addOwners(r, a);
      addOwners(r, splitNames(m[2] ?? ''));
    } else if ((m = /^(?:由)?(.+?)(?:共同|分别|具体)?负责(?:落实)?$/.exec(part))) {
      const names = splitNames(m[1] ?? '');
      if (names.length === 0) return null;
      addOwners(r, names);
    } else if ((m = /^(.+?)牵头(?:负责)?$/.exec(part))) {
      const names = splitNames(m[1] ?? '');
      if (names[0] === undefined) return null;
      r.leadUnit ??= names[0];
      addOwners(r, names);
    } else if ((m = /^(.+?)(?:配合|参与|协助|协办)$/.exec(part))) {
      const names = splitNames(m[1] ?? '');
      if (names.length === 0) return null;
      addOwners(r, names);
    } else if (TIME.test(part)) {
      r.deadline ??= part.replace(/(完成|办结|到位)$/, '');
    } else return null;
  }
  return r;
}

function merge(into: Responsibility, from: Responsibility): void {
  if (from.leadUnit !== undefined) into.leadUnit ??= from.leadUnit;
  if (from.deadline !== undefined) into.deadline ??= from.deadline;
  addOwners(into, from.owners);
}

/** Keeps the sentence end that followed a removed trailing parenthetical. */
function stopOf(removed: string): string {
  return /[。．.]\s*$/.test(removed) ? '。' : '';
}
