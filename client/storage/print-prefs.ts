import { get, set } from 'idb-keyval';
import { TABLE_COLUMNS, type TableColumn } from '../../shared/index.ts';
import type { Orientation } from '../export/layout.ts';
import { prefsStore } from './stores.ts';

/** The print view's options, remembered on this device (not in the plan: they are a taste). */
export interface PrintPrefs {
  readonly columns: readonly TableColumn[];
  readonly orientation: Orientation;
  /** Print the “附件” line above the title. */
  readonly attachment: boolean;
  /** Print the signature area (审定人 / 日期). */
  readonly signature: boolean;
}

export const DEFAULT_PRINT_PREFS: PrintPrefs = {
  columns: TABLE_COLUMNS,
  orientation: 'landscape',
  attachment: true,
  signature: false,
};

const KEY = 'print';

/** Reads stored options, keeping only what is still valid (columns in the table's order). */
export function normalizePrintPrefs(raw: unknown): PrintPrefs {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const cols = Array.isArray(r['columns']) ? (r['columns'] as unknown[]) : null;
  const columns = cols ? TABLE_COLUMNS.filter((c) => cols.includes(c)) : TABLE_COLUMNS;
  const d = DEFAULT_PRINT_PREFS;
  return {
    columns: columns.length > 0 ? columns : TABLE_COLUMNS,
    orientation: r['orientation'] === 'portrait' ? 'portrait' : 'landscape',
    attachment: typeof r['attachment'] === 'boolean' ? r['attachment'] : d.attachment,
    signature: typeof r['signature'] === 'boolean' ? r['signature'] : d.signature,
  };
}

export async function loadPrintPrefs(): Promise<PrintPrefs> {
  return normalizePrintPrefs(await get(KEY, prefsStore()));
}

export async function savePrintPrefs(prefs: PrintPrefs): Promise<void> {
  await set(KEY, { ...prefs, columns: [...prefs.columns] }, prefsStore());
}
