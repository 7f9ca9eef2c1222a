/**
 * Reads a policy document file for import in Node: .txt (any encoding the importer knows)
 * and .docx (through mammoth). The parsing itself is shared/import, the same code the
 * browser runs.
 */
import { open, readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import mammoth from 'mammoth';
import {
  decodePolicyBytes,
  docxHtmlToText,
  ImportError,
  importErrorMessage,
  importPolicyText,
  MAX_DOCX_FILE_BYTES,
  MAX_TEXT_FILE_BYTES,
  type Outline,
} from '../shared/import/index.ts';

/** The file formats import reads. */
export type PolicyFileFormat = 'txt' | 'docx';

/** A file's text and how it was read. */
export interface PolicyFileText {
  readonly text: string;
  readonly format: PolicyFileFormat;
}

const TEXT_EXTENSIONS = new Set(['.txt', '.text', '.md', '']);
const REFUSED_EXTENSIONS = new Set([
  '.doc',
  '.wps',
  '.pdf',
  '.xls',
  '.xlsx',
  '.ppt',
  '.pptx',
  '.odt',
  '.rtf',
]);
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

async function head(path: string): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buffer = new Uint8Array(4);
    const { bytesRead } = await handle.read(buffer, 0, 4, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * The text of a .txt or .docx file. Throws ImportError for a format it does not read, an
 * oversized, empty or binary file, or a damaged .docx; a missing file throws Node's ENOENT.
 */
export async function readPolicyFile(path: string): Promise<PolicyFileText> {
  const ext = extname(path).toLowerCase();
  if (REFUSED_EXTENSIONS.has(ext))
    throw new ImportError('unsupported-format', importErrorMessage('unsupported-format'));
  const info = await stat(path);
  const magic = await head(path);
  const isZip = ZIP_MAGIC.every((b, i) => magic[i] === b);
  if (ext === '.docx' || (isZip && !TEXT_EXTENSIONS.has(ext))) {
    if (info.size > MAX_DOCX_FILE_BYTES)
      throw new ImportError('too-large', importErrorMessage('too-large'));
    if (info.size === 0) throw new ImportError('empty', importErrorMessage('empty'));
    if (!isZip) throw new ImportError('unreadable-docx', importErrorMessage('unreadable-docx'));
    const buffer = await readFile(path);
    return { text: await docxToText(buffer), format: 'docx' };
  }
  // Any other extension is read as text if it is text, and refused as binary otherwise.
  // The size is checked before reading, so a huge file is never loaded.
  if (info.size > MAX_TEXT_FILE_BYTES)
    throw new ImportError('too-large', importErrorMessage('too-large'));
  const bytes = new Uint8Array(await readFile(path));
  return { text: decodePolicyBytes(bytes), format: 'txt' };
}

/** The text of a .docx held in memory (mammoth's HTML, so tables keep their cells). */
export async function docxToText(buffer: Buffer): Promise<string> {
  let html: string;
  try {
    html = (await mammoth.convertToHtml({ buffer })).value;
  } catch (cause) {
    throw new ImportError('unreadable-docx', importErrorMessage('unreadable-docx'), { cause });
  }
  const text = docxHtmlToText(html);
  if (text.trim() === '') throw new ImportError('empty', importErrorMessage('empty'));
  return text;
}

/** Reads a file and imports its outline. */
export async function importPolicyFile(path: string): Promise<Outline> {
  return importPolicyText((await readPolicyFile(path)).text);
}
