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
 * Byte-flipping fuzzing found such updates in 1 in 130–510 of those Yjs accepted
 * (test/fixtures/relay/update-diverges-*.frame). It also found items of length 0, after which
 * two items share an id: the relay's decoder refuses those, and this check any gap or overlap
 * in a client's structs.
 *
 * The check, once the update is in: for each item it added, the item `origin` names must be
 * in the same list (same parent, same map key) and found by walking left from the item, and
 * the one `rightOrigin` names must be in the same list and found by walking right. Yjs's own
 * integration guarantees both for every update a Yjs client makes, whatever arrived
 * concurrently: it only ever moves an item rightwards from its origin and stops at its
 * rightOrigin. The walks pass only the items inserted concurrently at that spot.
 *
 * Items an update adds whose neighbours the doc lacks are kept pending by Yjs, and integrated
 * in the transaction of whichever later update brings those neighbours, unchecked: refusing
 * that update would refuse its sender for somebody else's item. So the relay keeps nothing
 * pending. A client only ever builds on what it got from the relay, and its sync reply
 * carries all the relay lacks, so what stays pending is what its own copy could not place
 * either (a damaged local store), or a forgery. Refusing such an update would shut that client
 * out for good, as it sends the same items in every sync reply; instead the pending items are
 * dropped, and only what the update did place is stored and relayed.
 */
import * as Y from 'yjs';
import type { DecodedUpdate } from './protocol.ts';

/** Thrown by {@link applyCheckedUpdate}; the doc may have changed and must be rebuilt. */
export class UpdateRefused extends Error {
  override readonly name = 'UpdateRefused';
}

/**
 * Walk budget per update. A walk passes the items inserted concurrently at one spot, so
 * updates stay far below it, short of two clients' long offline sessions of inserting at one
 * spot (where Yjs's own integration is quadratic too). Past it the rest of the update is let
 * through unchecked: a valid update must never be refused, since its sender would send it
 * again in every sync reply.
 */
const MAX_WALK_STEPS = 200_000;

type Struct = Y.Item | Y.GC | Y.Skip;

/**
 * Applies `update` (already through the relay's decoder) to `doc`, and returns what to store
 * and relay: `update` itself, or, when it left items pending, only what it placed. Throws what
 * Yjs throws, or {@link UpdateRefused} when the update's items contradict their own
 * references. Either way the doc may be half-changed.
 */
export function applyCheckedUpdate(
  doc: Y.Doc,
  update: Uint8Array,
  origin: unknown,
  walkBudget = MAX_WALK_STEPS,
): Uint8Array {
  const store = doc.store;
  const pendingBefore = store.pendingStructs !== null || store.pendingDs !== null;
  // Yjs records each client's clock before and after each transaction anyway. One update can
  // take two: Yjs applies what it had to leave pending in a second one, at the end.
  let first: Y.Transaction | undefined;
  let last: Y.Transaction | undefined;
  const grab = (tr: Y.Transaction): void => {
    first ??= tr;
    last = tr;
  };
  doc.on('afterTransaction', grab);
  try {
    Y.applyUpdate(doc, update, origin);
  } finally {
    doc.off('afterTransaction', grab);
  }
  if (first === undefined || last === undefined) return update;
  const beforeState = first.beforeState;
  const afterState = last.afterState;
  let placed = update;
  if (!pendingBefore && (store.pendingStructs !== null || store.pendingDs !== null)) {
    store.pendingStructs = null;
    store.pendingDs = null;
    // All the doc holds past where it was (its whole delete set comes along: harmless).
    placed = Y.encodeStateAsUpdate(doc, Y.encodeStateVector(beforeState));
  }
  // With items pending before (stored before the relay dropped them), some of those added may
  // be theirs: check only this update's.
  const own = pendingBefore ? Y.parseUpdateMeta(update) : undefined;
  let budget = walkBudget;
  for (const [client, after] of afterState) {
    const from = Math.max(beforeState.get(client) ?? 0, own?.from.get(client) ?? 0);
    const to = own === undefined ? after : Math.min(after, own.to.get(client) ?? 0);
    if (to <= from) continue;
    const structs = store.clients.get(client) as Struct[];
    // Back to the last struct that was there before; not by binary search, which assumes the
    // clocks are in order, and this is where they are checked.
    let i = structs.length;
    while (i > 0 && !endsBy(structs[i - 1]!, from)) i--;
    for (; i < structs.length; i++) {
      const struct = structs[i]!;
      // A client's structs follow each other without gap or overlap. Yjs checks that when it
      // adds one, but an empty struct passes, and the next one then shares its id.
      const prev = structs[i - 1];
      if (
        struct.length <= 0 ||
        (prev !== undefined && prev.id.clock + prev.length !== struct.id.clock)
      )
        throw new UpdateRefused('two items of the update have the same id');
      if (struct.id.clock >= to) break;
      if (!(struct instanceof Y.Item)) continue;
      budget = checkItem(store, struct, budget);
      if (budget < 0) return placed;
    }
  }
  return placed;
}

/** Whether a struct lies wholly before `clock`. */
function endsBy(struct: Struct, clock: number): boolean {
  return struct.id.clock < clock && struct.id.clock + struct.length <= clock;
}

/** Checks one added item's references; returns the walk budget left (below 0: used up). */
function checkItem(store: Y.Doc['store'], item: Y.Item, budget: number): number {
  if (item.origin !== null) budget = checkNeighbour(store, item, item.origin, 'left', budget);
  if (budget >= 0 && item.rightOrigin !== null)
    budget = checkNeighbour(store, item, item.rightOrigin, 'right', budget);
  return budget;
}

/**
 * The item `id` names must be in `item`'s list and found by walking from `item` to `side`.
 * Returns the walk budget left; below 0 the walk gave up unfinished.
 */
function checkNeighbour(
  store: Y.Doc['store'],
  item: Y.Item,
  id: Y.ID,
  side: 'left' | 'right',
  budget: number,
): number {
  const neighbour = Y.getItem(store, id) as Struct;
  if (!inSameList(neighbour, item))
    throw new UpdateRefused(`an item’s ${side} neighbour is in another list`);
  let o = item[side];
  while (o !== null && o !== neighbour) {
    o = o[side];
    if (--budget < 0) return budget;
  }
  if (o !== neighbour) throw new UpdateRefused(`an item’s ${side} neighbour is not to its ${side}`);
  return budget;
}

function inSameList(other: Struct, item: Y.Item): other is Y.Item {
  return (
    other instanceof Y.Item && other.parent === item.parent && other.parentSub === item.parentSub
  );
}

/**
 * True when an update holds nothing the doc lacks: every struct is already in it, and every
 * item it deletes is already deleted there. Every stock client's sync reply carries its
 * whole delete set, so after a reconnect a client that made no change sends one such update:
 * a viewer's was taken for an edit (closing it with 4403 on any plan with a deletion), and an
 * editor's was stored and relayed to everyone again.
 */
export function addsNothing(doc: Y.Doc, decoded: DecodedUpdate): boolean {
  const clients = doc.store.clients;
  const stateOf = (structs: readonly Struct[] | undefined): number => {
    const last = structs?.[structs.length - 1];
    return last === undefined ? 0 : last.id.clock + last.length;
  };
  for (const struct of decoded.structs) {
    if (struct instanceof Y.Skip) continue;
    if (struct.id.clock + struct.length > stateOf(clients.get(struct.id.client))) return false;
  }
  for (const [client, ranges] of decoded.ds.clients) {
    const structs = clients.get(client);
    if (structs === undefined) return false;
    const state = stateOf(structs);
    for (const { clock, len } of ranges) {
      const end = clock + len;
      if (end > state) return false;
      for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
        const struct = structs[i]!;
        if (struct.id.clock >= end) break;
        if (!struct.deleted) return false;
      }
    }
  }
  return true;
}
