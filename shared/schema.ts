import * as Y from 'yjs';

/**
 * The plan document's layout in Yjs. docs/schema.md describes it for programs that use
 * only `yjs`; keep the two in step.
 */
export const SCHEMA_VERSION = 1;

/** Top-level Y.Map: plan metadata (`schema`, `title`, `year`). */
export const META = 'meta';
/** Top-level Y.Map: task id → Y.Map of the task's fields. */
export const TASKS = 'tasks';
/** Top-level Y.Map: branch id → Y.Map of the branch's fields. */
export const BRANCHES = 'branches';

/** Task keys (inside each task's Y.Map). */
export const K = {
  pos: 'pos',
  rank: 'rank',
  number: 'number',
  title: 'title',
  measures: 'measures',
  notes: 'notes',
  lead: 'lead',
  owners: 'owners',
  assignee: 'assignee',
  deadline: 'deadline',
  status: 'status',
  deleted: 'deleted',
  deletedBy: 'deletedBy',
  deletedAt: 'deletedAt',
  updatedBy: 'updatedBy',
  updatedAt: 'updatedAt',
} as const;

/** The fields that are Y.Text, so concurrent typing in one field merges. */
export const TEXT_FIELDS = ['title', 'measures', 'notes'] as const;
export type TextField = (typeof TEXT_FIELDS)[number];

export const STATUSES = ['todo', 'doing', 'done'] as const;
export type TaskStatus = (typeof STATUSES)[number];

/**
 * Where a task hangs, written as one value so that a move is atomic: the parent, a Lamport
 * number that orders moves across replicas, and the parent the task had before this move
 * (used to undo the later of two moves that form a cycle).
 */
export interface Pos {
  readonly parent: string | null;
  readonly seq: number;
  readonly prev: string | null;
}

/** A deadline as documents write it: words (“长期坚持”, “6月底前”) and/or a date. */
export interface Deadline {
  readonly text?: string;
  /** `YYYY-MM-DD` */
  readonly date?: string;
}

export type TaskMap = Y.Map<unknown>;
export type BranchMap = Y.Map<unknown>;

/** The plan's metadata map. */
export function metaOf(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>(META);
}

/** The map of all tasks, deleted ones included. */
export function tasksOf(doc: Y.Doc): Y.Map<TaskMap> {
  return doc.getMap<TaskMap>(TASKS);
}

/** The map of all branches, removed ones included. */
export function branchesOf(doc: Y.Doc): Y.Map<BranchMap> {
  return doc.getMap<BranchMap>(BRANCHES);
}

/**
 * The task (or branch) stored under `id`, or undefined when there is none. A peer may have
 * stored anything under an id; only a Y.Map is a task or branch, anything else is skipped
 * everywhere, alike on every replica.
 */
export function entryAt<T>(map: Y.Map<T>, id: string): Y.Map<unknown> | undefined {
  const value: unknown = map.get(id);
  return value instanceof Y.Map ? (value as Y.Map<unknown>) : undefined;
}

/** The tasks (or branches) of a map: its entries that are a Y.Map (see {@link entryAt}). */
export function entriesOf<T>(map: Y.Map<T>): [string, Y.Map<unknown>][] {
  const out: [string, Y.Map<unknown>][] = [];
  for (const id of map.keys()) {
    const entry = entryAt(map, id);
    if (entry !== undefined) out.push([id, entry]);
  }
  return out;
}

/** Reads a value tolerantly: a peer may have written anything under any key. */
export function str(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Y.Text) return value.toString();
  return '';
}

/** A task's position, or a root position when the stored value is malformed. */
export function posOf(task: TaskMap): Pos {
  const raw = task.get(K.pos);
  if (typeof raw !== 'object' || raw === null) return { parent: null, seq: 0, prev: null };
  const r = raw as Record<string, unknown>;
  return {
    parent: typeof r['parent'] === 'string' ? r['parent'] : null,
    seq: typeof r['seq'] === 'number' && Number.isFinite(r['seq']) ? r['seq'] : 0,
    prev: typeof r['prev'] === 'string' ? r['prev'] : null,
  };
}

/** A task's sibling-order key ('' when malformed, which sorts first). */
export function rankOf(item: Y.Map<unknown>): string {
  const r = item.get(K.rank);
  return typeof r === 'string' ? r : '';
}

/** Sibling order: fractional-index key, then id as the deterministic tie-break. */
export function compareByRank(
  a: { readonly rank: string; readonly id: string },
  b: { readonly rank: string; readonly id: string },
): number {
  if (a.rank !== b.rank) return a.rank < b.rank ? -1 : 1;
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return 0;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const days = [
    31,
    y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28,
    31,
    30,
    31,
    30,
    31,
    31,
    30,
    31,
    30,
    31,
  ];
  return d <= (days[mo - 1] ?? 0);
}

/** A stored deadline read tolerantly. */
export function deadlineOf(value: unknown): Deadline {
  if (typeof value !== 'object' || value === null) return {};
  const r = value as Record<string, unknown>;
  const out: { text?: string; date?: string } = {};
  if (typeof r['text'] === 'string' && r['text'] !== '') out.text = r['text'];
  if (typeof r['date'] === 'string' && isIsoDate(r['date'])) out.date = r['date'];
  return out;
}

/** A stored status read tolerantly ('todo' when unknown). */
export function statusOf(value: unknown): TaskStatus {
  return (STATUSES as readonly unknown[]).includes(value) ? (value as TaskStatus) : 'todo';
}

/** Stored owners read tolerantly: strings only, each once, in stored order. */
export function ownersOf(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const out: string[] = [];
  for (const v of value) if (typeof v === 'string' && !out.includes(v)) out.push(v);
  return out;
}
