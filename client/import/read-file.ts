/**
 * Reads a policy document the user chose or dropped (a File) into text for the importer:
 * .txt in any encoding shared/import knows, .docx through mammoth's browser build. The
 * outline itself comes from `importPolicyText` in shared/import, the same code the CLI runs.
 */
import {
  decodePolicyBytes,
  docxHtmlToText,
  ImportError,
  importErrorMessage,
  MAX_DOCX_FILE_BYTES,
  MAX_TEXT_FILE_BYTES,
} from '../../shared/import/index.ts';

/** The formats the import dialog reads. */
export type PolicyFileFormat = 'txt' | 'docx';

/** A file's text and how it was read. */
export interface PolicyFileText {
  readonly text: string;
  readonly format: PolicyFileFormat;
}

/** What the file input accepts (`<input type="file" accept=…>`). */
export const POLICY_FILE_ACCEPT =
  '.txt,.docx,text/plain,application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const REFUSED = /\.(doc|wps|pdf|xls|xlsx|ppt|pptx|odt|rtf)$/i;

function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/**
 * The text of a chosen or dropped file. Rejects with an ImportError (its `message` is ready
 * to show) for .doc/.pdf/.wps, an oversized, empty or binary file, or a damaged .docx.
 */
export async function readPolicyFile(
  file: Blob & { readonly name: string },
): Promise<PolicyFileText> {
  if (REFUSED.test(file.name))
    throw new ImportError('unsupported-format', importErrorMessage('unsupported-format'));
  const isDocxName = /\.docx$/i.test(file.name);
  const head = new Uint8Array(await file.slice(0, 4).arrayBuffer());
  if (isDocxName || (isZip(head) && !/\.(txt|text|md)$/i.test(file.name))) {
    if (file.size > MAX_DOCX_FILE_BYTES)
      throw new ImportError('too-large', importErrorMessage('too-large'));
    if (file.size === 0) throw new ImportError('empty', importErrorMessage('empty'));
    if (!isZip(head))
      throw new ImportError('unreadable-docx', importErrorMessage('unreadable-docx'));
    return { text: await docxToText(await file.arrayBuffer()), format: 'docx' };
  }
  // Checked before reading, so a huge file is never loaded into memory.
  if (file.size > MAX_TEXT_FILE_BYTES)
    throw new ImportError('too-large', importErrorMessage('too-large'));
  return { text: decodePolicyBytes(new Uint8Array(await file.arrayBuffer())), format: 'txt' };
}

/** The text of a .docx (mammoth's HTML, so a table keeps its cells as tab-separated rows). */
export async function docxToText(arrayBuffer: ArrayBuffer): Promise<string> {
  // Loaded on first use: mammoth is large and most imports are pasted text or .txt. Vite
  // follows mammoth's `browser` field, which swaps its Node file access for browser code.
  const { default: mammoth } = await import('mammoth');
  let html: string;
  try {
    // The browser build reads `arrayBuffer`; the Node build (tests) reads `buffer`, which it
    // hands to JSZip, which takes a Uint8Array as well as a Buffer.
    const input = { arrayBuffer, buffer: new Uint8Array(arrayBuffer) } as {
      arrayBuffer: ArrayBuffer;
    };
    html = (await mammoth.convertToHtml(input)).value;
  } catch (cause) {
    throw new ImportError('unreadable-docx', importErrorMessage('unreadable-docx'), { cause });
  }
  const text = docxHtmlToText(html);
  if (text.trim() === '') throw new ImportError('empty', importErrorMessage('empty'));
  return text;
}
