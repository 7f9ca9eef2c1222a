import { COLUMN_LABELS, type TableColumn } from '../../shared/index.ts';

/**
 * Page geometry and type of the printed checklist, after GB/T 9704-2012 as far as a table
 * attachment goes, shared by the print view, the .docx and the .xlsx so all three match.
 */
export type Orientation = 'landscape' | 'portrait';

/** Margins in millimetres. Portrait: text block 156 × 225 mm, top 37, binding edge 28. */
export function pageMargins(orientation: Orientation): {
  top: number;
  right: number;
  bottom: number;
  left: number;
} {
  // Landscape is the portrait page turned a quarter: the 156 × 225 block lies across, the
  // binding edge (28 mm) at the top where the stapled stack is bound, 37 mm on the left.
  return orientation === 'portrait'
    ? { top: 37, right: 26, bottom: 35, left: 28 }
    : { top: 28, right: 35, bottom: 26, left: 37 };
}

/** A4 in millimetres. */
export function pageSize(orientation: Orientation): { width: number; height: number } {
  return orientation === 'portrait' ? { width: 210, height: 297 } : { width: 297, height: 210 };
}

/** Font stacks by their usual names on users' machines, then free fallbacks. */
export const FONTS = {
  /** 小标宋: the title. */
  title: ['方正小标宋简体', 'FZXiaoBiaoSong-B05S', 'STZhongsong', 'Noto Serif CJK SC', 'serif'],
  /** 仿宋: the body and table text. */
  body: [
    '仿宋_GB2312',
    'FangSong_GB2312',
    '仿宋',
    'FangSong',
    'STFangsong',
    'Noto Serif CJK SC',
    'serif',
  ],
  /** 楷体: second-level headings (（一）…), as in the body of an official document. */
  kai: ['楷体_GB2312', 'KaiTi_GB2312', '楷体', 'KaiTi', 'STKaiti', 'Noto Serif CJK SC', 'serif'],
  /** 黑体: the header row and headings. */
  heading: ['黑体', 'SimHei', 'STHeiti', 'Noto Sans CJK SC', 'sans-serif'],
  /** 楷体 is not used; page numbers use the body face (宋体 in Word's default template). */
} as const;

/** Point sizes: 二号 22 pt title, 三号 16 pt subtitle, 小四 12 pt table, 四号 14 pt page numbers. */
export const SIZES = {
  title: 22,
  subtitle: 16,
  table: 12,
  pageNumber: 14,
  attachment: 16,
} as const;

/**
 * Column widths in millimetres for the landscape text block (225 mm): the task and measures
 * columns get the room; the short ones are wide enough for their header (four characters
 * of 小四 are 17 mm), a leader such as 局党组书记, a branch such as 离退休党支部, 责任人12 and a
 * date such as 2024年12月31日 on one line (measured with Noto Serif CJK, whose digits are wider
 * than 仿宋's).
 */
export const COLUMN_WEIGHTS: Readonly<Record<TableColumn, number>> = {
  seq: 12,
  title: 34,
  measures: 40,
  lead: 25,
  owners: 30,
  assignee: 21,
  deadline: 35,
  notes: 28,
};

/** The 序号 column never gets narrower than two digits and its cell padding. */
const MIN_SEQ = 12;

/** Column widths in millimetres for a text block `width` mm wide. */
export function columnWidths(columns: readonly TableColumn[], width: number): number[] {
  const total = columns.reduce((s, c) => s + COLUMN_WEIGHTS[c], 0);
  const scaled = columns.map((c) => (COLUMN_WEIGHTS[c] / total) * width);
  const i = columns.indexOf('seq');
  const seq = scaled[i];
  if (i < 0 || seq === undefined || seq >= MIN_SEQ || columns.length === 1) return scaled;
  // Take what 序号 lacks from the others in proportion.
  const rest = width - MIN_SEQ;
  const others = width - seq;
  return scaled.map((w, j) => (j === i ? MIN_SEQ : (w / others) * rest));
}

/** What the exporters and the print view take. */
export interface PrintInput {
  readonly title: string;
  /** Version name and date, e.g. “2023年4月党组会审定稿 2023年4月10日”. */
  readonly subtitle?: string;
  /** Print the “附件” line above the title. */
  readonly attachment?: boolean;
  readonly columns: readonly TableColumn[];
  readonly orientation: Orientation;
  /** Signature area: 审定人 / 日期. */
  readonly signature?: boolean;
  readonly labels?: Readonly<Record<TableColumn, string>>;
}

export const DEFAULT_LABELS = COLUMN_LABELS;
