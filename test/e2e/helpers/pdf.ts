import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A word poppler found on a page, with its box in points (origin top left). */
export interface PdfWord {
  readonly page: number;
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
  readonly text: string;
}

function withFile<T>(pdf: Uint8Array, fn: (file: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'qingdan-pdf-'));
  try {
    const file = join(dir, 'doc.pdf');
    writeFileSync(file, pdf);
    return fn(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const unescape = (s: string): string =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

/** `pdfinfo`: the number of pages and the first page's size in points. */
export function pdfInfo(pdf: Uint8Array): { pages: number; width: number; height: number } {
  const out = withFile(pdf, (f) => execFileSync('pdfinfo', [f], { encoding: 'utf8' }));
  const pages = Number(/^Pages:\s+(\d+)/m.exec(out)?.[1]);
  const size = /^Page size:\s+([\d.]+) x ([\d.]+)/m.exec(out);
  return { pages, width: Number(size?.[1]), height: Number(size?.[2]) };
}

/** `pdftotext`: the text of the whole document, or of one page (1-based). */
export function pdfText(pdf: Uint8Array, page?: number): string {
  const range = page === undefined ? [] : ['-f', String(page), '-l', String(page)];
  return withFile(pdf, (f) =>
    execFileSync('pdftotext', [...range, '-enc', 'UTF-8', f, '-'], { encoding: 'utf8' }),
  );
}

/** `pdftotext -bbox`: every word with its page and box. */
export function pdfWords(pdf: Uint8Array): PdfWord[] {
  const xml = withFile(pdf, (f) =>
    execFileSync('pdftotext', ['-bbox', '-enc', 'UTF-8', f, '-'], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    }),
  );
  const words: PdfWord[] = [];
  xml.split(/<page /).forEach((chunk, i) => {
    if (i === 0) return;
    const re =
      /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g;
    for (const m of chunk.matchAll(re))
      words.push({
        page: i,
        x0: Number(m[1]),
        y0: Number(m[2]),
        x1: Number(m[3]),
        y1: Number(m[4]),
        text: unescape(m[5] as string),
      });
  });
  return words;
}

/**
 * The text in one column of a table, page by page, top to bottom and left to right: the
 * words whose left edge lies in [x0, x1) points, joined without spaces (CJK text has none,
 * and a wrapped cell then reads as its whole text).
 */
export function columnText(words: readonly PdfWord[], x0: number, x1: number): string {
  return words
    .filter((w) => w.x0 >= x0 && w.x0 < x1)
    .sort((a, b) => a.page - b.page || Math.round(a.y0) - Math.round(b.y0) || a.x0 - b.x0)
    .map((w) => w.text)
    .join('');
}

/** Millimetres to PDF points. */
export const pt = (mm: number): number => (mm * 72) / 25.4;
