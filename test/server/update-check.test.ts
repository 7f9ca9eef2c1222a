import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { ProtocolError, decodeClientMessage } from '../../server/protocol.ts';
import { UpdateRefused, addsNothing, applyCheckedUpdate } from '../../server/update-check.ts';
import { REPO_ROOT } from '../helpers/relay.ts';
import { contentOf, docWith, updateOfFrame } from '../helpers/yjs-content.ts';

const FIXTURES = `${REPO_ROOT}test/fixtures/relay/`;

const read = (name: string): Uint8Array => new Uint8Array(readFileSync(`${FIXTURES}${name}`));
const diverging = readdirSync(FIXTURES)
  .filter((f) => f.startsWith('update-diverges-'))
  .sort();

describe('updates whose items contradict their own neighbours', () => {
  test('there are such fixtures', () => {
    expect(diverging.length).toBeGreaterThanOrEqual(4);
  });

  test.each(diverging)('%s: Yjs takes it, and replicas then disagree for good', (name) => {
    const seed = read(name.includes('on-plan-state') ? 'plan-state.update' : 'base-state.update');
    const update = updateOfFrame(read(name));
    // A replica that applied it live, as every connected client would...
    const live = docWith(seed);
    expect(() => Y.decodeUpdate(update)).not.toThrow();
    Y.applyUpdate(live, update);
    // ...and one that loads the same items later: a late joiner, or the compacted plan.
    const joiner = docWith(Y.encodeStateAsUpdate(live));
    // They disagree; sync cannot mend that, as both hold the same items (or, for the empty
    // item, the live doc has a broken struct store).
    expect(contentOf(joiner)).not.toEqual(contentOf(live));
  });

  test.each(diverging)('%s is refused', (name) => {
    const seed = read(name.includes('on-plan-state') ? 'plan-state.update' : 'base-state.update');
    const doc = docWith(seed);
    expect(() => applyCheckedUpdate(doc, updateOfFrame(read(name)), null)).toThrow(UpdateRefused);
  });
});

test('an empty struct breaks the state late joiners get; the decoder refuses it', () => {
  const frame = read('update-empty-struct-on-plan-state.frame');
  const update = updateOfFrame(frame);
  // Yjs takes it, and the doc's delete set then holds an empty range. Only the update's
  // pending deletion, merged over it, kept the encoded state loadable; once the relay drops
  // what is pending, nobody can apply the state it sends late joiners.
  const live = docWith(read('plan-state.update'));
  applyCheckedUpdate(live, update, null);
  expect(() => docWith(Y.encodeStateAsUpdate(live))).toThrow();
  const limits = { maxAwarenessStateLength: 1000, maxAwarenessEntriesPerMessage: 10 };
  expect(() => decodeClientMessage(frame, limits)).toThrow(ProtocolError);
  expect(() => decodeClientMessage(frame, limits)).toThrow(/empty/);
});

test('past its walk budget the check lets the rest of an update through', () => {
  // A valid update must never be refused; one that needs more walking than the budget is let
  // through. With no budget at all, even a diverging one is.
  const seed = read('base-state.update');
  const update = updateOfFrame(read('update-diverges-left-not-left.frame'));
  expect(() => applyCheckedUpdate(docWith(seed), update, null)).toThrow(UpdateRefused);
  expect(() => applyCheckedUpdate(docWith(seed), update, null, 0)).not.toThrow();
});

describe('updates that need items the doc lacks', () => {
  /** Two inserts by one author: the second needs the first. */
  function twoEdits(): [Uint8Array, Uint8Array] {
    const author = new Y.Doc();
    const updates: Uint8Array[] = [];
    author.on('update', (u: Uint8Array) => updates.push(u));
    author.getText('t').insert(0, '党建');
    author.getText('t').insert(2, '工作');
    return [updates[0]!, updates[1]!];
  }

  test('keep what they place; what they cannot place is dropped, not stored or relayed', () => {
    const [first, second] = twoEdits();
    const other = new Y.Doc();
    other.getMap('meta').set('title', '实施意见');
    const update = Y.mergeUpdates([second, Y.encodeStateAsUpdate(other)]);

    const relay = new Y.Doc();
    const placed = applyCheckedUpdate(relay, update, null);
    expect(relay.store.pendingStructs).toBeNull();
    // What goes to the store and to the others: the title, not the stranded insert.
    const receiver = docWith(placed);
    expect(receiver.getMap('meta').get('title')).toBe('实施意见');
    expect(receiver.store.pendingStructs).toBeNull();
    // When what it needed arrives, the dropped insert does not come back with it.
    applyCheckedUpdate(relay, first, null);
    expect(relay.getText('t').toString()).toBe('党建');
  });

  test('an update that places everything is stored as it came', () => {
    const [first, second] = twoEdits();
    const relay = new Y.Doc();
    expect(applyCheckedUpdate(relay, first, null)).toBe(first);
    expect(applyCheckedUpdate(relay, second, null)).toBe(second);
    expect(relay.getText('t').toString()).toBe('党建工作');
  });

  test('a diverging item sent ahead of its neighbour never gets in', () => {
    const seed = read('base-state.update');
    // The diverging item of a fixture, moved to its client's clock 1: pending until clock 0.
    const ahead = updateOfFrame(read('update-diverges-left-not-left.frame'));
    expect(Y.decodeUpdate(ahead).structs[0]!.id).toEqual({ client: 12, clock: 0 });
    ahead[3] = 1;
    const relay = docWith(seed);
    applyCheckedUpdate(relay, ahead, null);
    expect(relay.store.pendingStructs).toBeNull();

    const next = docWith(seed);
    next.clientID = 12;
    const before = Y.encodeStateVector(next);
    next.getText('t').insert(0, '!');
    applyCheckedUpdate(relay, Y.encodeStateAsUpdate(next, before), null);
    expect(relay.getText('t').toString()).toBe(`!${docWith(seed).getText('t').toString()}`);
    expect(contentOf(docWith(Y.encodeStateAsUpdate(relay)))).toEqual(contentOf(relay));
  });

  test('items pending from rows stored earlier are not blamed on the update that places them', () => {
    const seed = read('base-state.update');
    const ahead = updateOfFrame(read('update-diverges-left-not-left.frame'));
    ahead[3] = 1;
    // Loaded from the store as it was before the relay dropped pending items.
    const relay = docWith(seed, ahead);
    expect(relay.store.pendingStructs).not.toBeNull();

    const innocent = docWith(seed);
    innocent.clientID = 12;
    const before = Y.encodeStateVector(innocent);
    innocent.getText('t').insert(0, '!');
    const update = Y.encodeStateAsUpdate(innocent, before);
    expect(applyCheckedUpdate(relay, update, null)).toBe(update);
    expect(relay.store.pendingStructs).toBeNull();
    expect(relay.getText('t').toString()).toContain('!');
  });
});

// Valid edits are never refused: three clients edit, undo and redo concurrently, send to and
// receive from a relay doc in any order, and the relay applies every update through the check.
// CI runs a fixed seed; set QINGDAN_SEED to explore others.
const SEED = Number(process.env['QINGDAN_SEED'] ?? 20231127);
const RUNS = Number(process.env['QINGDAN_RUNS'] ?? 150);
const REMOTE = { kind: 'remote' };

interface Client {
  readonly doc: Y.Doc;
  readonly undo: Y.UndoManager;
  outbox: Uint8Array[];
  inbox: Uint8Array[];
}

const n = fc.nat({ max: 1000 });
const step = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      k: fc.constant('edit' as const),
      c: n,
      op: fc.nat({ max: 13 }),
      a: n,
      b: n,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('batch' as const),
      c: n,
      ops: fc.array(fc.tuple(fc.nat({ max: 13 }), n, n), { minLength: 2, maxLength: 4 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ k: fc.constant('undo' as const), c: n, redo: fc.boolean() }),
  },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('send' as const), c: n }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('receive' as const), c: n }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('resync' as const), c: n }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('reload' as const) }) },
);

/** One edit of the kinds a plan sees, on whatever the doc holds now. */
function edit(doc: Y.Doc, op: number, a: number, b: number): void {
  const tasks = doc.getMap<unknown>('tasks');
  const t = doc.getText('t');
  const arr = doc.getArray<unknown>('arr');
  const key = `k${a % 4}`;
  const entry = tasks.get(key);
  const title = entry instanceof Y.Map ? entry.get('title') : undefined;
  const text = title instanceof Y.Text ? title : t;
  switch (op) {
    case 0:
      t.insert(a % (t.length + 1), ['党', '建a', 'bc。'][b % 3]!);
      break;
    case 1:
      if (t.length > 0) t.delete(a % t.length, 1 + (b % 3));
      break;
    case 2:
      if (t.length > 0) t.format(a % t.length, 1 + (b % 4), { bold: b % 2 === 0 ? true : null });
      break;
    case 3:
      tasks.set(key, b);
      break;
    case 4: {
      const m = new Y.Map<unknown>();
      tasks.set(key, m);
      const tx = new Y.Text();
      m.set('title', tx);
      tx.insert(0, '任务');
      break;
    }
    case 5:
      text.insert(a % (text.length + 1), b % 2 === 0 ? '措施' : 'x');
      break;
    case 6:
      if (text.length > 0) text.delete(a % text.length, 1 + (b % 2));
      break;
    case 7:
      tasks.delete(key);
      break;
    case 8:
      arr.insert(a % (arr.length + 1), [b, `v${b}`]);
      break;
    case 9:
      if (arr.length > 0)
        arr.delete(a % arr.length, Math.min(arr.length - (a % arr.length), 1 + (b % 2)));
      break;
    case 10: {
      const inner = new Y.Text();
      arr.insert(a % (arr.length + 1), [inner]);
      inner.insert(0, 'abc');
      break;
    }
    case 11:
      if (entry instanceof Y.Map) entry.set(b % 2 === 0 ? 'status' : 'lead', b);
      break;
    case 12:
      doc.getMap('meta').set('title', `${b}`);
      break;
    default: {
      const inner = arr.length > 0 ? arr.get(a % arr.length) : undefined;
      if (inner instanceof Y.Text) inner.insert(b % (inner.length + 1), 'y');
    }
  }
}

test('valid concurrent edits, undos and resyncs are never refused, and every replica converges', () => {
  fc.assert(
    fc.property(fc.array(step, { minLength: 10, maxLength: 120 }), (steps) => {
      let relay = new Y.Doc({ gc: true });
      const clients: Client[] = [1, 2, 3].map((id) => {
        const doc = new Y.Doc({ gc: true });
        doc.clientID = id;
        const client: Client = {
          doc,
          undo: new Y.UndoManager([doc.getMap('tasks'), doc.getText('t'), doc.getArray('arr')], {
            captureTimeout: 0,
          }),
          outbox: [],
          inbox: [],
        };
        doc.on('update', (u: Uint8Array, origin: unknown) => {
          if (origin !== REMOTE) client.outbox.push(u);
        });
        return client;
      });
      const toRelay = (from: Client, update: Uint8Array): void => {
        applyCheckedUpdate(relay, update, null);
        for (const other of clients) if (other !== from) other.inbox.push(update);
      };
      const resync = (c: Client): void => {
        const mine = Y.encodeStateAsUpdate(c.doc, Y.encodeStateVector(relay));
        c.outbox = [];
        toRelay(c, mine);
        Y.applyUpdate(c.doc, Y.encodeStateAsUpdate(relay, Y.encodeStateVector(c.doc)), REMOTE);
        c.inbox = [];
      };
      for (const s of steps) {
        if (s.k === 'reload') {
          // The relay's doc as it is rebuilt from the compacted plan.
          const state = Y.encodeStateAsUpdate(relay);
          relay.destroy();
          relay = docWith(state);
          continue;
        }
        const c = clients[s.c % clients.length]!;
        if (s.k === 'edit') edit(c.doc, s.op, s.a, s.b);
        else if (s.k === 'batch')
          c.doc.transact(() => s.ops.forEach(([op, a, b]) => edit(c.doc, op, a, b)));
        else if (s.k === 'undo') {
          if (s.redo) c.undo.redo();
          else c.undo.undo();
        } else if (s.k === 'send') {
          for (const u of c.outbox.splice(0)) toRelay(c, u);
        } else if (s.k === 'receive') {
          for (const u of c.inbox.splice(0)) Y.applyUpdate(c.doc, u, REMOTE);
        } else resync(c);
      }
      for (const c of clients) resync(c);
      for (const c of clients) resync(c);
      // Without formatting: Yjs alone does not always converge on the attributes of concurrent
      // formatting (some seeds fail the same way with plain Y.applyUpdate at the relay). Plan
      // texts carry none; the formatting edits are here for the check to see format items.
      const plain = { formatting: false };
      const expected = contentOf(relay, plain);
      for (const c of clients) expect(contentOf(c.doc, plain)).toEqual(expected);
      expect(contentOf(docWith(Y.encodeStateAsUpdate(relay)), plain)).toEqual(expected);
    }),
    { seed: SEED, numRuns: RUNS, endOnFailure: true },
  );
}, 120_000);

describe('an update that holds nothing the doc lacks', () => {
  /** A relay's doc and a client that synced it, with deletions on both sides' history. */
  function synced(): { relay: Y.Doc; client: Y.Doc; reply: () => Uint8Array } {
    const relay = new Y.Doc();
    relay.getText('t').insert(0, '加强理论武装，严格落实');
    relay.getText('t').delete(2, 3);
    relay.getMap('tasks').set('a', '一');
    relay.getMap('tasks').delete('a');
    const client = docWith(Y.encodeStateAsUpdate(relay));
    // A stock client's sync reply: what the relay lacks, with the client's whole delete set.
    const reply = (): Uint8Array => Y.encodeStateAsUpdate(client, Y.encodeStateVector(relay));
    return { relay, client, reply };
  }
  const holdsNothingNew = (doc: Y.Doc, update: Uint8Array): boolean =>
    addsNothing(doc, Y.decodeUpdate(update));

  test('a reconnecting client’s reply with all it knows: its delete set, all known', () => {
    const { relay, reply } = synced();
    const update = reply();
    expect(Y.decodeUpdate(update).ds.clients.size).toBeGreaterThan(0);
    expect(holdsNothingNew(relay, update)).toBe(true);
    // The whole state, too.
    expect(holdsNothingNew(relay, Y.encodeStateAsUpdate(relay))).toBe(true);
  });

  test('an insertion, a deletion or an item the doc lacks is something new', () => {
    const inserted = synced();
    inserted.client.getText('t').insert(0, '新');
    expect(holdsNothingNew(inserted.relay, inserted.reply())).toBe(false);

    const deleted = synced();
    deleted.client.getText('t').delete(0, 1);
    expect(holdsNothingNew(deleted.relay, deleted.reply())).toBe(false);

    // Deleting the rest of a text the relay has partly deleted.
    const partly = synced();
    partly.client.getText('t').delete(0, partly.client.getText('t').length);
    expect(holdsNothingNew(partly.relay, partly.reply())).toBe(false);

    // Another client's edit the relay never got.
    const { relay } = synced();
    const stranger = new Y.Doc();
    stranger.getMap('tasks').set('b', '二');
    expect(holdsNothingNew(relay, Y.encodeStateAsUpdate(stranger))).toBe(false);
    // Applied, it is known.
    Y.applyUpdate(relay, Y.encodeStateAsUpdate(stranger));
    expect(holdsNothingNew(relay, Y.encodeStateAsUpdate(stranger))).toBe(true);
  });
});
