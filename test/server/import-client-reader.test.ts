// The browser's file reader (client/import/read-file.ts) run in Node, which has File and
// Blob too; `npm run build` checks that it bundles for the browser (mammoth's browser build).
import { Document, Packer, Paragraph } from 'docx';
import { describe, expect, it } from 'vitest';
import { importPolicyText, isImportError } from '../../shared/import/index.ts';
import { readPolicyFile } from '../../client/import/read-file.ts';
import { fixture } from '../shared/import/helpers.ts';

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (e) {
    return isImportError(e) ? e.code : 'other';
  }
}

describe('readPolicyFile (browser)', () => {
  it('reads a chosen .docx into text the importer reads', async () => {
    const lines = [
      '某局2024年工作要点',
      '一、加强学习',
      '（一）集中学习。每月组织一次。',
      '二、强化监督',
      '（一）谈心谈话。落实谈心谈话制度。',
    ];
    const doc = new Document({ sections: [{ children: lines.map((l) => new Paragraph(l)) }] });
    const file = new File([new Uint8Array(await Packer.toBuffer(doc))], '要点.docx');
    const read = await readPolicyFile(file);
    expect(read).toEqual({ text: lines.join('\n'), format: 'docx' });
    expect(importPolicyText(read.text).nodes.map((n) => n.title)).toEqual(['加强学习', '强化监督']);
  });

  it('reads a dropped .txt in UTF-16 with a BOM', async () => {
    const text = fixture('work-points.txt');
    const bytes = new Uint8Array([0xff, 0xfe, ...new Uint8Array(Buffer.from(text, 'utf16le'))]);
    expect(await readPolicyFile(new File([bytes], 'points.txt'))).toEqual({ text, format: 'txt' });
  });

  it('refuses .doc and .pdf, a damaged .docx, an empty and an oversized file', async () => {
    expect(await codeOf(readPolicyFile(new File(['x'], 'old.doc')))).toBe('unsupported-format');
    expect(await codeOf(readPolicyFile(new File(['x'], 'scan.pdf')))).toBe('unsupported-format');
    expect(await codeOf(readPolicyFile(new File(['not a zip'], 'a.docx')))).toBe('unreadable-docx');
    expect(await codeOf(readPolicyFile(new File([], 'a.txt')))).toBe('empty');
    const big = new File([new Uint8Array(2 * 1024 * 1024 + 1).fill(0x41)], 'big.txt');
    expect(await codeOf(readPolicyFile(big))).toBe('too-large');
  });
});
