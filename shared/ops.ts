import * as Y from 'yjs';
import { generateKeyBetween, generateNKeysBetween } from 'fractional-indexing';
import { AppError } from './errors.ts';
import { LOCAL_EDIT } from './origins.ts';
import {
  K,
  SCHEMA_VERSION,
  STATUSES,
  TEXT_FIELDS,
  branchesOf,
  entriesOf,
  entryAt,
  isIsoDate,
  metaOf,
  ownersOf,
  posOf,
  rankOf,
  str,
  tasksOf,
  type BranchMap,
  type Deadline,
  type TaskMap,
  type TaskStatus,
  type TextField,
} from './schema.ts';
import {
  addToTree,
  isInSubtree,
  resolveTree,
  transactKeepingTree,
  type ResolvedTree,
} from './tree.ts';
import { applyTextDiff, wellFormed } from './text-diff.ts';

/** Who made a change and when; shared/ reads no clock, so the caller passes both. */
export interface Actor {
  readonly name: string;
  /** ISO 8601 time. */
  readonly at: string;
}

/** Options every operation takes. */
export interface OpOptions {
  /** Transaction origin (default LOCAL_EDIT), so an UndoManager can track local edits only. */
  readonly origin?: unknown;
  /** Recorded as the task's last change (`updatedBy`, `updatedAt`). */
  readonly actor?: Actor;
}

/** The editable fields of a task. */
export interface TaskFields {
  readonly number?: string;
  readonly title?: string;
  readonly measures?: string;
  readonly lead?: string;
  /** Branch ids, in order. */
  readonly owners?: readonly string[];
  readonly assignee?: string;
  readonly deadline?: Deadline | null;
  readonly status?: TaskStatus;
  readonly notes?: string;
}

/** Fields for a new task; `id` may be given (deterministic tests, imports). */
export interface NewTask extends TaskFields {
  readonly id?: string;
}

/** Where among its new siblings a task goes; default last. */
export interface Place {
  readonly after?: string;
  readonly before?: string;
}

export interface NewBranch {
  readonly id?: string;
  readonly name: string;
  readonly secretary?: string;
}

export interface BranchPatch {
  readonly name?: string;
  readonly secretary?: string;
}

const FIELD_NAMES = new Set<string>([
  'number',
  'title',
  'measures',
  'lead',
  'owners',
  'assignee',
  'deadline',
  'status',
  'notes',
]);
const ID_RE = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_SHORT = 500;
const MAX_TEXT = 100_000;

/**
 * Sets the plan's metadata once. On a document that already has a plan (one that arrived
 * from another replica, say) it changes nothing and returns false. Two fresh replicas that
 * both call it offline write the same keys, so they converge to one plan.
 */
export function createPlan(
  doc: Y.Doc,
  init: { readonly title: string; readonly year?: number },
  opts: OpOptions = {},
): boolean {
  checkString('title', init.title, MAX_SHORT);
  if (init.year !== undefined) checkYear(init.year);
  const meta = metaOf(doc);
  if (meta.has('schema') || meta.has('title')) return false;
  doc.transact(() => {
    meta.set('schema', SCHEMA_VERSION);
    meta.set('title', wellFormed(init.title));
    if (init.year !== undefined) meta.set('year', init.year);
  }, originOf(opts));
  return true;
}

/** Changes the plan's title and/or year. */
export function updatePlan(
  doc: Y.Doc,
  patch: { readonly title?: string; readonly year?: number | null },
  opts: OpOptions = {},
): void {
  checkKeys(patch, new Set(['title', 'year']));
  if (patch.title !== undefined) checkString('title', patch.title, MAX_SHORT);
  if (patch.year !== undefined && patch.year !== null) checkYear(patch.year);
  const meta = metaOf(doc);
  doc.transact(() => {
    if (!meta.has('schema')) meta.set('schema', SCHEMA_VERSION);
    if (patch.title !== undefined && meta.get('title') !== wellFormed(patch.title))
      meta.set('title', wellFormed(patch.title));
    if (patch.year === null) meta.delete('year');
    else if (patch.year !== undefined && meta.get('year') !== patch.year)
      meta.set('year', patch.year);
  }, originOf(opts));
}

/** Adds a task under `parentId` (null = top level) and returns its id. */
export function addTask(
  doc: Y.Doc,
  parentId: string | null,
  fields: NewTask = {},
  place: Place = {},
  opts: OpOptions = {},
): string {
  const tasks = tasksOf(doc);
  const { id: givenId, ...given } = fields;
  const rest = checkTaskFields(doc, given);
  if (givenId !== undefined) {
    if (typeof givenId !== 'string' || !ID_RE.test(givenId))
      throw new AppError('invalid-value', `task id must match ${ID_RE.source}`);
    if (tasks.has(givenId)) throw new AppError('exists', `task ${givenId} already exists`);
  }
  const tree = resolveTree(doc);
  if (parentId !== null) requireVisible(doc, tree, parentId);
  const id = givenId ?? newId((candidate) => tasks.has(candidate));
  const ranks = placeRank(doc, tree, parentId, null, place);
  const seq = tree.maxSeq + 1;

  addToTree(doc, originOf(opts), { id, parent: parentId, at: ranks.at, seq }, () => {
    applyRanks(doc, ranks.rerank);
    const task = new Y.Map<unknown>();
    task.set(K.pos, { parent: parentId, seq, prev: null });
    task.set(K.rank, ranks.rank);
    task.set(K.number, rest.number ?? '');
    for (const f of TEXT_FIELDS) task.set(f, new Y.Text(rest[f] ?? ''));
    task.set(K.lead, rest.lead ?? '');
    task.set(K.owners, [...new Set(rest.owners ?? [])]);
    task.set(K.assignee, rest.assignee ?? '');
    task.set(K.deadline, cleanDeadline(rest.deadline));
    task.set(K.status, rest.status ?? 'todo');
    task.set(K.deleted, false);
    if (opts.actor) stamp(task, opts.actor);
    tasks.set(id, task);
  });
  return id;
}

/**
 * Changes some fields of a task. Text fields change by a minimal diff of their Y.Text, so
 * concurrent typing elsewhere in the same field survives; other fields are
 * last-writer-wins each. A deleted task can still be edited (the edit shows once restored).
 */
export function updateTask(doc: Y.Doc, id: string, patch: TaskFields, opts: OpOptions = {}): void {
  const task = requireTask(doc, id);
  patch = checkTaskFields(doc, patch);
  transactKeepingTree(doc, originOf(opts), () => {
    let changed = false;
    for (const f of TEXT_FIELDS) {
      const next = patch[f];
      if (next === undefined) continue;
      changed = setText(task, f, next) || changed;
    }
    const scalars: [string, unknown][] = [];
    if (patch.number !== undefined) scalars.push([K.number, patch.number]);
    if (patch.lead !== undefined) scalars.push([K.lead, patch.lead]);
    if (patch.assignee !== undefined) scalars.push([K.assignee, patch.assignee]);
    if (patch.status !== undefined) scalars.push([K.status, patch.status]);
    if (patch.owners !== undefined) scalars.push([K.owners, [...new Set(patch.owners)]]);
    if (patch.deadline !== undefined) scalars.push([K.deadline, cleanDeadline(patch.deadline)]);
    for (const [key, value] of scalars) {
      if (sameJson(task.get(key), value)) continue;
      task.set(key, value);
      changed = true;
    }
    if (changed && opts.actor) stamp(task, opts.actor);
  });
}

/** Moves a task (and its subtree) under `newParentId`, at `place` among its new siblings. */
export function moveTask(
  doc: Y.Doc,
  id: string,
  newParentId: string | null,
  place: Place = {},
  opts: OpOptions = {},
): void {
  const task = requireTask(doc, id);
  const tree = resolveTree(doc);
  if (newParentId !== null) {
    requireVisible(doc, tree, newParentId);
    if (isInSubtree(tree, newParentId, id))
      throw new AppError('cycle', `cannot move ${id} under itself or its own descendant`);
  }
  const ranks = placeRank(doc, tree, newParentId, id, place);
  const current = tree.parentOf.get(id) ?? null;
  doc.transact(() => {
    applyRanks(doc, ranks.rerank);
    if (current !== newParentId || posOf(task).parent !== newParentId)
      task.set(K.pos, { parent: newParentId, seq: tree.maxSeq + 1, prev: current });
    task.set(K.rank, ranks.rank);
    if (opts.actor) stamp(task, opts.actor);
  }, originOf(opts));
}

/**
 * Soft-deletes a task; its subtree is hidden with it. Returns false when it was already
 * deleted. Nothing is erased, so an edit made concurrently is kept and shows on restore.
 */
export function removeTask(doc: Y.Doc, id: string, opts: OpOptions = {}): boolean {
  const task = requireTask(doc, id);
  if (task.get(K.deleted) === true) return false;
  doc.transact(() => {
    task.set(K.deleted, true);
    if (opts.actor) {
      task.set(K.deletedBy, wellFormed(String(opts.actor.name)));
      task.set(K.deletedAt, wellFormed(String(opts.actor.at)));
    }
  }, originOf(opts));
  return true;
}

/**
 * Brings a deleted task back with its subtree. A task hidden because an ancestor was
 * deleted comes back with those ancestors, so it is visible again afterwards. Returns false
 * when the task was not hidden.
 */
export function restoreTask(doc: Y.Doc, id: string, opts: OpOptions = {}): boolean {
  requireTask(doc, id);
  const tree = resolveTree(doc);
  if (!tree.hidden.has(id)) return false;
  const tasks = tasksOf(doc);
  doc.transact(() => {
    let at: string | null = id;
    for (let i = 0; at !== null && i <= tree.parentOf.size; i += 1) {
      const t = entryAt(tasks, at);
      if (t && t.get(K.deleted) === true) {
        t.set(K.deleted, false);
        t.delete(K.deletedBy);
        t.delete(K.deletedAt);
      }
      at = tree.parentOf.get(at) ?? null;
    }
  }, originOf(opts));
  return true;
}

/** Adds a branch (党支部 or office) and returns its id. Names are unique among branches. */
export function addBranch(doc: Y.Doc, branch: NewBranch, opts: OpOptions = {}): string {
  checkKeys(branch, new Set(['id', 'name', 'secretary']));
  const name = checkBranchName(doc, branch.name, null);
  if (branch.secretary !== undefined) checkString('secretary', branch.secretary, MAX_SHORT);
  const branches = branchesOf(doc);
  if (branch.id !== undefined) {
    if (typeof branch.id !== 'string' || !ID_RE.test(branch.id))
      throw new AppError('invalid-value', `branch id must match ${ID_RE.source}`);
    if (branches.has(branch.id)) throw new AppError('exists', `branch ${branch.id} exists`);
  }
  const id = branch.id ?? newId((candidate) => branches.has(candidate));
  let last: string | null = null;
  for (const [, b] of entriesOf(branches)) {
    const r = rankOf(b);
    if (r !== '' && (last === null || r > last)) last = r;
  }
  doc.transact(() => {
    const b = new Y.Map<unknown>();
    b.set('name', name);
    if (branch.secretary !== undefined && branch.secretary !== '')
      b.set('secretary', wellFormed(branch.secretary));
    b.set(K.rank, safeKeyBetween(last, null));
    b.set(K.deleted, false);
    branches.set(id, b);
  }, originOf(opts));
  return id;
}

/** Renames a branch or changes its secretary ('' clears the secretary). */
export function updateBranch(
  doc: Y.Doc,
  id: string,
  patch: BranchPatch,
  opts: OpOptions = {},
): void {
  checkKeys(patch, new Set(['name', 'secretary']));
  const b = requireBranch(doc, id);
  const name = patch.name === undefined ? undefined : checkBranchName(doc, patch.name, id);
  if (patch.secretary !== undefined) checkString('secretary', patch.secretary, MAX_SHORT);
  doc.transact(() => {
    if (name !== undefined && b.get('name') !== name) b.set('name', name);
    if (patch.secretary === '') b.delete('secretary');
    else if (patch.secretary !== undefined && b.get('secretary') !== wellFormed(patch.secretary))
      b.set('secretary', wellFormed(patch.secretary));
  }, originOf(opts));
}

/** Removes a branch and takes it out of every task's owners, in one transaction. */
export function removeBranch(doc: Y.Doc, id: string, opts: OpOptions = {}): void {
  const b = requireBranch(doc, id);
  doc.transact(() => {
    b.set(K.deleted, true);
    for (const [, task] of entriesOf(tasksOf(doc))) {
      const owners = ownersOf(task.get(K.owners));
      if (owners.includes(id))
        task.set(
          K.owners,
          owners.filter((o) => o !== id),
        );
    }
  }, originOf(opts));
}

// ---------------------------------------------------------------------------------------
// validation and helpers

function originOf(opts: OpOptions): unknown {
  return opts.origin ?? LOCAL_EDIT;
}

function stamp(task: TaskMap, actor: Actor): void {
  task.set(K.updatedBy, wellFormed(String(actor.name)));
  task.set(K.updatedAt, wellFormed(String(actor.at)));
}

function setText(task: TaskMap, field: TextField, next: string): boolean {
  const current = task.get(field);
  if (current instanceof Y.Text) {
    if (current.toString() === next) return false;
    applyTextDiff(current, next);
    return true;
  }
  // Malformed peer data (a plain string, or nothing): give the field its Y.Text now.
  if (str(current) === next && current !== undefined) return false;
  task.set(field, new Y.Text(next));
  return true;
}

function requireTask(doc: Y.Doc, id: string): TaskMap {
  const task = typeof id === 'string' ? entryAt(tasksOf(doc), id) : undefined;
  if (task === undefined) throw new AppError('not-found', `no task ${String(id)}`);
  return task;
}

function requireVisible(doc: Y.Doc, tree: ResolvedTree, id: string): void {
  requireTask(doc, id);
  if (tree.hidden.has(id)) throw new AppError('deleted', `task ${id} is deleted`);
}

function requireBranch(doc: Y.Doc, id: string): BranchMap {
  const b = typeof id === 'string' ? entryAt(branchesOf(doc), id) : undefined;
  if (b === undefined || b.get(K.deleted) === true)
    throw new AppError('not-found', `no branch ${String(id)}`);
  return b;
}

function checkKeys(obj: object, allowed: ReadonlySet<string>): void {
  if (typeof obj !== 'object' || obj === null)
    throw new AppError('invalid-value', 'expected an object');
  for (const key of Object.keys(obj))
    if (!allowed.has(key)) throw new AppError('invalid-field', `unknown field “${key}”`);
}

function checkString(name: string, value: unknown, max: number): void {
  if (typeof value !== 'string') throw new AppError('invalid-value', `${name} must be a string`);
  if (value.length > max)
    throw new AppError('invalid-value', `${name} is longer than ${max} characters`);
}

function checkYear(year: unknown): void {
  if (typeof year !== 'number' || !Number.isInteger(year) || year < 1949 || year > 2999)
    throw new AppError('invalid-value', `year must be a whole number from 1949 to 2999`);
}

function checkBranchName(doc: Y.Doc, name: unknown, self: string | null): string {
  checkString('name', name, MAX_SHORT);
  const trimmed = wellFormed((name as string).trim());
  if (trimmed === '') throw new AppError('invalid-value', 'a branch needs a name');
  for (const [id, b] of entriesOf(branchesOf(doc)))
    if (id !== self && b.get(K.deleted) !== true && str(b.get('name')) === trimmed)
      throw new AppError('duplicate-name', `a branch named “${trimmed}” exists`);
  return trimmed;
}

/** Validates task fields and returns them with every string made well-formed. */
function checkTaskFields(doc: Y.Doc, fields: TaskFields): TaskFields {
  checkKeys(fields, FIELD_NAMES);
  for (const f of TEXT_FIELDS) if (fields[f] !== undefined) checkString(f, fields[f], MAX_TEXT);
  for (const f of ['number', 'lead', 'assignee'] as const)
    if (fields[f] !== undefined) checkString(f, fields[f], MAX_SHORT);
  if (fields.status !== undefined && !(STATUSES as readonly unknown[]).includes(fields.status))
    throw new AppError('invalid-status', `unknown status “${String(fields.status)}”`);
  if (fields.deadline !== undefined && fields.deadline !== null) {
    const d = fields.deadline;
    checkKeys(d, new Set(['text', 'date']));
    if (d.text !== undefined) checkString('deadline.text', d.text, MAX_SHORT);
    if (d.date !== undefined && (typeof d.date !== 'string' || !isIsoDate(d.date)))
      throw new AppError('invalid-date', `“${String(d.date)}” is not a date (YYYY-MM-DD)`);
  }
  if (fields.owners !== undefined) {
    if (!Array.isArray(fields.owners))
      throw new AppError('invalid-value', 'owners must be a list of branch ids');
    const branches = branchesOf(doc);
    for (const o of fields.owners) {
      const b = typeof o === 'string' ? entryAt(branches, o) : undefined;
      if (b === undefined || b.get(K.deleted) === true)
        throw new AppError('unknown-branch', `no branch ${String(o)}`);
    }
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value === 'string') out[key] = wellFormed(value);
    else if (key === 'deadline' && value !== null && value !== undefined) {
      const d = value as Deadline;
      out[key] = d.text === undefined ? { ...d } : { ...d, text: wellFormed(d.text) };
    } else out[key] = value;
  }
  return out as TaskFields;
}

function cleanDeadline(d: Deadline | null | undefined): Deadline {
  const out: { text?: string; date?: string } = {};
  if (d?.text !== undefined && d.text !== '') out.text = d.text;
  if (d?.date !== undefined) out.date = d.date;
  return out;
}

interface RankPlan {
  readonly rank: string;
  /** The new task's index among its siblings. */
  readonly at: number;
  /** Siblings that need new keys first (equal or malformed keys around the spot). */
  readonly rerank: ReadonlyMap<string, string>;
}

function placeRank(
  doc: Y.Doc,
  tree: ResolvedTree,
  parentId: string | null,
  moving: string | null,
  place: Place,
): RankPlan {
  checkKeys(place, new Set(['after', 'before']));
  const tasks = tasksOf(doc);
  const siblings = (tree.childrenOf.get(parentId) ?? []).filter((s) => s !== moving);
  const indexOf = (ref: string, which: string): number => {
    if (ref === moving) throw new AppError('invalid-place', `a task cannot go ${which} itself`);
    const i = siblings.indexOf(ref);
    if (i < 0)
      throw new AppError(
        'invalid-place',
        `${ref} is not a child of ${parentId ?? 'the top level'}`,
      );
    return i;
  };
  let at = siblings.length;
  if (place.after !== undefined && place.before !== undefined) {
    const a = indexOf(place.after, 'after');
    const b = indexOf(place.before, 'before');
    if (b !== a + 1)
      throw new AppError('invalid-place', `${place.after} and ${place.before} are not neighbours`);
    at = b;
  } else if (place.after !== undefined) at = indexOf(place.after, 'after') + 1;
  else if (place.before !== undefined) at = indexOf(place.before, 'before');

  const rankAt = (i: number): string | null => {
    const id = siblings[i];
    return id === undefined ? null : rankOf(tasks.get(id) as TaskMap);
  };
  try {
    return { rank: generateKeyBetween(rankAt(at - 1), rankAt(at)), at, rerank: new Map() };
  } catch {
    // Equal keys (two replicas inserted at one spot) or a malformed key: give every
    // sibling a fresh key, keeping the current order, and the new task its own.
    const keys = generateNKeysBetween(null, null, siblings.length + 1);
    const rerank = new Map<string, string>();
    siblings.forEach((id, i) => rerank.set(id, keys[i < at ? i : i + 1] as string));
    return { rank: keys[at] as string, at, rerank };
  }
}

function applyRanks(doc: Y.Doc, rerank: ReadonlyMap<string, string>): void {
  const tasks = tasksOf(doc);
  for (const [id, rank] of rerank) tasks.get(id)?.set(K.rank, rank);
}

function safeKeyBetween(a: string | null, b: string | null): string {
  try {
    return generateKeyBetween(a, b);
  } catch {
    return generateKeyBetween(null, null);
  }
}

/** A fresh random id (crypto.randomUUID exists in browsers and in Node ≥ 19). */
function newId(taken: (id: string) => boolean): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  for (;;) {
    const id = c?.randomUUID
      ? c.randomUUID().replace(/-/g, '').slice(0, 20)
      : Math.random().toString(36).slice(2, 14) + Math.random().toString(36).slice(2, 10);
    if (!taken(id)) return id;
  }
}

/**
 * Whether two field values serialise alike. A peer may have stored what JSON cannot hold (a
 * BigInt: Yjs carries it): that never equals what the user sets, which replaces it.
 */
function sameJson(stored: unknown, value: unknown): boolean {
  try {
    return JSON.stringify(stored) === JSON.stringify(value);
  } catch {
    return false;
  }
}
