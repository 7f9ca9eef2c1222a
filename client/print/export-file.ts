import { tableToCsv } from '../../shared/index.ts';
import { exportFileName, type PrintDocument } from './print-document.ts';

/** The export formats. */
export type ExportFormat = 'xlsx' | 'docx' | 'csv';

const MIME: Record<ExportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  csv: 'text/csv;charset=utf-8',
};

/**
 * Builds the printed document as a file and hands it to the browser as a download. The
 * .xlsx and .docx writers (exceljs, docx) are loaded here, on first use, not with the app.
 */
export async function exportDocument(printed: PrintDocument, format: ExportFormat): Promise<void> {
  let bytes: Uint8Array | string;
  if (format === 'xlsx')
    bytes = await (await import('../export/xlsx.ts')).buildXlsx(printed.rows, printed.input);
  else if (format === 'docx')
    bytes = await (await import('../export/docx.ts')).buildDocx(printed.rows, printed.input);
  else bytes = tableToCsv(printed.rows, printed.input.columns);
  download(bytes, exportFileName(printed.input, format), MIME[format]);
}

function download(bytes: Uint8Array | string, name: string, type: string): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // The download has started from the URL; revoking it on the next task is safe.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
