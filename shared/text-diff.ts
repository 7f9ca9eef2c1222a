import type * as Y from 'yjs';

const isHigh = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

/**
 * Changes `ytext` into `next` by deleting and inserting only the middle part that differs
 * (common prefix and suffix kept). Replacing the whole text would delete what another
 * replica is typing concurrently elsewhere in the same field. The cut never splits a
 * surrogate pair, which Yjs would otherwise turn into U+FFFD.
 */
export function applyTextDiff(ytext: Y.Text, next: string): void {
  const prev = ytext.toString();
  if (prev === next) return;
  const min = Math.min(prev.length, next.length);
  let start = 0;
  while (start < min && prev.charCodeAt(start) === next.charCodeAt(start)) start += 1;
  if (start > 0 && isHigh(prev.charCodeAt(start - 1))) start -= 1;
  let endPrev = prev.length;
  let endNext = next.length;
  while (
    endPrev > start &&
    endNext > start &&
    prev.charCodeAt(endPrev - 1) === next.charCodeAt(endNext - 1)
  ) {
    endPrev -= 1;
    endNext -= 1;
  }
  if (endPrev < prev.length && isLow(prev.charCodeAt(endPrev))) {
    endPrev += 1;
    endNext += 1;
  }
  if (endPrev > start) ytext.delete(start, endPrev - start);
  if (endNext > start) ytext.insert(start, next.slice(start, endNext));
}

/**
 * Replaces lone surrogates with U+FFFD. Yjs sends strings as UTF-8, which cannot carry a
 * lone surrogate: the sender would keep it while every receiver gets U+FFFD, and the
 * replicas would never agree again. So no string enters the document unpaired.
 */
export function wellFormed(s: string): string {
  let out: string[] | null = null;
  for (let i = 0; i < s.length; i += 1) {
    const c = s.charCodeAt(i);
    if (isHigh(c) && i + 1 < s.length && isLow(s.charCodeAt(i + 1))) {
      i += 1;
      continue;
    }
    if (isHigh(c) || isLow(c)) {
      out ??= s.split('');
      out[i] = '\uFFFD';
    }
  }
  return out === null ? s : out.join('');
}
