/**
 * Applies a client's update to a room's doc and checks that every item it added sits where
 * its own references say it does.
 *
 * Yjs trusts what an update says about where an item goes: the item it was typed after
 * (`origin`) and the one it was typed before (`rightOrigin`). A mutated or forged update can
 * name references that contradict each other (a right neighbour to the left, neighbours in
 * another text or map entry, a neighbour the same update then garbage-collects). Yjs neither
 * throws nor refuses it: it places the item somewhere, and a doc that receives the same items
 * in another order (a late joiner, a plan loaded from its compacted row) places it elsewhere.
 * Replicas then hold different plans for good: sync exchanges missing items, never positions.
 * Byte-flipping fuzzing found such updates in about 1 in 150 of those Yjs accepted
 * (test/server/update-check.test.ts keeps examples).
 *
 * The check, once the update is in: for each item it added, the item `origin` names must be
 * in the same list (same parent, same map key) and found by walking left from the item, and
 * the one `rightOrigin` names must be in the same list and found by walking right. Yjs's own
 * integration guarantees both for every update a Yjs client makes, whatever arrived
 * concurrently: it only ever moves an item rightwards from its origin and stops at its
 * rightOrigin. The walks pass only the items inserted concurrently at that spot.
 *
 * An update may also name items the relay does not have; Yjs keeps it pending and integrates
 * it when they arrive, in the transaction of some later update, whose sender would then be
 * blamed for it. A client only ever builds on what it got from the relay (and sends all the
 * relay lacks in its sync reply), so an update that leaves something pending is refused too.
 */
import * as Y from 'yjs';

/** Thrown by {@link applyCheckedUpdate}; the doc may have changed and must be rebuilt. */
export class UpdateRefused extends Error {
  override readonly name = 'UpdateRefused';
}

/**
 * Walk budget per update. A walk passes the items inserted concurrently at one spot, so valid
 * updates stay far below it; a list of this many items walked end to end takes about a
 * millisecond. Past it the update is refused: a client that really made this many concurrent
 * inserts at one spot can send them again, in smaller updates.
 */
const MAX_WALK_STEPS = 200_000;

type Struct = Y.Item | Y.GC | Y.Skip;

/**
 * Applies `update` (already checked with Y.decodeUpdate) to `doc`. Throws what Yjs throws, or
 * {@link UpdateRefused} when the update's items contradict their own references or it needs
 * items the doc lacks. Either way the doc may be half-changed.
 */
export function applyCheckedUpdate(doc: Y.Doc, update: Uint8Array, origin: unknown): void {
  const store = doc.store;
  const pendingBefore = store.pendingStructs !== null || store.pendingDs !== null;
  // Yjs records each client's clock before and after the transaction anyway.
  let transaction: Y.Transaction | undefined;
  const grab = (tr: Y.Transaction): void => {
    transaction = tr;
  };
  doc.on('afterTransaction', grab);
  try {
    Y.applyUpdate(doc, update, origin);
  } finally {
    doc.off('afterTransaction', grab);
  }
  if (!pendingBefore && (store.pendingStructs !== null || store.pendingDs !== null)) {
    throw new UpdateRefused('the update refers to items the plan does not have');
  }
  if (transaction === undefined) return;
  const { beforeState, afterState } = transaction;
  let budget = MAX_WALK_STEPS;
  for (const [client, after] of afterState) {
    const from = beforeState.get(client) ?? 0;
    if (after === from) continue;
    const structs = store.clients.get(client) as Struct[];
    for (let i = firstEndingAfter(structs, from); i < structs.length; i++) {
      const struct = structs[i];
      if (!(struct instanceof Y.Item)) continue;
      budget = checkItem(store, struct, budget);
    }
  }
}

/** The index of the first struct that ends after `clock` (the structs are sorted by clock). */
function firstEndingAfter(structs: readonly Struct[], clock: number): number {
  let lo = 0;
  let hi = structs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const s = structs[mid]!;
    if (s.id.clock + s.length > clock) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Checks one added item's references; returns the walk budget left. */
function checkItem(store: Y.Doc['store'], item: Y.Item, budget: number): number {
  if (item.origin !== null) {
    const left = Y.getItem(store, item.origin) as Struct;
    if (!inSameList(left, item))
      throw new UpdateRefused('an item’s left neighbour is in another list');
    let o = item.left;
    while (o !== null && o !== left) {
      o = o.left;
      if (--budget < 0)
        throw new UpdateRefused('too many items between an item and its neighbours');
    }
    if (o !== left) throw new UpdateRefused('an item’s left neighbour is not to its left');
  }
  if (item.rightOrigin !== null) {
    const right = Y.getItem(store, item.rightOrigin) as Struct;
    if (!inSameList(right, item))
      throw new UpdateRefused('an item’s right neighbour is in another list');
    let o = item.right;
    while (o !== null && o !== right) {
      o = o.right;
      if (--budget < 0)
        throw new UpdateRefused('too many items between an item and its neighbours');
    }
    if (o !== right) throw new UpdateRefused('an item’s right neighbour is not to its right');
  }
  return budget;
}

function inSameList(other: Struct, item: Y.Item): other is Y.Item {
  return (
    other instanceof Y.Item && other.parent === item.parent && other.parentSub === item.parentSub
  );
}
