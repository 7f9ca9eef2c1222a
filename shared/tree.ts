import type * as Y from 'yjs';
import { K, compareByRank, posOf, rankOf, tasksOf, type TaskMap } from './schema.ts';

/**
 * The tree as every replica with the same Yjs state sees it: parents after cycle repair,
 * children in order, and which tasks are hidden by a deletion (their own or an ancestor's).
 */
export interface ResolvedTree {
  /** Effective parent of every task (null = top level). */
  readonly parentOf: ReadonlyMap<string, string | null>;
  /** Children in order, for every parent that has any; `null` holds the top level. */
  readonly childrenOf: ReadonlyMap<string | null, readonly string[]>;
  /** Tasks that are deleted or under a deleted ancestor. */
  readonly hidden: ReadonlySet<string>;
}

/**
 * Resolves the stored parent pointers into a tree, deterministically.
 *
 * A dangling or self parent counts as top level. Concurrent moves can form cycles (A under
 * B on one replica, B under A on another). In each cycle the task whose move is latest —
 * highest (Lamport seq, id) — loses its move, as if it had been refused: it goes back to
 * the parent it had before (`pos.prev`). If that still leaves it in a cycle, it goes to the
 * top level. Every step depends only on the stored state, so all replicas agree, and no
 * task is ever dropped.
 */
export function resolveTree(doc: Y.Doc): ResolvedTree {
  const tasks = tasksOf(doc);
  const ids = [...tasks.keys()].sort();
  const parent = new Map<string, string | null>();
  const seq = new Map<string, number>();
  const prev = new Map<string, string | null>();
  for (const id of ids) {
    const pos = posOf(tasks.get(id) as TaskMap);
    parent.set(
      id,
      pos.parent !== null && pos.parent !== id && tasks.has(pos.parent) ? pos.parent : null,
    );
    seq.set(id, pos.seq);
    prev.set(id, pos.prev);
  }

  const fellBack = new Set<string>();
  // Each round either sends a victim to its previous parent (once per task) or to the top
  // level (final), so the loop ends after at most 2n rounds.
  for (let round = 0; round <= 2 * ids.length; round += 1) {
    const cycles = findCycles(ids, parent);
    if (cycles.length === 0) break;
    for (const cycle of cycles) {
      let victim = cycle[0] as string;
      for (const id of cycle) {
        const s = seq.get(id) ?? 0;
        const v = seq.get(victim) ?? 0;
        if (s > v || (s === v && id > victim)) victim = id;
      }
      const back = prev.get(victim) ?? null;
      if (!fellBack.has(victim) && back !== null && back !== victim && tasks.has(back)) {
        fellBack.add(victim);
        parent.set(victim, back);
      } else {
        parent.set(victim, null);
      }
    }
  }

  const children = new Map<string | null, { id: string; rank: string }[]>();
  for (const id of ids) {
    const p = parent.get(id) ?? null;
    let list = children.get(p);
    if (!list) children.set(p, (list = []));
    list.push({ id, rank: rankOf(tasks.get(id) as TaskMap) });
  }
  const childrenOf = new Map<string | null, string[]>();
  for (const [p, list] of children)
    childrenOf.set(
      p,
      list.sort(compareByRank).map((c) => c.id),
    );

  const hidden = new Set<string>();
  const visit = (p: string | null, hiddenAbove: boolean): void => {
    for (const id of childrenOf.get(p) ?? []) {
      const h = hiddenAbove || (tasks.get(id) as TaskMap).get(K.deleted) === true;
      if (h) hidden.add(id);
      visit(id, h);
    }
  };
  visit(null, false);
  return { parentOf: parent, childrenOf, hidden };
}

/** The cycles of a functional graph (each node has at most one parent). */
function findCycles(
  ids: readonly string[],
  parent: ReadonlyMap<string, string | null>,
): string[][] {
  const state = new Map<string, 1 | 2>(); // 1 = on the current path, 2 = done
  const cycles: string[][] = [];
  for (const start of ids) {
    if (state.has(start)) continue;
    const path: string[] = [];
    let at: string | null = start;
    while (at !== null && !state.has(at)) {
      state.set(at, 1);
      path.push(at);
      at = parent.get(at) ?? null;
    }
    if (at !== null && state.get(at) === 1) cycles.push(path.slice(path.indexOf(at)));
    for (const id of path) state.set(id, 2);
  }
  return cycles;
}

/** True when `id` is `ancestor` or lies below it in the resolved tree. */
export function isInSubtree(tree: ResolvedTree, id: string, ancestor: string): boolean {
  let at: string | null = id;
  for (let i = 0; at !== null && i <= tree.parentOf.size; i += 1) {
    if (at === ancestor) return true;
    at = tree.parentOf.get(at) ?? null;
  }
  return false;
}
