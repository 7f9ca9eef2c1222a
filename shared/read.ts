import type * as Y from 'yjs';
import {
  K,
  branchesOf,
  compareByRank,
  deadlineOf,
  entriesOf,
  entryAt,
  metaOf,
  ownersOf,
  rankOf,
  statusOf,
  str,
  tasksOf,
  type Deadline,
  type TaskMap,
  type TaskStatus,
} from './schema.ts';
import { resolveTree, type ResolvedTree } from './tree.ts';

/** A branch (党支部 or office) as `readPlan` returns it. */
export interface Branch {
  readonly id: string;
  readonly name: string;
  readonly secretary?: string;
}

/** A task's fields as plain values. */
export interface Task {
  readonly id: string;
  /** Outline label such as `（一）` or `一是`. */
  readonly number: string;
  readonly title: string;
  /** 具体措施 */
  readonly measures: string;
  /** 牵头领导 / 分管领导 */
  readonly lead: string;
  /** 责任单位: branch ids, in order. */
  readonly owners: readonly string[];
  /** 责任人 */
  readonly assignee: string;
  /** 完成时限 */
  readonly deadline: Deadline;
  readonly status: TaskStatus;
  /** 进展情况 */
  readonly notes: string;
  readonly updatedBy?: string;
  readonly updatedAt?: string;
}

/** A task with its visible children, in order. */
export interface TaskNode extends Task {
  readonly children: readonly TaskNode[];
}

/** A plain, deterministic snapshot of a plan. */
export interface Plan {
  readonly title: string;
  readonly year: number | null;
  readonly branches: readonly Branch[];
  readonly tasks: readonly TaskNode[];
}

/** A deleted task as the trash lists it. */
export interface TrashEntry {
  readonly id: string;
  readonly title: string;
  readonly number: string;
  readonly deletedBy?: string;
  readonly deletedAt?: string;
  /** How many tasks come back with it (itself included). */
  readonly size: number;
}

/**
 * The plan as plain data: metadata, live branches in order, and the tree of tasks that are
 * not deleted. Replicas with the same Yjs state return deep-equal snapshots; malformed
 * peer data is read tolerantly and never throws.
 */
export function readPlan(doc: Y.Doc): Plan {
  const meta = metaOf(doc);
  const year = meta.get('year');
  const branches = readBranches(doc);
  const live = new Set(branches.map((b) => b.id));
  const tree = resolveTree(doc);
  const tasks = tasksOf(doc);
  const build = (parent: string | null): TaskNode[] => {
    const out: TaskNode[] = [];
    for (const id of tree.childrenOf.get(parent) ?? []) {
      if (tree.hidden.has(id)) continue;
      const task = readTaskMap(id, tasks.get(id) as TaskMap, live);
      out.push({ ...task, children: build(id) });
    }
    return out;
  };
  return {
    title: str(meta.get('title')),
    year: typeof year === 'number' && Number.isInteger(year) ? year : null,
    branches,
    tasks: build(null),
  };
}

/** The live branches, in order. */
export function readBranches(doc: Y.Doc): Branch[] {
  const list: { id: string; rank: string; b: Y.Map<unknown> }[] = [];
  for (const [id, b] of entriesOf(branchesOf(doc))) {
    if (b.get(K.deleted) === true) continue;
    list.push({ id, rank: rankOf(b), b });
  }
  return list.sort(compareByRank).map(({ id, b }) => {
    const secretary = str(b.get('secretary'));
    return secretary === ''
      ? { id, name: str(b.get('name')) }
      : { id, name: str(b.get('name')), secretary };
  });
}

/** One task's fields, or null when there is no such task. Deleted tasks are read too. */
export function readTask(doc: Y.Doc, id: string): Task | null {
  const task = entryAt(tasksOf(doc), id);
  if (task === undefined) return null;
  return readTaskMap(id, task, new Set(readBranches(doc).map((b) => b.id)));
}

/**
 * Every deleted task (one deleted inside an already deleted subtree too, so that restoring
 * each entry brings back everything), most recently deleted first.
 */
export function readTrash(doc: Y.Doc, tree: ResolvedTree = resolveTree(doc)): TrashEntry[] {
  const tasks = tasksOf(doc);
  const out: TrashEntry[] = [];
  const count = (id: string): number =>
    1 + (tree.childrenOf.get(id) ?? []).reduce((n, c) => n + count(c), 0);
  for (const id of tree.hidden) {
    const t = tasks.get(id) as TaskMap;
    if (t.get(K.deleted) !== true) continue;
    const entry: {
      id: string;
      title: string;
      number: string;
      size: number;
      deletedBy?: string;
      deletedAt?: string;
    } = { id, title: str(t.get(K.title)), number: str(t.get(K.number)), size: count(id) };
    const by = t.get(K.deletedBy);
    const at = t.get(K.deletedAt);
    if (typeof by === 'string') entry.deletedBy = by;
    if (typeof at === 'string') entry.deletedAt = at;
    out.push(entry);
  }
  return out.sort((a, b) =>
    (b.deletedAt ?? '') !== (a.deletedAt ?? '')
      ? (b.deletedAt ?? '') < (a.deletedAt ?? '')
        ? -1
        : 1
      : a.id < b.id
        ? -1
        : 1,
  );
}

function readTaskMap(id: string, t: TaskMap, liveBranches: ReadonlySet<string>): Task {
  const task: {
    -readonly [P in keyof Task]: Task[P];
  } = {
    id,
    number: str(t.get(K.number)),
    title: str(t.get(K.title)),
    measures: str(t.get(K.measures)),
    lead: str(t.get(K.lead)),
    owners: ownersOf(t.get(K.owners)).filter((o) => liveBranches.has(o)),
    assignee: str(t.get(K.assignee)),
    deadline: deadlineOf(t.get(K.deadline)),
    status: statusOf(t.get(K.status)),
    notes: str(t.get(K.notes)),
  };
  const by = t.get(K.updatedBy);
  const at = t.get(K.updatedAt);
  if (typeof by === 'string') task.updatedBy = by;
  if (typeof at === 'string') task.updatedAt = at;
  return task;
}
