import ExcelJS from 'exceljs';
import type { TableRow as PlanRow } from '../../shared/index.ts';
import {
  DEFAULT_LABELS,
  FONTS,
  SIZES,
  columnWidths,
  pageMargins,
  type PrintInput,
} from './layout.ts';

const INCH = 25.4;

/**
 * The checklist as an Excel workbook with the same table: title and version lines, the
 * header row repeated when printed, headings merged across the row, A4 with the same
 * margins, wrapped text.
 */
export async function buildXlsx(rows: readonly PlanRow[], input: PrintInput): Promise<Uint8Array> {
  const labels = input.labels ?? DEFAULT_LABELS;
  const wb = new ExcelJS.Workbook();
  wb.title = input.title;
  const margin = pageMargins(input.orientation);
  const ws = wb.addWorksheet('清单', {
    pageSetup: {
      paperSize: 9, // A4
      orientation: input.orientation,
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      margins: {
        top: margin.top / INCH,
        bottom: margin.bottom / INCH,
        left: margin.left / INCH,
        right: margin.right / INCH,
        header: 0.3,
        footer: 0.3,
      },
    },
    headerFooter: {
      differentOddEven: true,
      oddFooter: '&R— &P —',
      evenFooter: '&L— &P —',
    },
  });
  const n = input.columns.length;
  const widths = columnWidths(input.columns, 225);
  ws.columns = input.columns.map((c, i) => ({
    key: c,
    width: Math.max(6, (widths[i] as number) / 2.2),
  }));
  const body = { name: FONTS.body[0], size: SIZES.table };
  const border = {
    top: { style: 'thin' as const },
    bottom: { style: 'thin' as const },
    left: { style: 'thin' as const },
    right: { style: 'thin' as const },
  };

  let r = 1;
  if (input.attachment) {
    ws.getCell(r, 1).value = '附件';
    ws.getCell(r, 1).font = { name: FONTS.heading[0], size: SIZES.attachment };
    r += 1;
  }
  ws.mergeCells(r, 1, r, n);
  ws.getCell(r, 1).value = input.title;
  ws.getCell(r, 1).font = { name: FONTS.title[0], size: SIZES.title };
  ws.getCell(r, 1).alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  ws.getRow(r).height = 40;
  r += 1;
  if (input.subtitle) {
    ws.mergeCells(r, 1, r, n);
    ws.getCell(r, 1).value = input.subtitle;
    ws.getCell(r, 1).font = { name: FONTS.body[0], size: SIZES.subtitle };
    ws.getCell(r, 1).alignment = { horizontal: 'center' };
    r += 1;
  }
  const headerRow = r;
  input.columns.forEach((c, i) => {
    const cellRef = ws.getCell(r, i + 1);
    cellRef.value = labels[c];
    cellRef.font = { name: FONTS.heading[0], size: SIZES.table, bold: true };
    cellRef.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cellRef.border = border;
  });
  r += 1;
  for (const row of rows) {
    if (row.kind === 'group') {
      ws.mergeCells(r, 1, r, n);
      const c = ws.getCell(r, 1);
      c.value = row.number + row.title;
      c.font = { name: (row.level === 1 ? FONTS.heading : FONTS.kai)[0], size: SIZES.table };
      c.alignment = { vertical: 'middle', wrapText: true, indent: row.level > 1 ? 1 : 0 };
      for (let i = 1; i <= n; i += 1) ws.getCell(r, i).border = border;
    } else {
      input.columns.forEach((col, i) => {
        const c = ws.getCell(r, i + 1);
        c.value = row.cells[col];
        c.font = body;
        c.alignment = {
          vertical: 'middle',
          horizontal: ['seq', 'lead', 'assignee', 'deadline'].includes(col) ? 'center' : 'left',
          wrapText: true,
        };
        c.border = border;
      });
    }
    r += 1;
  }
  ws.pageSetup.printTitlesRow = `${headerRow}:${headerRow}`;
  if (input.signature) {
    r += 1;
    ws.mergeCells(r, 1, r, n);
    ws.getCell(r, 1).value = '审定人：________________　　日期：______年____月____日';
    ws.getCell(r, 1).alignment = { horizontal: 'right' };
    ws.getCell(r, 1).font = body;
  }
  const buf = await wb.xlsx.writeBuffer();
  return new Uint8Array(buf as ArrayBuffer);
}
