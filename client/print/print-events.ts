import { msg } from '@lit/localize';
import type { TableColumn } from '../../shared/index.ts';
import type { PrintPrefs } from '../storage/print-prefs.ts';
import type { ExportFormat } from './export-file.ts';

/** The user changed a print option (columns, orientation, 附件 line, signature area). */
export class PrintPrefsChange extends Event {
  readonly prefs: PrintPrefs;
  constructor(prefs: PrintPrefs) {
    super('print-prefs-change', { bubbles: true, composed: true });
    this.prefs = prefs;
  }
}

/** The user picked what to print: an agreed version (or the current plan), one branch (or all). */
export class PrintTargetChange extends Event {
  readonly version: string | null;
  readonly branch: string | null;
  constructor(version: string | null, branch: string | null) {
    super('print-target-change', { bubbles: true, composed: true });
    this.version = version;
    this.branch = branch;
  }
}

/** The user asked to print, or to export in a format. */
export class PrintAction extends Event {
  readonly action: 'print' | ExportFormat;
  constructor(action: 'print' | ExportFormat) {
    super('print-action', { bubbles: true, composed: true });
    this.action = action;
  }
}

/** The interface name of a column (the printed header stays the document's own). */
export function columnName(c: TableColumn): string {
  switch (c) {
    case 'seq':
      return msg('序号', { id: 'print.col-seq' });
    case 'title':
      return msg('工作任务', { id: 'print.col-title' });
    case 'measures':
      return msg('具体措施', { id: 'print.col-measures' });
    case 'lead':
      return msg('牵头领导', { id: 'print.col-lead' });
    case 'owners':
      return msg('责任单位', { id: 'print.col-owners' });
    case 'assignee':
      return msg('责任人', { id: 'print.col-assignee' });
    case 'deadline':
      return msg('完成时限', { id: 'print.col-deadline' });
    case 'notes':
      return msg('备注（进展）', { id: 'print.col-notes' });
  }
}
