import { asciiDigits, numeralValue } from './numerals.ts';

/** The kinds of outline label, each one level of a document's outline. */
export type MarkerKind =
  | 'part'
  | 'chapter'
  | 'jie'
  | 'han'
  | 'article'
  | 'paren-han'
  | 'arabic'
  | 'paren-arabic'
  | 'arabic-paren'
  | 'circled'
  | `decimal-${number}`;

/** An outline label found at the start of a line (or of a sentence). */
export interface Marker {
  readonly kind: MarkerKind;
  /** The label as the node shows it (see OutlineNode.number). */
  readonly label: string;
  /** Its numeric value: 一 → 1, （3） → 3, 1.2.1 → 1. */
  readonly value: number;
  /** Characters of the line the label and the space after it take. */
  readonly length: number;
}

/**
 * The usual nesting of official documents (GB/T 9704: 一、 → （一） → 1. → （1）), so that a
 * label kind seen for the first time lands at the right depth even when a level is skipped.
 */
export function kindRank(kind: MarkerKind): number {
  switch (kind) {
    case 'part':
      return 0;
    case 'chapter':
      return 1;
    case 'jie':
      return 2;
    case 'han':
      return 3;
    case 'article':
      return 4;
    case 'paren-han':
      return 5;
    case 'arabic':
      return 6;
    case 'paren-arabic':
      return 7;
    case 'arabic-paren':
      return 7.5;
    case 'circled':
      return 8;
    default:
      return 10 + Number(kind.slice('decimal-'.length));
  }
}

const HAN = '[一二三四五六七八九十百零〇]';
const DIG = '[0-9０-９]';
const SP = '[ \\t\\u3000]';
/** Units that make “1.5亿” or “2.3万元” a quantity, not a heading. */
const UNIT = /^[亿万千百元%％倍个米吨亩年月日天周岁次户]/;

const RE_CHAPTER = new RegExp(`^第(${HAN}+|${DIG}+)(部分|章|节|条)`);
const RE_HAN = new RegExp(`^(${HAN}{1,3})[、．.]`);
const RE_PAREN_HAN = new RegExp(`^[（(](${HAN}{1,3})[）)]`);
const RE_PAREN_ARABIC = new RegExp(`^[（(](${DIG}{1,2})[）)]`);
const RE_PAREN_DIGIT = /^([\u2474-\u2487])/;
const RE_ARABIC_PAREN = new RegExp(`^(${DIG}{1,2})[）)](?!${DIG})`);
const RE_CIRCLED = /^([\u2460-\u2473])/;
const RE_DECIMAL = new RegExp(`^(${DIG}{1,2}(?:[.．]${DIG}{1,2})+)(?!${DIG})[.．、]?`);
const RE_ARABIC = new RegExp(`^(${DIG}{1,2})([.．、])(?!${DIG})`);
const RE_DECIMAL_TOP = new RegExp(`^(${DIG}{1,2})${SP}+(?=[^\\s\\u3000\\d０-９.．])`);

function paren(label: string): string {
  return label.replace(/\(/g, '（').replace(/\)/g, '）');
}

function skipSpace(s: string, from: number): number {
  let i = from;
  while (i < s.length && /[ \t\u3000]/.test(s[i] ?? '')) i++;
  return i;
}

/**
 * The outline label at the start of `s`, or null. `decimal` says the document numbers its
 * headings 1 / 1.1 / 1.2.1, where a bare “1 总体要求” is a top-level heading.
 */
export function markerAt(s: string, decimal: boolean): Marker | null {
  let m: RegExpExecArray | null;
  if ((m = RE_CHAPTER.exec(s))) {
    const unit = m[2] ?? '';
    const next = s[m[0].length] ?? '';
    const rest = s.slice(m[0].length);
    // 第一条件 / 第一章节 / 第一部分的: the words “条件”, not the article “第一条”.
    if (unit === '条' && /^[件款例目线文]/.test(next)) return null;
    if (unit !== '条' && next !== '' && !/[ \t\u3000、：:]/.test(next) && /[。，,]/.test(rest))
      return null;
    const kind: MarkerKind =
      unit === '部分' ? 'part' : unit === '章' ? 'chapter' : unit === '节' ? 'jie' : 'article';
    return marker(kind, asciiDigits(m[0]), numeralValue(m[1] ?? ''), s, m[0].length);
  }
  if ((m = RE_PAREN_HAN.exec(s)))
    return marker('paren-han', paren(m[0]), numeralValue(m[1] ?? ''), s, m[0].length);
  if ((m = RE_PAREN_ARABIC.exec(s)))
    return marker(
      'paren-arabic',
      asciiDigits(paren(m[0])),
      numeralValue(m[1] ?? ''),
      s,
      m[0].length,
    );
  if ((m = RE_PAREN_DIGIT.exec(s)))
    return marker(
      'paren-arabic',
      `（${numeralValue(m[1] ?? '')}）`,
      numeralValue(m[1] ?? ''),
      s,
      1,
    );
  if ((m = RE_CIRCLED.exec(s))) return marker('circled', m[0], numeralValue(m[1] ?? ''), s, 1);
  if ((m = RE_ARABIC_PAREN.exec(s)))
    return marker(
      'arabic-paren',
      `${asciiDigits(m[1] ?? '')}）`,
      numeralValue(m[1] ?? ''),
      s,
      m[0].length,
    );
  if ((m = RE_HAN.exec(s))) {
    const after = s.slice(m[0].length);
    // 一、二季度 / 一、二级: a list of numerals, not a heading.
    if (/^[一二三四五六七八九十][、季级类等]/.test(after)) return null;
    const sep = m[0].endsWith('．') || m[0].endsWith('.') ? '．' : '、';
    return marker('han', (m[1] ?? '') + sep, numeralValue(m[1] ?? ''), s, m[0].length);
  }
  if ((m = RE_DECIMAL.exec(s))) {
    const after = s.slice(m[0].length);
    if (UNIT.test(after)) return null;
    const parts = asciiDigits(m[1] ?? '').split(/[.．]/);
    const label = parts.join('.');
    return marker(
      `decimal-${parts.length}`,
      label,
      Number(parts[parts.length - 1]),
      s,
      m[0].length,
    );
  }
  if ((m = RE_ARABIC.exec(s))) {
    const digits = asciiDigits(m[1] ?? '');
    if (decimal) return marker('decimal-1', digits, Number(digits), s, m[0].length);
    const sep = m[2] === '、' ? '、' : '.';
    return marker('arabic', digits + sep, Number(digits), s, m[0].length);
  }
  if (decimal && (m = RE_DECIMAL_TOP.exec(s))) {
    const digits = asciiDigits(m[1] ?? '');
    return marker('decimal-1', digits, Number(digits), s, m[0].length);
  }
  return null;
}

/** “（一）至（三）项”, “第一条和第二条”: labels named in a sentence, not headings. */
const REFERENCE = /^[至到和与及、]/;

function marker(
  kind: MarkerKind,
  label: string,
  value: number,
  s: string,
  len: number,
): Marker | null {
  if (REFERENCE.test(s.slice(len))) return null;
  return { kind, label, value, length: skipSpace(s, len) };
}

/** True when the document numbers its headings 1.1 / 1.2.1 at the start of lines. */
export function usesDecimalOutline(lines: readonly string[]): boolean {
  let n = 0;
  for (const line of lines) {
    const m = markerAt(line, false);
    if (m !== null && m.kind.startsWith('decimal-')) n++;
    if (n >= 2) return true;
  }
  return false;
}

/** 一是 / 二要 … : an inline enumeration marker. */
export const POINT_RE = /(十[一二三四五六七八九]?|[一二三四五六七八九])(是|要)/g;
