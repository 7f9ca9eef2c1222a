/** One heading or point of a policy document's outline. */
export interface OutlineNode {
  /**
   * The outline label as the document writes it, without the space after it: `一、`, `（一）`,
   * `1.`, `（1）`, `①`, `第一章`, `第三条`, `1.2.1`, `一是`. Half-width parentheses become
   * full-width and full-width digits ASCII, so the same label always reads the same.
   */
  number: string;
  /** The heading, or for a point its clause up to the first 。 (or ；/：). */
  title: string;
  /** The text below the heading up to the next marker (具体措施); '' when there is none. */
  body: string;
  /** 牵头领导 / 牵头单位 (or “A会同有关部门负责” → A). */
  lead?: string;
  /** 责任单位 as the text names them, in that order, the lead unit included. */
  owners?: string[];
  /** 完成时限 as written: “2023年6月底前”, “长期坚持”. */
  deadline?: string;
  /** 责任人 as written: the task's assignee. */
  assignee?: string;
  children: OutlineNode[];
}

/** A policy document's outline: what `importPolicyText` returns. */
export interface Outline {
  /** The document's title (for a 通知 that only wraps a 方案, the 方案's title). */
  title: string | null;
  /** The text between the title and the first heading (addressee and letterhead removed). */
  preamble: string;
  /** Depth 1 = sections (一、), depth 2 = items (（一）), and so on. */
  nodes: OutlineNode[];
  /** Things a person should look at before creating a plan from this outline. */
  warnings: string[];
}

/** Why a file or text cannot be imported. */
export type ImportErrorCode =
  | 'empty'
  | 'binary'
  | 'too-large'
  | 'no-outline'
  | 'unsupported-format'
  | 'unreadable-docx'
  | 'plan-not-empty';

/** The largest text `importPolicyText` takes, in UTF-16 code units (about 1 million 汉字). */
export const MAX_IMPORT_CHARS = 1_048_576;
/** The largest plain-text file `decodePolicyBytes` takes: 2 MiB. */
export const MAX_TEXT_FILE_BYTES = 2 * 1024 * 1024;
/** The largest .docx file the readers take: 20 MiB (Word files carry images). */
export const MAX_DOCX_FILE_BYTES = 20 * 1024 * 1024;

/**
 * Bad input for import: empty, binary, too large, no outline, or a plan that already has
 * content. `message` is a sentence a person can act on (Chinese, then English).
 */
export class ImportError extends Error {
  readonly code: ImportErrorCode;

  constructor(code: ImportErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ImportError';
    this.code = code;
  }
}

/** True when `e` is an ImportError, optionally of one code. */
export function isImportError(e: unknown, code?: ImportErrorCode): e is ImportError {
  return e instanceof ImportError && (code === undefined || e.code === code);
}

/** The messages of the error codes, so the CLI and the UI say the same thing. */
export function importErrorMessage(code: ImportErrorCode): string {
  switch (code) {
    case 'empty':
      return '文件是空的，没有可导入的内容。 (The file is empty: there is nothing to import.)';
    case 'binary':
      return '这不是文本文件（看起来是二进制文件）；请选择 .txt 或 .docx 文件。 (This is not a text file; choose a .txt or .docx file.)';
    case 'too-large':
      return `文件太大：纯文本最多 ${MAX_TEXT_FILE_BYTES / 1024 / 1024} MB，Word 文件最多 ${MAX_DOCX_FILE_BYTES / 1024 / 1024} MB，文字最多 ${MAX_IMPORT_CHARS} 个字符。 (The file is too large: at most 2 MB of plain text, a 20 MB .docx, ${MAX_IMPORT_CHARS} characters.)`;
    case 'no-outline':
      return '没有找到提纲（如“一、”“（一）”“1.”“一是”）。 (No outline found: no headings such as 一、 （一） 1. 一是.)';
    case 'unsupported-format':
      return '只支持 .txt 和 .docx 文件（.doc、.pdf、.wps 请先另存为 .docx 或 .txt）。 (Only .txt and .docx files are supported; save .doc, .pdf or .wps as .docx or .txt first.)';
    case 'unreadable-docx':
      return '无法读取这个 Word 文件，它可能已损坏或不是 .docx 格式。 (This Word file cannot be read: it may be damaged or not a .docx.)';
    case 'plan-not-empty':
      return '这个清单已有内容；导入只能新建清单。 (This plan already has content; import only creates a new plan.)';
  }
}
