import type * as Y from 'yjs';
// The plan API's own modules, not ../index.ts, so that index.ts can re-export this module
// without an import cycle.
import { addBranch, addTask, createPlan, type Actor, type NewTask } from '../ops.ts';
import { LOCAL_EDIT } from '../origins.ts';
import { readPlan } from '../read.ts';
import { tasksOf } from '../schema.ts';
import { deadlineDate } from './deadline.ts';
import { ImportError, importErrorMessage, type Outline, type OutlineNode } from './types.ts';

/** Options for `outlineToPlan`. */
export interface OutlineToPlanOptions {
  /** The plan's title (default: the outline's title, else “导入的清单”). */
  readonly title?: string;
  /** The plan's year (default: the plan's own, else the first “20xx年” of the title). */
  readonly year?: number;
  /** Origin of the one transaction that writes everything (default LOCAL_EDIT). */
  readonly origin?: unknown;
  /** Recorded as who created each task. */
  readonly actor?: Actor;
  /** Ids for new tasks and branches (deterministic tests); default: random ids. */
  readonly newId?: (kind: 'task' | 'branch', index: number) => string;
}

/** What `outlineToPlan` created. */
export interface OutlineToPlanResult {
  /** Ids of the tasks created, in reading order. */
  readonly taskIds: string[];
  /** Branch id by name, for every owner named in the outline (created or reused). */
  readonly branches: Readonly<Record<string, string>>;
}

const MAX_SHORT = 500;
const MAX_TEXT = 100_000;
const DEFAULT_TITLE = '导入的清单';

function clip(s: string, max: number): string {
  return s.length <= max ? s : s.slice(0, max);
}

/**
 * Fills an empty plan from an outline, in one transaction: the plan's title and year (unless
 * the document already has them: `createPlan` never overwrites), a
 * branch per distinct owner name (reusing a branch of that name), and a task per node with
 * its number, title, body as measures, lead, owners, and deadline (text, and the date the
 * text names). Throws ImportError('plan-not-empty') when the document already has tasks:
 * import only ever creates a new plan, because re-seeding a synced document doubles it.
 */
export function outlineToPlan(
  doc: Y.Doc,
  outline: Outline,
  options: OutlineToPlanOptions = {},
): OutlineToPlanResult {
  if (tasksOf(doc).size > 0)
    throw new ImportError('plan-not-empty', importErrorMessage('plan-not-empty'));
  const title = clip(options.title ?? (outline.title || DEFAULT_TITLE), MAX_SHORT);
  const found = Number(/((?:19|20)\d{2})\s*年/.exec(title)?.[1]);
  // The plan API takes years from 1949 to 2999.
  const titleYear = found >= 1949 && found <= 2999 ? found : undefined;
  const taskIds: string[] = [];
  const branches: Record<string, string> = {};
  const origin = options.origin ?? LOCAL_EDIT;
  const opts = { origin, ...(options.actor !== undefined ? { actor: options.actor } : {}) };
  let taskCount = 0;
  let branchCount = 0;

  doc.transact(() => {
    const existing = readPlan(doc);
    const year = options.year ?? existing.year ?? titleYear;
    createPlan(doc, year !== undefined ? { title, year } : { title }, opts);
    const planYear = readPlan(doc).year ?? year ?? null;
    for (const b of existing.branches) branches[b.name] = b.id;

    const branchOf = (name: string): string => {
      const known = branches[name];
      if (known !== undefined) return known;
      const id = options.newId?.('branch', branchCount);
      branchCount++;
      const created = addBranch(doc, id !== undefined ? { id, name } : { name }, opts);
      branches[name] = created;
      return created;
    };

    const add = (parent: string | null, node: OutlineNode): void => {
      const fields: {
        -readonly [K in keyof NewTask]: NewTask[K];
      } = {
        number: clip(node.number, MAX_SHORT),
        title: clip(node.title, MAX_TEXT),
        measures: clip(node.body, MAX_TEXT),
      };
      const id = options.newId?.('task', taskCount);
      taskCount++;
      if (id !== undefined) fields.id = id;
      if (node.lead !== undefined) fields.lead = clip(node.lead, MAX_SHORT);
      if (node.assignee !== undefined) fields.assignee = clip(node.assignee, MAX_SHORT);
      if (node.owners !== undefined && node.owners.length > 0)
        fields.owners = node.owners
          .map((o) => clip(o.trim(), MAX_SHORT))
          .filter((o) => o !== '')
          .map(branchOf)
          .filter((o, i, all) => all.indexOf(o) === i);
      if (node.deadline !== undefined && node.deadline !== '') {
        const text = clip(node.deadline, MAX_SHORT);
        const date = deadlineDate(text, planYear);
        fields.deadline = date !== undefined ? { text, date } : { text };
      }
      const created = addTask(doc, parent, fields, {}, opts);
      taskIds.push(created);
      for (const child of node.children) add(created, child);
    };
    for (const node of outline.nodes) add(null, node);
  }, origin);
  return { taskIds, branches };
}
