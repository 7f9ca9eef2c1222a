import { describe, expect, it } from 'vitest';
import {
  importPolicyText,
  MAX_IMPORT_CHARS,
  tryImportPolicyText,
  type ImportErrorCode,
} from '../../../shared/import/index.ts';
import { fixture } from './helpers.ts';

function codeOf(text: string): ImportErrorCode | 'ok' {
  const r = tryImportPolicyText(text);
  return r.ok ? 'ok' : r.error.code;
}

describe('bad input', () => {
  it('refuses empty text and text that is only whitespace', () => {
    expect(codeOf('')).toBe('empty');
    expect(codeOf('\uFEFF \r\n\u3000\u3000\n\t')).toBe('empty');
  });

  it('refuses text full of control characters as binary', () => {
    expect(codeOf('PK\u0003\u0004\u0000\u0000\u0014\u0000\u0006\u0000一、二、三、')).toBe('binary');
  });

  it('refuses text with no outline: a meeting notice, a single paragraph', () => {
    expect(codeOf(fixture('no-outline.txt'))).toBe('no-outline');
    expect(codeOf('各位同事：请于本周五前提交年度总结材料，谢谢配合。')).toBe('no-outline');
  });

  it('refuses oversized text and names the limit', () => {
    const r = tryImportPolicyText('一、加强学习。'.repeat(Math.ceil(MAX_IMPORT_CHARS / 7) + 1));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('too-large');
      expect(r.error.message).toContain(String(MAX_IMPORT_CHARS));
    }
  });

  it('throws the same errors from importPolicyText, with a message a person can act on', () => {
    expect(() => importPolicyText('')).toThrow(/文件是空的/);
    expect(() => importPolicyText(fixture('no-outline.txt'))).toThrow(/没有找到提纲/);
  });
});
