import { hanToNumber } from './numerals.ts';

const MONTH_END = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function lastDay(year: number, month: number): number {
  if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29;
  return MONTH_END[month - 1] ?? 31;
}

function iso(y: number, m: number, d: number): string | undefined {
  if (m < 1 || m > 12 || d < 1 || d > lastDay(y, m) || y < 1949 || y > 2999) return undefined;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function num(s: string | undefined): number {
  if (s === undefined) return NaN;
  const ascii = s.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  if (/^\d+$/.test(ascii)) return Number(ascii);
  // 二〇二四: digit by digit, as years are written.
  if (/^[〇零一二三四五六七八九]{2,}$/.test(s))
    return Number([...s].map((c) => String(hanToNumber(c === '〇' ? '零' : c))).join(''));
  return hanToNumber(s);
}

const N = '[0-9０-９]{1,4}|[一二三四五六七八九十〇零]{1,4}';
const TOKEN = new RegExp(
  `(?:(${N})年)?(?:(?:(上半年|下半年|年底|年末|年内|全年)|第?([一二三四1-4])季度|(${N})月(?:(${N})日|(底|末|中旬|上旬|下旬|份)?)))`,
  'g',
);

/**
 * The date a deadline written in words means, as `YYYY-MM-DD`, or undefined when it names
 * none: “2023年6月底前” → 2023-06-30, “2023年12月” → 2023-12-31, “2024年9月30日” →
 * 2024-09-30, “2024年第三季度” → 2024-09-30, “2024年上半年” → 2024-06-30; “长期坚持” → none.
 * A year-less “6月底前” takes `year` (the plan's). A range (“3月至6月”) means its end.
 */
export function deadlineDate(text: string, year?: number | null): string | undefined {
  let y = year ?? undefined;
  let result: string | undefined;
  for (const m of text.matchAll(TOKEN)) {
    if (m[0] === '') continue;
    if (m[1] !== undefined) y = num(m[1]);
    if (y === undefined || !Number.isInteger(y)) continue;
    if (y < 100) y += 2000;
    const [, , half, quarter, month, day, part] = m;
    if (half !== undefined) result = half === '上半年' ? iso(y, 6, 30) : iso(y, 12, 31);
    else if (quarter !== undefined) {
      const q = num(quarter);
      result = iso(y, q * 3, lastDay(y, q * 3));
    } else if (month !== undefined) {
      const mo = num(month);
      if (day !== undefined) result = iso(y, mo, num(day));
      else if (part === '上旬') result = iso(y, mo, 10);
      else if (part === '中旬') result = iso(y, mo, 20);
      else result = iso(y, mo, lastDay(y, mo));
    }
  }
  // “年底前” with no month in a document that names the year elsewhere.
  if (result === undefined && y !== undefined && /年底|年末|年内|全年/.test(text))
    result = iso(y, 12, 31);
  return result;
}
