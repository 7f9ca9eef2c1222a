import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { silentLogger } from '../../server/log.ts';
import { RelayMetrics } from '../../server/metrics.ts';
import { encodeUpdate, type Socket } from '../../server/protocol.ts';
import { DEFAULT_LIMITS, RoomRegistry } from '../../server/rooms.ts';
import { openStore, type SqliteStore, type Store } from '../../server/store.ts';
import { eventually } from '../helpers/eventually.ts';
import { makeTempDir, removeDir } from '../helpers/relay.ts';

/** A store whose every call resolves a few milliseconds later, like a networked one. */
function slowStore(inner: SqliteStore): Store {
  const later = <T>(f: () => Promise<T>): Promise<T> =>
    new Promise((resolve) => setTimeout(resolve, 5)).then(f);
  return {
    hasPlan: (id) => later(() => inner.hasPlan(id)),
    listPlans: () => later(() => inner.listPlans()),
    loadUpdates: (id) => later(() => inner.loadUpdates(id)),
    loadState: (id) => later(() => inner.loadState(id)),
    appendUpdate: (id, u) => later(() => inner.appendUpdate(id, u)),
    appendUpdates: (us) => later(() => inner.appendUpdates(us)),
    createPlan: (id, s) => later(() => inner.createPlan(id, s)),
    compact: (id, n) => later(() => inner.compact(id, n)),
    logLength: (id) => later(() => inner.logLength(id)),
    close: () => inner.close(),
  };
}

interface FakeSocket extends Socket {
  readonly sent: { data: Uint8Array; storedRows: number }[];
  closedWith?: { code: number; reason: string };
}

let dir: string;
let sqlite: SqliteStore;
let rooms: RoomRegistry;

function fakeSocket(): FakeSocket {
  const socket: FakeSocket = {
    sent: [],
    bufferedAmount: 0,
    // Record how many rows were stored when each message left: a served update must be stored.
    send: (data) => socket.sent.push({ data, storedRows: sqlite.loadUpdatesSync('p').length }),
    close: (code, reason) => {
      socket.closedWith = { code, reason };
    },
    terminate: () => undefined,
    ping: () => undefined,
  };
  return socket;
}

/** The update carried by a sync step 2 or update message, or null for other messages. */
function updateOf(message: Uint8Array): Uint8Array | null {
  const decoder = decoding.createDecoder(message);
  if (decoding.readVarUint(decoder) !== 0) return null;
  if (decoding.readVarUint(decoder) === 0) return null;
  return decoding.readVarUint8Array(decoder);
}

beforeEach(() => {
  dir = makeTempDir();
  sqlite = openStore(dir);
  rooms = new RoomRegistry({
    store: slowStore(sqlite),
    logger: silentLogger(),
    metrics: new RelayMetrics(),
    limits: { ...DEFAULT_LIMITS, unloadGraceMs: 10 },
  });
});

afterEach(async () => {
  await rooms.close();
  await sqlite.close();
  removeDir(dir);
});

describe('RoomRegistry with an asynchronous store', () => {
  test('messages sent while the plan loads are handled, and no update is served before it is stored', async () => {
    const author = new Y.Doc();
    author.getMap('tasks').set('t1', 'stored first');
    const update = Y.encodeStateAsUpdate(author);

    const a = fakeSocket();
    const connA = rooms.connect(a, { planId: 'p', readOnly: false });
    // Sent before the plan finished loading: queued, then handled in order.
    connA.receive(new Uint8Array([0, 0, 1, 0]));
    connA.receive(encodeUpdate(update));
    // Once A's update is being committed, B asks for the whole state: its answer must wait.
    await eventually(() => rooms.loadedPlans === 1 && a.sent.length >= 2);
    const b = fakeSocket();
    const connB = rooms.connect(b, { planId: 'p', readOnly: false });
    connB.receive(new Uint8Array([0, 0, 1, 0]));

    await eventually(() => {
      const seen = new Y.Doc();
      for (const { data } of b.sent) {
        const u = updateOf(data);
        if (u !== null) Y.applyUpdate(seen, u);
      }
      expect(seen.getMap('tasks').get('t1')).toBe('stored first');
    });
    for (const { data, storedRows } of [...a.sent, ...b.sent]) {
      const u = updateOf(data);
      if (u === null) continue;
      const probe = new Y.Doc();
      Y.applyUpdate(probe, u);
      if (probe.getMap('tasks').size > 0) expect(storedRows).toBe(1);
    }
    expect(a.closedWith).toBeUndefined();
    expect(b.closedWith).toBeUndefined();
    // Both leave: the plan unloads.
    connA.socketClosed(1000);
    connB.socketClosed(1000);
    await eventually(() => expect(rooms.loadedPlans).toBe(0));
    expect(await sqlite.logLength('p')).toBe(1);
  });

  test('a plan far past compactEvery is compacted once, not again for every commit made meanwhile', async () => {
    await rooms.close();
    let compactions = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const inner = slowStore(sqlite);
    rooms = new RoomRegistry({
      store: {
        ...inner,
        compact: async (id, n) => {
          compactions += 1;
          await gate;
          return inner.compact(id, n);
        },
      },
      logger: silentLogger(),
      metrics: new RelayMetrics(),
      limits: { ...DEFAULT_LIMITS, compactEvery: 10, compactQuietMs: 600_000 },
    });
    const author = new Y.Doc();
    const edit = (i: number): Uint8Array => {
      let update: Uint8Array = new Uint8Array();
      author.once('update', (u: Uint8Array) => (update = u));
      author.getMap('tasks').set(`t${i}`, i);
      return update;
    };
    const socket = fakeSocket();
    const conn = rooms.connect(socket, { planId: 'p', readOnly: false });
    const commitOne = async (i: number): Promise<void> => {
      conn.receive(encodeUpdate(edit(i)));
      await eventually(() => expect(sqlite.loadUpdatesSync('p').length).toBe(i + 1));
    };
    // 100 rows (10 × compactEvery): a compaction starts, and is held at the gate…
    for (let i = 0; i < 100; i++) await commitOne(i);
    await eventually(() => expect(compactions).toBe(1));
    // …while 20 more edits are committed, each past the threshold.
    for (let i = 100; i < 120; i++) await commitOne(i);
    release();
    await eventually(() => expect(rooms.compacting).toBe(false));
    expect(compactions).toBe(1);
    // The 100 rows it was asked for became one; the 20 after them are kept.
    expect(sqlite.loadUpdatesSync('p').length).toBe(21);
    expect(socket.closedWith).toBeUndefined();
    conn.socketClosed(1000);
  });

  test('a long log is merged on the store’s thread before the plan loads, and its client gets all of it', async () => {
    // 1,500 rows, as a relay killed during a burst leaves them (past compactEvery, 1,000).
    await rooms.close();
    await sqlite.close();
    sqlite = openStore(dir, { backgroundCheckpoint: true });
    await sqlite.whenReady();
    const metrics = new RelayMetrics();
    rooms = new RoomRegistry({
      store: slowStore(sqlite),
      logger: silentLogger(),
      metrics,
      limits: DEFAULT_LIMITS,
    });
    const author = new Y.Doc();
    const updates: Uint8Array[] = [];
    author.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 1500; i++) author.getMap('tasks').set(`t${i % 300}`, i);
    expect(sqlite.appendUpdatesSync(updates.map((update) => ({ planId: 'p', update })))).toEqual({
      ok: true,
    });

    const socket = fakeSocket();
    const conn = rooms.connect(socket, { planId: 'p', readOnly: false });
    conn.receive(new Uint8Array([0, 0, 1, 0]));
    const seen = new Y.Doc();
    let read = 0;
    await eventually(() => {
      for (const { data } of socket.sent.slice(read)) {
        const u = updateOf(data);
        if (u !== null) Y.applyUpdate(seen, u);
      }
      read = socket.sent.length;
      expect(seen.getMap('tasks').toJSON()).toEqual(author.getMap('tasks').toJSON());
    }, 10_000);
    // The log was one row before anything was sent: the relay's thread applied the merged
    // state, not 1,500 rows.
    expect(socket.sent.map((s) => s.storedRows)).toEqual(socket.sent.map(() => 1));
    expect(metrics.compactions).toBe(1);
    expect(socket.closedWith).toBeUndefined();
    conn.socketClosed(1000);
  });

  test('a plan that unloads is compacted whole even when it is opened again before its turn comes', async () => {
    await rooms.close();
    let releaseA!: () => void;
    const gateA = new Promise<void>((resolve) => (releaseA = resolve));
    let holdLoadOfB = false;
    let releaseLoad!: () => void;
    const heldLoad = new Promise<void>((resolve) => (releaseLoad = resolve));
    const inner = slowStore(sqlite);
    const compacted: string[] = [];
    rooms = new RoomRegistry({
      store: {
        ...inner,
        // Plan a's compaction is held, so b's waits in the queue behind it.
        compact: async (id, n) => {
          if (id === 'a') await gateA;
          const result = await inner.compact(id, n);
          if (result.merged > 0) compacted.push(id);
          return result;
        },
        // Plan b's second load is held, so its room is still loading when b's turn comes.
        loadUpdates: async (id) => {
          if (holdLoadOfB && id === 'b') await heldLoad;
          return inner.loadUpdates(id);
        },
      },
      logger: silentLogger(),
      metrics: new RelayMetrics(),
      limits: { ...DEFAULT_LIMITS, compactEvery: 1000, unloadGraceMs: 20 },
    });
    const author = new Y.Doc();
    const edits = (n: number): Uint8Array[] => {
      const updates: Uint8Array[] = [];
      const onUpdate = (u: Uint8Array): void => {
        updates.push(u);
      };
      author.on('update', onUpdate);
      for (let i = 0; i < n; i++) author.getMap('tasks').set(`t${i}`, i);
      author.off('update', onUpdate);
      return updates;
    };
    // Five rows each in plans a and b, then both are left: both unload and queue a compaction.
    const updates = edits(5);
    for (const planId of ['a', 'b']) {
      const conn = rooms.connect(fakeSocket(), { planId, readOnly: false });
      for (const u of updates) conn.receive(encodeUpdate(u));
      await eventually(async () => expect(await sqlite.logLength(planId)).toBe(5));
      conn.socketClosed(1000);
    }
    await eventually(() => expect(rooms.loadedPlans).toBe(0));
    // b is opened again while a's compaction is held; its load is held too.
    holdLoadOfB = true;
    const again = rooms.connect(fakeSocket(), { planId: 'b', readOnly: false });
    releaseA();
    await eventually(() => expect(compacted).toContain('a'));
    await eventually(() => expect(rooms.compacting).toBe(false));
    expect(await sqlite.logLength('b')).toBe(1);
    releaseLoad();
    again.socketClosed(1000);
  });
});
