import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Document, Packer, Paragraph, Table, TableCell, TableRow } from 'docx';
import { afterEach, describe, expect, it } from 'vitest';
import { isImportError } from '../../shared/import/index.ts';
import { importPolicyFile, readPolicyFile } from '../../server/import-file.ts';
import { fixture, shape } from '../shared/import/helpers.ts';

let dir: string | null = null;
function tempFile(name: string, content: Uint8Array | string): string {
  dir ??= mkdtempSync(join(tmpdir(), 'qingdan-import-'));
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}
afterEach(() => {
  if (dir !== null) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (e) {
    if (isImportError(e)) return e.code;
    return String((e as { code?: unknown }).code);
  }
}

const seedText = fixture('2023-party-conduct-implementation-opinions.txt');

/** The seed as a Word file, one paragraph per line, made with the `docx` library. */
async function seedDocx(): Promise<Buffer> {
  const lines = seedText.split('\n').filter((l) => l.trim() !== '');
  const doc = new Document({
    sections: [{ children: lines.map((l) => new Paragraph(l.replace(/^\u3000+/, ''))) }],
  });
  return Packer.toBuffer(doc);
}

describe('readPolicyFile', () => {
  it('reads a .docx made with the docx library into the seed’s outline', async () => {
    const path = tempFile('意见.docx', await seedDocx());
    const read = await readPolicyFile(path);
    expect(read.format).toBe('docx');
    const outline = await importPolicyFile(path);
    expect(outline.title).toBe('2023年关于加强党风廉政建设和反腐败工作的实施意见');
    expect(shape(outline.nodes).map(([n, t]) => n + t)).toEqual([
      '一、总体思路',
      '二、工作要求',
      '三、保障措施',
    ]);
    expect(outline.nodes[1]?.children.map((c) => c.children.length)).toEqual([3, 3, 4]);
  });

  it('reads a task table in a .docx as one task per row', async () => {
    const cell = (text: string): TableCell => new TableCell({ children: [new Paragraph(text)] });
    const row = (...cells: string[]): TableRow => new TableRow({ children: cells.map(cell) });
    const doc = new Document({
      sections: [
        {
          children: [
            new Paragraph('某县教育局2024年重点工作任务分工'),
            new Table({
              rows: [
                row('序号', '工作任务', '牵头单位', '责任单位', '完成时限'),
                row('1', '推进义务教育优质均衡发展', '基础教育股', '各中小学', '2024年12月'),
                row('2', '加强教师队伍建设', '人事股', '教师发展中心、各中小学', '2024年8月底前'),
              ],
            }),
          ],
        },
      ],
    });
    const outline = await importPolicyFile(tempFile('分工.docx', await Packer.toBuffer(doc)));
    expect(outline.nodes.map((n) => [n.number, n.title, n.lead, n.owners, n.deadline])).toEqual([
      ['1', '推进义务教育优质均衡发展', '基础教育股', ['基础教育股', '各中小学'], '2024年12月'],
      ['2', '加强教师队伍建设', '人事股', ['人事股', '教师发展中心', '各中小学'], '2024年8月底前'],
    ]);
  });

  it('reads .txt files in UTF-8 with a BOM and in UTF-16 LE', async () => {
    const bom = tempFile(
      'a.txt',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(seedText)]),
    );
    expect((await readPolicyFile(bom)).text).toBe(seedText);
    const utf16 = tempFile(
      'b.txt',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(seedText, 'utf16le')]),
    );
    expect((await readPolicyFile(utf16)).text).toBe(seedText);
  });

  it('refuses .doc, .pdf and .wps by name, before reading them', async () => {
    for (const name of ['old.doc', 'scan.pdf', 'plan.wps'])
      expect(await codeOf(readPolicyFile(tempFile(name, 'whatever')))).toBe('unsupported-format');
  });

  it('refuses a damaged .docx, an empty file, a binary file, and a missing one', async () => {
    expect(await codeOf(readPolicyFile(tempFile('bad.docx', 'not a zip at all')))).toBe(
      'unreadable-docx',
    );
    expect(
      await codeOf(
        readPolicyFile(tempFile('cut.docx', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0]))),
      ),
    ).toBe('unreadable-docx');
    expect(await codeOf(readPolicyFile(tempFile('empty.txt', '')))).toBe('empty');
    expect(
      await codeOf(
        readPolicyFile(tempFile('image.txt', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]))),
      ),
    ).toBe('binary');
    expect(await codeOf(readPolicyFile(join(tmpdir(), 'qingdan-no-such-file.txt')))).toBe('ENOENT');
  });

  it('refuses a text file over 2 MB without reading it', async () => {
    const path = tempFile('big.txt', Buffer.alloc(2 * 1024 * 1024 + 1, 0x41));
    expect(await codeOf(readPolicyFile(path))).toBe('too-large');
  });
});
