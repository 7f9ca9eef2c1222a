import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
  convertMillimetersToTwip,
} from 'docx';
import type { TableRow as PlanRow } from '../../shared/index.ts';
import {
  DEFAULT_LABELS,
  FONTS,
  SIZES,
  columnWidths,
  pageMargins,
  pageSize,
  type PrintInput,
} from './layout.ts';

const mm = convertMillimetersToTwip;
/** Short columns are centred, as in the print view. */
const CENTERED: ReadonlySet<string> = new Set(['seq', 'lead', 'assignee', 'deadline']);
const font = (stack: readonly string[]): { ascii: string; eastAsia: string; hAnsi: string } => ({
  ascii: 'Times New Roman',
  hAnsi: 'Times New Roman',
  eastAsia: stack[0] as string,
});
const half = (pt: number): number => pt * 2;

function cell(
  text: string,
  width: number,
  opts: {
    header?: boolean;
    span?: number;
    center?: boolean;
    /** A heading row: 黑体 for sections, 楷体 below them, as in the print view. */
    level?: number;
  } = {},
): TableCell {
  const lines = text.split('\n');
  return new TableCell({
    width: { size: mm(width), type: WidthType.DXA },
    columnSpan: opts.span,
    verticalAlign: VerticalAlign.CENTER,
    margins: { top: mm(1), bottom: mm(1), left: mm(1.5), right: mm(1.5) },
    children: lines.map(
      (line) =>
        new Paragraph({
          alignment: opts.header || opts.center ? AlignmentType.CENTER : AlignmentType.LEFT,
          // Item headings are set in a little, as in the print view.
          ...(opts.level !== undefined && opts.level > 1 ? { indent: { left: mm(2.5) } } : {}),
          children: [
            new TextRun({
              text: line,
              font: font(
                opts.header || opts.level === 1
                  ? FONTS.heading
                  : opts.level !== undefined
                    ? FONTS.kai
                    : FONTS.body,
              ),
              size: half(SIZES.table),
            }),
          ],
        }),
    ),
  });
}

function pageNumberFooter(align: (typeof AlignmentType)[keyof typeof AlignmentType]): Footer {
  return new Footer({
    children: [
      new Paragraph({
        alignment: align,
        children: [
          new TextRun({ text: '— ', size: half(SIZES.pageNumber), font: font(FONTS.body) }),
          new TextRun({
            children: [PageNumber.CURRENT],
            size: half(SIZES.pageNumber),
            font: font(FONTS.body),
          }),
          new TextRun({ text: ' —', size: half(SIZES.pageNumber), font: font(FONTS.body) }),
        ],
      }),
    ],
  });
}

/**
 * The checklist as a Word document in the look of an official table attachment: A4, the
 * GB/T 9704 margins, 小标宋 22 pt title, 黑体 header row repeated on every page, 仿宋 小四
 * table text, rows never split across pages, “— 1 —” page numbers with odd pages right
 * and even pages left.
 */
export async function buildDocx(rows: readonly PlanRow[], input: PrintInput): Promise<Uint8Array> {
  const labels = input.labels ?? DEFAULT_LABELS;
  const size = pageSize(input.orientation);
  const margin = pageMargins(input.orientation);
  const blockWidth = size.width - margin.left - margin.right;
  const widths = columnWidths(input.columns, blockWidth);
  const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };

  const header = new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: input.columns.map((c, i) => cell(labels[c], widths[i] as number, { header: true })),
  });
  const body = rows.map((row) =>
    row.kind === 'task'
      ? new TableRow({
          cantSplit: true,
          children: input.columns.map((c, i) =>
            cell(row.cells[c], widths[i] as number, { center: CENTERED.has(c) }),
          ),
        })
      : new TableRow({
          cantSplit: true,
          children: [
            cell(row.number + row.title, blockWidth, {
              level: row.level,
              span: input.columns.length,
            }),
          ],
        }),
  );

  const paragraphs: (Paragraph | Table)[] = [];
  if (input.attachment)
    paragraphs.push(
      new Paragraph({
        children: [
          new TextRun({ text: '附件', font: font(FONTS.heading), size: half(SIZES.attachment) }),
        ],
      }),
    );
  paragraphs.push(
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { before: mm(4), after: mm(2) },
      children: [
        new TextRun({ text: input.title, font: font(FONTS.title), size: half(SIZES.title) }),
      ],
    }),
  );
  if (input.subtitle)
    paragraphs.push(
      new Paragraph({
        alignment: AlignmentType.CENTER,
        spacing: { after: mm(4) },
        children: [
          new TextRun({ text: input.subtitle, font: font(FONTS.body), size: half(SIZES.subtitle) }),
        ],
      }),
    );
  paragraphs.push(
    new Table({
      layout: TableLayoutType.FIXED,
      width: { size: mm(blockWidth), type: WidthType.DXA },
      columnWidths: widths.map((w) => mm(w)),
      borders: {
        top: border,
        bottom: border,
        left: border,
        right: border,
        insideHorizontal: border,
        insideVertical: border,
      },
      rows: [header, ...body],
    }),
  );
  if (input.signature)
    paragraphs.push(
      new Paragraph({
        spacing: { before: mm(10) },
        alignment: AlignmentType.RIGHT,
        children: [
          new TextRun({
            text: '审定人：________________　　日期：______年____月____日',
            font: font(FONTS.body),
            size: half(SIZES.subtitle),
          }),
        ],
      }),
    );

  const doc = new Document({
    title: input.title,
    evenAndOddHeaderAndFooters: true,
    sections: [
      {
        properties: {
          page: {
            size: {
              width: mm(210),
              height: mm(297),
              orientation:
                input.orientation === 'landscape'
                  ? PageOrientation.LANDSCAPE
                  : PageOrientation.PORTRAIT,
            },
            margin: {
              top: mm(margin.top),
              right: mm(margin.right),
              bottom: mm(margin.bottom),
              left: mm(margin.left),
              footer: mm(Math.max(7, margin.bottom - 7 - 5)),
            },
          },
        },
        footers: {
          default: pageNumberFooter(AlignmentType.RIGHT),
          even: pageNumberFooter(AlignmentType.LEFT),
        },
        children: paragraphs,
      },
    ],
  });
  return new Uint8Array(await Packer.toArrayBuffer(doc));
}
