import { ImportError, MAX_TEXT_FILE_BYTES, importErrorMessage } from './types.ts';

/** The one TextDecoder shape we use; shared/ compiles without DOM or Node types. */
interface Decoder {
  decode(input: Uint8Array): string;
}
type DecoderCtor = new (
  label: string,
  options?: { fatal?: boolean; ignoreBOM?: boolean },
) => Decoder;

function decoder(label: string): Decoder {
  // TextDecoder is a global in every browser and in Node (full ICU builds know gb18030).
  const ctor = (globalThis as unknown as { TextDecoder?: DecoderCtor }).TextDecoder;
  if (ctor === undefined) throw new Error('TextDecoder is not available');
  return new ctor(label, { fatal: true, ignoreBOM: true });
}

/** Which encoding `decodePolicyBytes` found. */
export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';

/** Decoded text and the encoding it was read in. */
export interface DecodedText {
  readonly text: string;
  readonly encoding: TextEncodingName;
}

/**
 * Reads the bytes of a plain-text policy document: UTF-8 with or without a BOM, UTF-16 LE or
 * BE (with a BOM, or recognized by where its NULs fall), otherwise GB18030 (a superset of GBK and GB2312, which Chinese Windows
 * tools still write). Throws an ImportError for an empty, oversized or binary file.
 */
export function decodePolicyBytes(bytes: Uint8Array): string {
  return decodePolicyBytesWithEncoding(bytes).text;
}

/** `decodePolicyBytes`, also saying which encoding was detected. */
export function decodePolicyBytesWithEncoding(bytes: Uint8Array): DecodedText {
  if (bytes.length > MAX_TEXT_FILE_BYTES)
    throw new ImportError('too-large', importErrorMessage('too-large'));
  if (bytes.length === 0) throw new ImportError('empty', importErrorMessage('empty'));
  const b0 = bytes[0];
  const b1 = bytes[1];
  let decoded: DecodedText | null;
  if (b0 === 0xef && b1 === 0xbb && bytes[2] === 0xbf) {
    decoded = attempt('utf-8', bytes.subarray(3));
  } else if (b0 === 0xff && b1 === 0xfe) {
    decoded = attempt('utf-16le', bytes.subarray(2));
  } else if (b0 === 0xfe && b1 === 0xff) {
    decoded = attempt('utf-16be', bytes.subarray(2));
  } else if (hasMagic(bytes)) {
    decoded = null;
  } else if (hasNul(bytes)) {
    // Text in UTF-8 or GB18030 never contains NUL; UTF-16 without a BOM does.
    decoded = utf16WithoutBom(bytes);
  } else {
    // Valid UTF-8 is almost never valid-looking GBK by accident, so UTF-8 goes first.
    decoded = attempt('utf-8', bytes) ?? attempt('gb18030', bytes);
  }
  if (decoded === null || controlRatio(decoded.text) > 0.01)
    throw new ImportError('binary', importErrorMessage('binary'));
  if (decoded.text.trim() === '') throw new ImportError('empty', importErrorMessage('empty'));
  return decoded;
}

function attempt(encoding: TextEncodingName, bytes: Uint8Array): DecodedText | null {
  try {
    return { text: decoder(encoding).decode(bytes), encoding };
  } catch (e) {
    if (e instanceof TypeError) return null; // fatal: the bytes are not in this encoding
    throw e;
  }
}

const MAGIC: readonly (readonly number[])[] = [
  [0x50, 0x4b, 0x03, 0x04], // zip (docx, xlsx)
  [0x25, 0x50, 0x44, 0x46], // %PDF
  [0xd0, 0xcf, 0x11, 0xe0], // OLE2 (.doc, .wps, .xls)
  [0x89, 0x50, 0x4e, 0x47], // PNG
  [0xff, 0xd8, 0xff], // JPEG
];

/** A zip (.docx), PDF, OLE2 (.doc, .wps) or image signature. */
function hasMagic(bytes: Uint8Array): boolean {
  return MAGIC.some((m) => m.every((b, i) => bytes[i] === b));
}

function hasNul(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 65536);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return true;
  return false;
}

/**
 * UTF-16 written without a BOM (some export tools do). Its ASCII characters carry NUL bytes,
 * which UTF-8 and GB18030 text never has; so for bytes with NULs, try both byte orders and
 * keep the one that reads as Chinese text. Binary data decodes to a scatter of symbols.
 */
function utf16WithoutBom(bytes: Uint8Array): DecodedText | null {
  if (bytes.length % 2 !== 0 || bytes.length < 4) return null;
  let best: DecodedText | null = null;
  let bestRatio = 0;
  for (const encoding of ['utf-16le', 'utf-16be'] as const) {
    const d = attempt(encoding, bytes);
    if (d === null) continue;
    const ratio = textualRatio(d.text);
    if (ratio > bestRatio) [best, bestRatio] = [d, ratio];
  }
  return bestRatio >= 0.9 ? best : null;
}

/** The share of characters that Chinese documents are made of. */
function textualRatio(text: string): number {
  let good = 0;
  let all = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    all++;
    if (
      c === 0x09 ||
      c === 0x0a ||
      c === 0x0d ||
      (c >= 0x20 && c <= 0x7e) ||
      (c >= 0x2000 && c <= 0x206f) ||
      (c >= 0x2160 && c <= 0x24ff) ||
      (c >= 0x3000 && c <= 0x303f) ||
      (c >= 0x3400 && c <= 0x9fff) ||
      (c >= 0xff00 && c <= 0xffef) ||
      c === 0xb7 ||
      c === 0xd7
    )
      good++;
  }
  return all === 0 ? 0 : good / all;
}

function controlRatio(text: string): number {
  let bad = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) || c === 0xfffd) bad++;
  }
  return text.length === 0 ? 0 : bad / text.length;
}
