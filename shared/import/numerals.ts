const DIGITS: Readonly<Record<string, number>> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

/** 一 → 1, 十二 → 12, 二十三 → 23, 一百零五 → 105; NaN when it is not a numeral. */
export function hanToNumber(s: string): number {
  if (s === '') return NaN;
  let total = 0;
  let current = 0;
  let seen = false;
  for (const ch of s) {
    const d = DIGITS[ch];
    if (d !== undefined) {
      current = d;
      seen = true;
    } else if (ch === '十') {
      total += (seen ? current : 1) * 10;
      current = 0;
      seen = false;
    } else if (ch === '百') {
      total += (seen ? current : 1) * 100;
      current = 0;
      seen = false;
    } else return NaN;
  }
  return total + current;
}

/** Full-width digits to ASCII (１２ → 12). */
export function asciiDigits(s: string): string {
  return s.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xff10 + 0x30));
}

/** Reads a marker's numeral, Chinese, Arabic (either width) or circled (① → 1). */
export function numeralValue(s: string): number {
  const ascii = asciiDigits(s);
  if (/^\d+$/.test(ascii)) return Number(ascii);
  const c = s.codePointAt(0) ?? 0;
  if (s.length === 1 && c >= 0x2460 && c <= 0x2473) return c - 0x2460 + 1; // ①..⑳
  if (s.length === 1 && c >= 0x2474 && c <= 0x2487) return c - 0x2474 + 1; // ⑴..⒇
  return hanToNumber(s);
}
