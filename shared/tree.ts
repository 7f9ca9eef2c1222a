import type * as Y from 'yjs';
import { K, compareByRank, entryAt, posOf, rankOf, tasksOf, type TaskMap } from './schema.ts';

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
  /** The highest move number (`pos.seq`) stored. */
  readonly maxSeq: number;
}

/** The same tree, as the cache patches it in place. */
interface MutableTree extends ResolvedTree {
  readonly parentOf: Map<string, string | null>;
  readonly childrenOf: Map<string | null, string[]>;
  maxSeq: number;
}

/** Transaction meta key: the transaction's writer has patched the cached tree itself. */
const TREE_PATCHED = 'qingdan:tree-patched';

interface TreeCache {
  tree: MutableTree | null;
}

const caches = new WeakMap<Y.Doc, TreeCache>();

function cacheOf(doc: Y.Doc): TreeCache {
  let cache = caches.get(doc);
  if (cache === undefined) {
    const created: TreeCache = { tree: null };
    cache = created;
    caches.set(doc, created);
    // Y.Map<Y.Map> is not assignable to AbstractType<YEvent<any>> (event types are invariant).
    const tasks: unknown = tasksOf(doc);
    // Before any observer runs, so that an observer reading the tree never sees it stale.
    doc.on('beforeObserverCalls', (tr: Y.Transaction) => {
      if (tr.meta.get(TREE_PATCHED) === true) return;
      // `changedParentTypes` is filled only after this event: walk up from each change.
      for (const changed of tr.changed.keys()) {
        let type: { _item: Y.Item | null } | null = changed;
        while (type !== null && type !== tasks) type = (type._item?.parent ?? null) as typeof type;
        if (type === tasks) {
          created.tree = null;
          return;
        }
      }
    });
  }
  return cache;
}

/**
 * The resolved tree, cached per document until the tasks change (a remote update, a
 * restore, anything not patched by `addToTree`). Resolving costs O(n log n), and adding
 * the tasks of a big plan one by one must not cost O(n²). The returned object is valid until
 * the next change to the document; read it, don't keep it.
 */
export function resolveTree(doc: Y.Doc): ResolvedTree {
  // Inside a caller's transaction the cache may lag behind what was written so far.
  if (doc._transaction !== null) return computeTree(doc);
  const cache = cacheOf(doc);
  return (cache.tree ??= computeTree(doc));
}

/**
 * Runs `write` as one transaction that adds task `id` under `parent` at sibling index `at`
 * (after any reranking, which keeps the order), and patches the cached tree to match
 * instead of dropping it. Outside the cache's knowledge (nested in a caller's transaction)
 * it simply writes.
 */
export function addToTree(
  doc: Y.Doc,
  origin: unknown,
  placement: {
    readonly id: string;
    readonly parent: string | null;
    readonly at: number;
    readonly seq: number;
  },
  write: () => void,
): void {
  const nested = doc._transaction !== null;
  const cache = cacheOf(doc);
  doc.transact((tr) => {
    write();
    const tree = cache.tree;
    if (nested || tree === null) return;
    tree.parentOf.set(placement.id, placement.parent);
    let list = tree.childrenOf.get(placement.parent);
    if (list === undefined) tree.childrenOf.set(placement.parent, (list = []));
    list.splice(placement.at, 0, placement.id);
    tree.maxSeq = Math.max(tree.maxSeq, placement.seq);
    tr.meta.set(TREE_PATCHED, true);
  }, origin);
}

/**
 * Runs `write` as one transaction that changes no task's position, rank or deletion (text
 * and field edits), so the cached tree stays valid.
 */
export function transactKeepingTree(doc: Y.Doc, origin: unknown, write: () => void): void {
  const nested = doc._transaction !== null;
  doc.transact((tr) => {
    write();
    if (!nested) tr.meta.set(TREE_PATCHED, true);
  }, origin);
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
function computeTree(doc: Y.Doc): MutableTree {
  const tasks = tasksOf(doc);
  const isTask = (id: string): boolean => entryAt(tasks, id) !== undefined;
  const ids = [...tasks.keys()].filter(isTask).sort();
  const parent = new Map<string, string | null>();
  const seq = new Map<string, number>();
  const prev = new Map<string, string | null>();
  let maxSeq = 0;
  for (const id of ids) {
    const pos = posOf(tasks.get(id) as TaskMap);
    maxSeq = Math.max(maxSeq, pos.seq);
    parent.set(
      id,
      pos.parent !== null && pos.parent !== id && isTask(pos.parent) ? pos.parent : null,
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
      if (!fellBack.has(victim) && back !== null && back !== victim && isTask(back)) {
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
  return { parentOf: parent, childrenOf, hidden, maxSeq };
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
