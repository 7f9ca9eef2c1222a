// Import at the size of a long plan: a 30,000-character document (the seed is 8,600), read
// into an outline and then into a plan. Run with `npm run bench` (or `npm run bench -- import`).
import { readFileSync } from 'node:fs';
import os from 'node:os';
import * as Y from 'yjs';
import {
  countOutline,
  decodePolicyBytes,
  formatOutlineCounts,
  importPolicyText,
  outlineToPlan,
} from '../../shared/import/index.ts';

const TARGET_CHARS = 30_000;
const RUNS = 30;

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

const HAN = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
const han = (n: number): string =>
  n <= 10
    ? (HAN[n - 1] ?? '')
    : `${n >= 20 ? HAN[Math.floor(n / 10) - 1] : ''}十${n % 10 === 0 ? '' : HAN[(n % 10) - 1]}`;

/**
 * A 30,000-character plan made of the seed's own sentences: sections with items, inline
 * 一是…二是… points, annotation lines, and a task table, so every path of the reader runs.
 */
function document(): string {
  const seed = readFileSync(
    new URL('../fixtures/import/2023-party-conduct-implementation-opinions.txt', import.meta.url),
    'utf8',
  );
  // Body sentences only: no headings, no points, no title.
  const sentences = seed
    .split('\n')
    .flatMap((line) => line.split(/(?<=。)/))
    .map((s) => s.replace(/\s+/g, ''))
    .filter((s) => s.length > 20 && s.endsWith('。'))
    .filter((s) => !/[一二三四五六七八九十][、是]|（[一二三四五六七八九十]）|实施意见/.test(s));
  const lines = ['某县某局2024年党风廉政建设工作方案', '', sentences[0] ?? ''];
  let k = 0;
  const sentence = (): string => sentences[k++ % sentences.length] ?? '';
  for (let s = 1; lines.join('\n').length < TARGET_CHARS; s++) {
    lines.push(`${han(s)}、第${s}部分工作要求`);
    for (let i = 1; i <= 6; i++) {
      const points = [1, 2, 3].map((p) => `${han(p)}是落实第${p}项措施。${sentence()}`).join('');
      lines.push(`（${han(i)}）加强第${i}项工作。${sentence()}${points}`);
      lines.push('牵头单位：办公室　责任单位：财务股、人事股　完成时限：2024年6月底前');
    }
    lines.push(`${han(++s)}、第${s}部分任务分工`, '序号\t工作任务\t责任单位\t完成时限');
    for (let r = 1; r <= 3; r++)
      lines.push(`${r}\t${sentence().slice(0, 30)}\t第${r}党支部\t长期坚持`);
  }
  return lines.join('\n').slice(0, TARGET_CHARS);
}

const text = document();
const bytes = new TextEncoder().encode(text);
const outline = importPolicyText(text);
for (let i = 0; i < 5; i++) importPolicyText(text); // warm-up

const parse: number[] = [];
const decode: number[] = [];
const toPlan: number[] = [];
for (let i = 0; i < RUNS; i++) {
  let t = process.hrtime.bigint();
  decodePolicyBytes(bytes);
  decode.push(ms(t));
  t = process.hrtime.bigint();
  importPolicyText(text);
  parse.push(ms(t));
  const doc = new Y.Doc();
  t = process.hrtime.bigint();
  outlineToPlan(doc, outline);
  toPlan.push(ms(t));
  doc.destroy();
}

process.stdout.write(
  [
    `node ${process.version}, ${os.cpus().length} cpus (${os.cpus()[0]?.model ?? '?'})`,
    `document: ${text.length} characters, ${bytes.length} bytes UTF-8 → ${formatOutlineCounts(countOutline(outline))}`,
    `decodePolicyBytes:  median ${median(decode).toFixed(2)} ms, max ${Math.max(...decode).toFixed(2)} ms (${RUNS} runs)`,
    `importPolicyText:   median ${median(parse).toFixed(2)} ms, max ${Math.max(...parse).toFixed(2)} ms (${RUNS} runs)`,
    `outlineToPlan:      median ${median(toPlan).toFixed(2)} ms, max ${Math.max(...toPlan).toFixed(2)} ms (${RUNS} runs)`,
    '',
  ].join('\n'),
);
