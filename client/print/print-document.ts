import {
  formatDate,
  planTable,
  readPlan,
  readVersion,
  type Plan,
  type TableRow,
} from '../../shared/index.ts';
import type * as Y from 'yjs';

/** The ideographic space that separates the parts of the version line. */
const GAP = '\u3000';
import type { PrintInput } from '../export/layout.ts';
import type { PrintPrefs } from '../storage/print-prefs.ts';

/**
 * The day a version was agreed, as the document writes it (2023年4月10日); '' when a peer
 * wrote something that is not an ISO date.
 */
export function agreedOn(at: string): string {
  return /^\d{4}-\d{2}-\d{2}/.test(at) ? formatDate(at.slice(0, 10)) : '';
}

/** What the print view shows: the rows of the table and how to lay them out. */
export interface PrintDocument {
  readonly rows: readonly TableRow[];
  readonly input: PrintInput;
  /** The branch actually printed (null: all, or the requested one is not in this plan). */
  readonly branch: string | null;
  readonly plan: Plan;
}

/** Why there is nothing to print yet. */
export type PrintMissing = 'plan' | 'version';

/**
 * The printed document for a plan: the agreed version `version` (or the plan as it is
 * now, a 讨论稿), only `branch`'s tasks when given. The document's own text is Chinese,
 * whatever the interface language.
 */
export function printDocument(
  doc: Y.Doc,
  target: { readonly version: string | null; readonly branch: string | null },
  prefs: PrintPrefs,
): PrintDocument | PrintMissing {
  let plan: Plan;
  let versionLine: string;
  if (target.version !== null) {
    const v = readVersion(doc, target.version);
    if (!v) return 'version';
    plan = v.plan;
    versionLine = [v.name, agreedOn(v.at)].filter((x) => x !== '').join(GAP);
  } else {
    plan = readPlan(doc);
    if (plan.title === '' && plan.tasks.length === 0) return 'plan';
    versionLine = '（讨论稿）';
  }
  const branch = plan.branches.find((b) => b.id === target.branch) ?? null;
  const rows = planTable(plan, branch ? { branch: branch.id } : {});
  const subtitle = branch ? `${branch.name}责任清单${GAP}${versionLine}` : versionLine;
  return {
    rows,
    plan,
    branch: branch?.id ?? null,
    input: {
      title: plan.title,
      subtitle,
      attachment: prefs.attachment,
      signature: prefs.signature,
      columns: prefs.columns,
      orientation: prefs.orientation,
    },
  };
}

/** A file name for an export: the title (and the version), without characters Windows refuses. */
export function exportFileName(input: PrintInput, ext: string): string {
  const base = `${input.title || '清单'}${input.subtitle && input.subtitle !== '（讨论稿）' ? `（${input.subtitle.replace(/\s+/g, ' ')}）` : ''}`;
  return `${base.replace(/[\\/:*?"<>|]/g, '_').slice(0, 120)}.${ext}`;
}
