import * as Y from 'yjs';
import {
  branchesOf,
  readBranches,
  resolveTree,
  tasksOf,
  type Branch,
  type TaskStatus,
} from '../../shared/index.ts';

/** One visible task as the tree needs it: structure and the fields filters use. */
export interface OutlineEntry {
  readonly id: string;
  readonly parent: string | null;
  readonly depth: number;
  /** Stored outline label, or a computed one (`1.2`) when the task has none. */
  readonly number: string;
  readonly numbered: boolean;
  readonly childCount: number;
  readonly status: TaskStatus;
  readonly owners: readonly string[];
  readonly lead: string;
  readonly date: string;
}

/** The structure of a plan: visible tasks in outline order, and the live branches. */
export interface Outline {
  readonly entries: readonly OutlineEntry[];
  readonly branches: readonly Branch[];
}

const STATUS = new Set<string>(['todo', 'doing', 'done']);

/**
 * Reads the plan's structure without its texts, so typing in a title does not change it.
 * Uses the cached resolved tree (O(n) when nothing structural changed).
 */
export function readOutline(doc: Y.Doc): Outline {
  const tree = resolveTree(doc);
  const tasks = tasksOf(doc);
  const branches = readBranches(doc);
  const live = new Set(branches.map((b) => b.id));
  const entries: OutlineEntry[] = [];
  const walk = (parent: string | null, depth: number, prefix: string): void => {
    let i = 0;
    for (const id of tree.childrenOf.get(parent) ?? []) {
      if (tree.hidden.has(id)) continue;
      i += 1;
      const t = tasks.get(id) as Y.Map<unknown>;
      const stored = t.get('number');
      const computed = prefix === '' ? String(i) : `${prefix}.${i}`;
      const owners = t.get('owners');
      const deadline = t.get('deadline') as { date?: unknown } | undefined;
      const status = t.get('status');
      const lead = t.get('lead');
      const at = entries.length;
      entries.push({
        id,
        parent,
        depth,
        number: typeof stored === 'string' && stored !== '' ? stored : computed,
        numbered: typeof stored === 'string' && stored !== '',
        childCount: 0,
        status: typeof status === 'string' && STATUS.has(status) ? (status as TaskStatus) : 'todo',
        owners: Array.isArray(owners)
          ? owners.filter((o): o is string => typeof o === 'string' && live.has(o))
          : [],
        lead: typeof lead === 'string' ? lead : '',
        date: deadline && typeof deadline.date === 'string' ? deadline.date : '',
      });
      const before = entries.length;
      walk(id, depth + 1, computed);
      const kids = (tree.childrenOf.get(id) ?? []).filter((c) => !tree.hidden.has(c)).length;
      if (kids > 0 || entries.length > before)
        entries[at] = { ...(entries[at] as OutlineEntry), childCount: kids };
    }
  };
  walk(null, 0, '');
  return { entries, branches };
}

function sameEntry(a: OutlineEntry, b: OutlineEntry): boolean {
  return (
    a.id === b.id &&
    a.parent === b.parent &&
    a.depth === b.depth &&
    a.number === b.number &&
    a.childCount === b.childCount &&
    a.status === b.status &&
    a.lead === b.lead &&
    a.date === b.date &&
    a.owners.length === b.owners.length &&
    a.owners.every((o, i) => o === b.owners[i])
  );
}

/** Snapshot equality for the outline: equal outlines do not re-render the tree. */
export function sameOutline(a: Outline, b: Outline): boolean {
  if (a.entries.length !== b.entries.length || a.branches.length !== b.branches.length)
    return false;
  for (let i = 0; i < a.entries.length; i += 1)
    if (!sameEntry(a.entries[i] as OutlineEntry, b.entries[i] as OutlineEntry)) return false;
  return a.branches.every((x, i) => {
    const y = b.branches[i] as Branch;
    return x.id === y.id && x.name === y.name && x.secretary === y.secretary;
  });
}

/** Changes that never alter the outline: text typed in a field, the last-changed stamp. */
const QUIET_KEYS = new Set(['updatedBy', 'updatedAt', 'assignee', 'deletedBy', 'deletedAt']);

/** True when a batch of deep events may change the outline. */
export function outlineRelevant(events: readonly Y.YEvent<Y.AbstractType<unknown>>[]): boolean {
  for (const e of events) {
    if (e.target instanceof Y.Text) continue;
    if (e instanceof Y.YMapEvent && e.target !== e.currentTarget) {
      for (const k of e.keysChanged) if (!QUIET_KEYS.has(k)) return true;
      continue;
    }
    return true;
  }
  return false;
}

/** The filters of the plan page. */
export interface Filter {
  readonly mine: 'all' | 'owner' | 'lead';
  readonly status: 'all' | TaskStatus;
  readonly overdue: boolean;
}

export const NO_FILTER: Filter = { mine: 'all', status: 'all', overdue: false };

export interface Me {
  readonly name: string;
  readonly branch: string;
}

/** True when a task is past its date and not done (`today` is `YYYY-MM-DD`). */
export function isOverdue(e: Pick<OutlineEntry, 'date' | 'status'>, today: string): boolean {
  return e.date !== '' && e.date < today && e.status !== 'done';
}

function matches(
  e: OutlineEntry,
  f: Filter,
  myBranch: string | null,
  me: Me,
  today: string,
): boolean {
  if (f.status !== 'all' && e.status !== f.status) return false;
  if (f.overdue && !isOverdue(e, today)) return false;
  if (f.mine === 'owner' && (myBranch === null || !e.owners.includes(myBranch))) return false;
  if (
    f.mine === 'lead' &&
    !(
      (myBranch !== null && e.owners[0] === myBranch) ||
      (me.name !== '' && e.lead.includes(me.name)) ||
      (me.branch !== '' && e.lead.includes(me.branch))
    )
  )
    return false;
  return true;
}

/** A row of the rendered tree. */
export interface Row {
  readonly entry: OutlineEntry;
  readonly expanded: boolean;
  /** Shown only as the ancestor of a match (filters on). */
  readonly context: boolean;
  readonly posinset: number;
  readonly setsize: number;
}

/**
 * The rows to render: collapsed subtrees left out; with a filter, the matching tasks and
 * their ancestors (for context).
 */
export function visibleRows(
  outline: Outline,
  collapsed: ReadonlySet<string>,
  filter: Filter,
  me: Me,
  today: string,
): Row[] {
  const { entries } = outline;
  const filtering = filter.mine !== 'all' || filter.status !== 'all' || filter.overdue;
  const myBranch = outline.branches.find((b) => b.name === me.branch.trim())?.id ?? null;
  const keep = new Set<string>();
  const byId = new Map(entries.map((e) => [e.id, e]));
  if (filtering)
    for (const e of entries)
      if (matches(e, filter, myBranch, me, today))
        for (
          let at: OutlineEntry | undefined = e;
          at && !keep.has(at.id);
          at = at.parent === null ? undefined : byId.get(at.parent)
        )
          keep.add(at.id);
  const siblings = new Map<string | null, string[]>();
  for (const e of entries) {
    if (filtering && !keep.has(e.id)) continue;
    const list = siblings.get(e.parent) ?? [];
    list.push(e.id);
    siblings.set(e.parent, list);
  }
  const rows: Row[] = [];
  let hideBelow = Infinity;
  for (const e of entries) {
    if (e.depth > hideBelow) continue;
    hideBelow = Infinity;
    if (filtering && !keep.has(e.id)) continue;
    const sibs = siblings.get(e.parent) ?? [];
    const expanded = !collapsed.has(e.id);
    rows.push({
      entry: e,
      expanded,
      context: filtering && !matches(e, filter, myBranch, me, today),
      posinset: sibs.indexOf(e.id) + 1,
      setsize: sibs.length,
    });
    if (!expanded) hideBelow = e.depth;
  }
  return rows;
}

/** done / total for one bar. */
export interface Progress {
  readonly id: string;
  readonly label: string;
  readonly done: number;
  readonly total: number;
}

/**
 * Progress per top-level section and per branch, counting tasks that have no children (the
 * actual work items; sections and items with points are groupings).
 */
export function progressOf(outline: Outline): { sections: Progress[]; branches: Progress[] } {
  const sections: Progress[] = [];
  const perBranch = new Map(outline.branches.map((b) => [b.id, { done: 0, total: 0 }]));
  let current: { id: string; label: string; done: number; total: number } | null = null;
  for (const e of outline.entries) {
    if (e.depth === 0) {
      if (current) sections.push(current);
      current = { id: e.id, label: e.number, done: 0, total: 0 };
    }
    if (e.childCount > 0) continue;
    const done = e.status === 'done' ? 1 : 0;
    if (current) {
      current.done += done;
      current.total += 1;
    }
    for (const o of e.owners) {
      const p = perBranch.get(o);
      if (p) {
        p.done += done;
        p.total += 1;
      }
    }
  }
  if (current) sections.push(current);
  return {
    sections,
    branches: outline.branches.map((b) => ({
      id: b.id,
      label: b.name,
      ...(perBranch.get(b.id) ?? { done: 0, total: 0 }),
    })),
  };
}

type Observable = Pick<Y.AbstractType<unknown>, 'observeDeep' | 'unobserveDeep'>;
const sources = new WeakMap<Y.Doc, Observable>();

/**
 * One observable over the tasks and the branches of a doc (the outline reads both), with a
 * stable identity per doc so a controller subscribes once.
 */
export function outlineSource(doc: Y.Doc): Observable {
  let s = sources.get(doc);
  if (!s) {
    const tasks = tasksOf(doc) as unknown as Y.AbstractType<unknown>;
    const branches = branchesOf(doc) as unknown as Y.AbstractType<unknown>;
    s = {
      observeDeep: (f) => {
        tasks.observeDeep(f);
        branches.observeDeep(f);
      },
      unobserveDeep: (f) => {
        tasks.unobserveDeep(f);
        branches.unobserveDeep(f);
      },
    };
    sources.set(doc, s);
  }
  return s;
}
