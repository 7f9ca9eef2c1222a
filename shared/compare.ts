import type { Branch, Plan, TaskNode } from './read.ts';

/** The fields a comparison reports. */
export const COMPARED_FIELDS = [
  'number',
  'title',
  'measures',
  'lead',
  'owners',
  'assignee',
  'deadline',
  'status',
  'notes',
] as const;
export type ComparedField = (typeof COMPARED_FIELDS)[number];

/** One field's change, as display text (owners by branch name, deadline as words + date). */
export interface FieldChange {
  readonly field: ComparedField;
  readonly before: string;
  readonly after: string;
}

/** What happened to one task since the base version. */
export type Change =
  | { readonly kind: 'added'; readonly id: string; readonly title: string }
  | { readonly kind: 'removed'; readonly id: string; readonly title: string }
  | {
      readonly kind: 'moved';
      readonly id: string;
      readonly title: string;
      /** Parent titles ('' = top level); equal when the task moved among its siblings. */
      readonly from: string;
      readonly to: string;
    }
  | {
      readonly kind: 'changed';
      readonly id: string;
      readonly title: string;
      readonly fields: readonly FieldChange[];
    };

interface Flat {
  readonly node: TaskNode;
  readonly parent: string | null;
  readonly index: number;
}

function flatten(nodes: readonly TaskNode[], parent: string | null, out: Map<string, Flat>): void {
  nodes.forEach((node, index) => {
    out.set(node.id, { node, parent, index });
    flatten(node.children, node.id, out);
  });
}

/** Display text of a field, so that comparisons read like the printed table. */
export function fieldText(
  task: TaskNode,
  field: ComparedField,
  branches: readonly Branch[],
): string {
  switch (field) {
    case 'owners':
      return task.owners.map((id) => branches.find((b) => b.id === id)?.name ?? id).join('、');
    case 'deadline':
      return [task.deadline.text, task.deadline.date].filter((x) => x).join(' ');
    default:
      return String(task[field]);
  }
}

/**
 * What changed from `base` (an agreed version) to `current`: tasks added, removed, moved
 * (to another parent, or out of order among the siblings both versions share — the fewest
 * such moves) and fields changed. Deterministic, in the current plan's order, then the
 * removed tasks in the base's order.
 */
export function comparePlans(base: Plan, current: Plan): Change[] {
  const before = new Map<string, Flat>();
  const after = new Map<string, Flat>();
  flatten(base.tasks, null, before);
  flatten(current.tasks, null, after);
  const title = (plan: Map<string, Flat>, id: string | null): string =>
    id === null ? '' : (plan.get(id)?.node.title ?? '');

  // Among siblings present under the same parent in both, the ones outside a longest
  // increasing run of old positions are the ones that moved.
  const reordered = new Set<string>();
  const groups = new Map<string | null, { id: string; old: number }[]>();
  for (const [id, a] of after) {
    const b = before.get(id);
    if (!b || b.parent !== a.parent) continue;
    let g = groups.get(a.parent);
    if (!g) groups.set(a.parent, (g = []));
    g.push({ id, old: b.index });
  }
  for (const g of groups.values()) {
    g.sort((x, y) => (after.get(x.id)?.index ?? 0) - (after.get(y.id)?.index ?? 0));
    const keep = longestIncreasing(g.map((x) => x.old));
    g.forEach((x, i) => {
      if (!keep.has(i)) reordered.add(x.id);
    });
  }

  const changes: Change[] = [];
  for (const [id, a] of after) {
    const b = before.get(id);
    if (!b) {
      changes.push({ kind: 'added', id, title: a.node.title });
      continue;
    }
    if (b.parent !== a.parent || reordered.has(id))
      changes.push({
        kind: 'moved',
        id,
        title: a.node.title,
        from: title(before, b.parent),
        to: title(after, a.parent),
      });
    const fields: FieldChange[] = [];
    for (const f of COMPARED_FIELDS) {
      const x = fieldText(b.node, f, base.branches);
      const y = fieldText(a.node, f, current.branches);
      if (x !== y) fields.push({ field: f, before: x, after: y });
    }
    if (fields.length > 0) changes.push({ kind: 'changed', id, title: a.node.title, fields });
  }
  for (const [id, b] of before)
    if (!after.has(id)) changes.push({ kind: 'removed', id, title: b.node.title });
  return changes;
}

/** Indices of one longest strictly increasing subsequence (patience sorting). */
function longestIncreasing(xs: readonly number[]): Set<number> {
  const tails: number[] = [];
  const prev: number[] = new Array<number>(xs.length).fill(-1);
  xs.forEach((x, i) => {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((xs[tails[mid] as number] as number) < x) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1] as number;
    tails[lo] = i;
  });
  const keep = new Set<number>();
  for (let i = tails.at(-1) ?? -1; i >= 0; i = prev[i] as number) keep.add(i);
  return keep;
}
