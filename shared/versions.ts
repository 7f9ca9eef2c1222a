import type * as Y from 'yjs';
import { AppError } from './errors.ts';
import { LOCAL_EDIT } from './origins.ts';
import { readPlan, type Branch, type Plan, type TaskNode } from './read.ts';
import { deadlineOf, ownersOf, statusOf, str } from './schema.ts';
import { planTable } from './table.ts';
import { wellFormed } from './text-diff.ts';

/** Top-level Y.Map: version id → the agreed version, one plain value each. */
export const VERSIONS = 'versions';

/** An agreed version (审定稿) without its content. */
export interface VersionInfo {
  readonly id: string;
  /** e.g. 2023年4月党组会审定稿 */
  readonly name: string;
  /** Who agreed it. */
  readonly by: string;
  /** When, ISO 8601. */
  readonly at: string;
  /** Tasks as the printed table numbers them (序号 1…N), not headings. */
  readonly taskCount: number;
}

/** An agreed version with the plan as it was agreed. */
export interface Version extends VersionInfo {
  readonly plan: Plan;
}

const ID_RE = /^[A-Za-z0-9_-]{1,64}$/;
const ISO_RE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/** The versions map (plain values, never edited after they are written). */
export function versionsOf(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>(VERSIONS);
}

function countTasks(plan: Plan): number {
  return planTable(plan).reduce((n, r) => n + (r.kind === 'task' ? 1 : 0), 0);
}

/**
 * Freezes the plan as it is now as a named, read-only version. The snapshot is written as
 * one value in one transaction, so two people agreeing at once (offline, say) make two
 * whole versions, never a mix.
 */
export function agreeVersion(
  doc: Y.Doc,
  input: { readonly name: string; readonly by: string; readonly at: string; readonly id?: string },
  opts: { readonly origin?: unknown } = {},
): string {
  const name = typeof input.name === 'string' ? wellFormed(input.name.trim()) : '';
  if (name === '' || name.length > 200)
    throw new AppError('invalid-value', 'a version needs a name of at most 200 characters');
  if (typeof input.by !== 'string' || input.by.trim() === '')
    throw new AppError('invalid-value', 'say who agreed the version');
  if (typeof input.at !== 'string' || !ISO_RE.test(input.at))
    throw new AppError('invalid-date', `“${String(input.at)}” is not an ISO 8601 time`);
  const versions = versionsOf(doc);
  if (input.id !== undefined && (!ID_RE.test(input.id) || versions.has(input.id)))
    throw new AppError(versions.has(input.id) ? 'exists' : 'invalid-value', `bad version id`);
  let id = input.id;
  while (id === undefined || versions.has(id)) {
    const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
    id = (c?.randomUUID?.() ?? Math.random().toString(36).slice(2)).replace(/-/g, '').slice(0, 20);
  }
  const plan = readPlan(doc);
  const value = { name, by: wellFormed(input.by.trim()), at: input.at, plan };
  doc.transact(() => versions.set(id, value), opts.origin ?? LOCAL_EDIT);
  return id;
}

const MAX_DEPTH = 32;

/**
 * A stored plan read tolerantly: a peer may have written anything under `plan`, and the
 * print view and the comparison must never throw on it. Unknown fields are dropped, missing
 * ones get their defaults, tasks without an id are skipped, nesting is bounded.
 */
function cleanPlan(raw: Record<string, unknown>): Plan {
  const task = (value: unknown, depth: number): TaskNode | null => {
    if (typeof value !== 'object' || value === null) return null;
    const t = value as Record<string, unknown>;
    if (typeof t['id'] !== 'string' || t['id'] === '') return null;
    const node: { -readonly [K in keyof TaskNode]: TaskNode[K] } = {
      id: t['id'],
      number: str(t['number']),
      title: str(t['title']),
      measures: str(t['measures']),
      lead: str(t['lead']),
      owners: ownersOf(t['owners']),
      assignee: str(t['assignee']),
      deadline: deadlineOf(t['deadline']),
      status: statusOf(t['status']),
      notes: str(t['notes']),
      children: depth < MAX_DEPTH ? list(t['children'], depth + 1) : [],
    };
    if (typeof t['updatedBy'] === 'string') node.updatedBy = t['updatedBy'];
    if (typeof t['updatedAt'] === 'string') node.updatedAt = t['updatedAt'];
    return node;
  };
  const list = (value: unknown, depth: number): TaskNode[] =>
    Array.isArray(value)
      ? value.map((v) => task(v, depth)).filter((t): t is TaskNode => t !== null)
      : [];
  const branches: Branch[] = [];
  if (Array.isArray(raw['branches']))
    for (const b of raw['branches'] as unknown[]) {
      if (typeof b !== 'object' || b === null) continue;
      const r = b as Record<string, unknown>;
      if (typeof r['id'] !== 'string') continue;
      const secretary = str(r['secretary']);
      branches.push(
        secretary === ''
          ? { id: r['id'], name: str(r['name']) }
          : { id: r['id'], name: str(r['name']), secretary },
      );
    }
  const year = raw['year'];
  return {
    title: str(raw['title']),
    year: typeof year === 'number' && Number.isInteger(year) ? year : null,
    branches,
    tasks: list(raw['tasks'], 1),
  };
}

/** The agreed versions, newest first. Malformed entries are skipped. */
export function readVersions(doc: Y.Doc): VersionInfo[] {
  const out: VersionInfo[] = [];
  for (const [id] of versionsOf(doc)) {
    const v = readVersion(doc, id);
    if (v) out.push({ id: v.id, name: v.name, by: v.by, at: v.at, taskCount: v.taskCount });
  }
  return out.sort((a, b) => (a.at !== b.at ? (a.at < b.at ? 1 : -1) : a.id < b.id ? -1 : 1));
}

/** One agreed version with its frozen plan, or null. */
export function readVersion(doc: Y.Doc, id: string): Version | null {
  const raw = versionsOf(doc).get(id);
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  const stored = r['plan'];
  if (typeof stored !== 'object' || stored === null) return null;
  const plan = cleanPlan(stored as Record<string, unknown>);
  return {
    id,
    name: str(r['name']),
    by: str(r['by']),
    at: str(r['at']),
    taskCount: countTasks(plan),
    plan,
  };
}
