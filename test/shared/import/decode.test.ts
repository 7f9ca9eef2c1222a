import { describe, expect, it } from 'vitest';
import {
  decodePolicyBytes,
  decodePolicyBytesWithEncoding,
  importPolicyText,
  isImportError,
  MAX_TEXT_FILE_BYTES,
} from '../../../shared/import/index.ts';
import { fixture, shape } from './helpers.ts';

/**
 * A GBK encoder for the test, built from the decoder's table: Node has none, and Chinese
 * Windows tools write GBK.
 */
function gbkEncoder(): (text: string) => Uint8Array {
  const table = new Map<string, [number, number]>();
  const dec = new TextDecoder('gbk');
  for (let hi = 0x81; hi <= 0xfe; hi++)
    for (let lo = 0x40; lo <= 0xfe; lo++) {
      if (lo === 0x7f) continue;
      const ch = dec.decode(new Uint8Array([hi, lo]));
      if (ch.length === 1 && ch !== '\uFFFD' && !table.has(ch)) table.set(ch, [hi, lo]);
    }
  return (text) => {
    const out: number[] = [];
    for (const ch of text) {
      const code = ch.charCodeAt(0);
      if (code < 0x80) out.push(code);
      else {
        const pair = table.get(ch);
        if (pair === undefined) throw new Error(`not in GBK: ${ch}`);
        out.push(...pair);
      }
    }
    return new Uint8Array(out);
  };
}

function utf16(text: string, bigEndian: boolean): Uint8Array {
  const out = new Uint8Array(2 + text.length * 2);
  out.set(bigEndian ? [0xfe, 0xff] : [0xff, 0xfe]);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[2 + i * 2] = bigEndian ? c >> 8 : c & 0xff;
    out[3 + i * 2] = bigEndian ? c & 0xff : c >> 8;
  }
  return out;
}

/** Deterministic noise in 1..255, like the inside of a compressed file. */
function noisyBytes(n: number): Uint8Array {
  let x = 12345;
  return Uint8Array.from({ length: n }, () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return 1 + ((x >> 16) % 255);
  });
}

const seedText = fixture('2023-party-conduct-implementation-opinions.txt');
const seedShape = shape(importPolicyText(seedText).nodes);
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('decodePolicyBytes', () => {
  it('reads UTF-8 without a BOM', () => {
    expect(decodePolicyBytesWithEncoding(utf8(seedText))).toEqual({
      text: seedText,
      encoding: 'utf-8',
    });
  });

  it('reads UTF-8 with a BOM and drops the BOM', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(seedText)]);
    expect(decodePolicyBytes(bytes)).toBe(seedText);
  });

  it('reads UTF-16 LE and BE with a BOM', () => {
    expect(decodePolicyBytesWithEncoding(utf16(seedText, false))).toEqual({
      text: seedText,
      encoding: 'utf-16le',
    });
    expect(decodePolicyBytesWithEncoding(utf16(seedText, true))).toEqual({
      text: seedText,
      encoding: 'utf-16be',
    });
  });

  it('recognizes UTF-16 written without a BOM', () => {
    expect(decodePolicyBytesWithEncoding(utf16(seedText, false).subarray(2))).toEqual({
      text: seedText,
      encoding: 'utf-16le',
    });
    expect(decodePolicyBytesWithEncoding(utf16(seedText, true).subarray(2))).toEqual({
      text: seedText,
      encoding: 'utf-16be',
    });
  });

  it('detects GBK (as GB18030) and imports the same outline as UTF-8', () => {
    const encode = gbkEncoder();
    expect([...encode('中文')]).toEqual([0xd6, 0xd0, 0xce, 0xc4]);
    // The seed's “xx” placeholders and curly quotes are all in GBK.
    const decoded = decodePolicyBytesWithEncoding(encode(seedText.replace(/\r/g, '')));
    expect(decoded.encoding).toBe('gb18030');
    expect(decoded.text).toBe(seedText);
    expect(shape(importPolicyText(decoded.text).nodes)).toEqual(seedShape);
  });

  it('reads a CRLF file with a BOM into the same outline', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(seedText.replace(/\n/g, '\r\n'))]);
    expect(shape(importPolicyText(decodePolicyBytes(bytes)).nodes)).toEqual(seedShape);
  });

  it.each([
    ['a zip (a .docx renamed .txt)', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5])],
    ['a PDF', utf8('%PDF-1.7\n%âãÏÓ\n1 0 obj')],
    ['bytes with NUL', new Uint8Array([0x41, 0x00, 0x42, 0x00, 0x43, 0x00, 0x44])],
    ['random bytes without NUL', noisyBytes(4096)],
  ])('refuses %s as binary', (_name, bytes) => {
    expect(() => decodePolicyBytes(bytes)).toThrow(
      expect.objectContaining({ code: 'binary' }) as Error,
    );
  });

  it('refuses an empty file and one with only whitespace', () => {
    for (const bytes of [
      new Uint8Array(0),
      utf8(' \n\r\n\u3000 '),
      new Uint8Array([0xef, 0xbb, 0xbf]),
    ]) {
      let thrown: unknown;
      try {
        decodePolicyBytes(bytes);
      } catch (e) {
        thrown = e;
      }
      expect(isImportError(thrown, 'empty')).toBe(true);
    }
  });

  it('refuses a file over 2 MB and says the limit', () => {
    const bytes = new Uint8Array(MAX_TEXT_FILE_BYTES + 1).fill(0x41);
    let thrown: unknown;
    try {
      decodePolicyBytes(bytes);
    } catch (e) {
      thrown = e;
    }
    expect(isImportError(thrown, 'too-large')).toBe(true);
    expect((thrown as Error).message).toContain('2 MB');
  });
});
