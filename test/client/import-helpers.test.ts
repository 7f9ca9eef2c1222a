import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  importErrorMessage,
  importPolicyText,
  outlineEntries,
  type ImportErrorCode,
} from '../../shared/index.ts';
import { importerMessageIn } from '../../client/import/messages.ts';
import { applyPreviewEdit } from '../../client/import/preview-edits.ts';

const SEED = readFileSync(
  new URL('../fixtures/import/2023-party-conduct-implementation-opinions.txt', import.meta.url),
  'utf8',
);

describe('importerMessageIn', () => {
  it('picks the half of every importer error message that matches the language', () => {
    const codes: ImportErrorCode[] = ['empty', 'binary', 'too-large', 'no-outline'];
    for (const code of codes) {
      const both = importErrorMessage(code);
      const zh = importerMessageIn(both, 'zh-CN');
      const en = importerMessageIn(both, 'en');
      expect(zh.length).toBeLessThan(both.length);
      expect(`${zh} (${en})`).toBe(both);
      expect(en).toMatch(/^[A-Z]/);
    }
  });

  it('keeps a message whole when its last parenthesis is not a translation', () => {
    expect(importerMessageIn('编号不连续（见第二部分）', 'en')).toBe('编号不连续（见第二部分）');
    expect(importerMessageIn('请核对 (第三条)', 'en')).toBe('请核对 (第三条)');
  });
});

describe('applyPreviewEdit', () => {
  const outline = importPolicyText(SEED);

  it('keeps the edited row selected, and the row before after a merge', () => {
    const indented = applyPreviewEdit(outline, 4, { kind: 'indent' });
    expect(indented?.selected).toBe(4);
    expect(outlineEntries(indented!.outline)[4]?.depth).toBe(4);
    const merged = applyPreviewEdit(outline, 4, { kind: 'merge' });
    expect(merged?.selected).toBe(3);
    const dropped = applyPreviewEdit(outline, 18, { kind: 'drop' });
    expect(dropped?.selected).toBe(17);
  });

  it('returns null for an edit that is not possible there', () => {
    expect(applyPreviewEdit(outline, 0, { kind: 'merge' })).toBeNull();
    expect(applyPreviewEdit(outline, 0, { kind: 'outdent' })).toBeNull();
    expect(applyPreviewEdit(outline, 3, { kind: 'indent' })).toBeNull();
    expect(applyPreviewEdit(outline, 1, { kind: 'split', offset: 1 })).toBeNull();
    expect(applyPreviewEdit(outline, 99, { kind: 'drop' })).toBeNull();
    expect(applyPreviewEdit(outline, 3, { kind: 'retitle', title: ' 加强理论武装 ' })).toBeNull();
    expect(applyPreviewEdit(outline, 3, { kind: 'retitle', title: '  ' })).toBeNull();
    const retitled = applyPreviewEdit(outline, 3, { kind: 'retitle', title: '加强理论学习' });
    expect(outlineEntries(retitled!.outline)[3]?.node.title).toBe('加强理论学习');
  });
});
