import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import type { Relay } from '../../server/relay.ts';
import type { RoomLimits } from '../../server/rooms.ts';
import { eventually } from '../helpers/eventually.ts';
import {
  decodeClientMessage,
  encodeAwareness,
  type AwarenessEntry,
} from '../../server/protocol.ts';
import {
  adminTokenFor,
  closed,
  openRawSocket,
  connectClient,
  makeTempDir,
  removeDir,
  startTestRelay,
  type TestClient,
} from '../helpers/relay.ts';

let dir: string;
let relay: Relay;
let clients: TestClient[] = [];
let wsUrl: string;

function client(planId: string, doc?: Y.Doc): TestClient {
  const c = connectClient(wsUrl, planId, doc === undefined ? {} : { doc });
  clients.push(c);
  return c;
}

/** Replaces the relay of `beforeEach` by one on the same data dir with these limits. */
async function restartWith(limits: Partial<RoomLimits>): Promise<void> {
  await relay.close();
  relay = await startTestRelay({ dataDir: dir, limits });
  wsUrl = relay.url.replace('http', 'ws');
}

/** A client that makes `count` edits, one update message each, and waits until all are committed. */
async function commitEdits(planId: string, count: number): Promise<TestClient> {
  const c = client(planId);
  await c.synced();
  const edits = c.doc.getMap<number>('edits');
  for (let i = 0; i < count; i++) edits.set(`e${i}`, i);
  await eventually(() => expect(relay.metrics.updatesCommitted).toBe(count), 20_000);
  return c;
}

function snapshot(doc: Y.Doc): unknown {
  return doc.getMap('tasks').toJSON();
}

beforeEach(async () => {
  dir = makeTempDir();
  relay = await startTestRelay({ dataDir: dir, limits: { unloadGraceMs: 50 } });
  wsUrl = relay.url.replace('http', 'ws');
});

afterEach(async () => {
  for (const c of clients) c.destroy();
  clients = [];
  await relay.close();
  removeDir(dir);
});

describe('sync between stock y-websocket clients', () => {
  test('two clients converge on concurrent edits', async () => {
    const a = client('plan-a');
    const b = client('plan-a');
    await Promise.all([a.synced(), b.synced()]);
    a.doc.getMap('tasks').set('t1', 'write the plan');
    b.doc.getMap('tasks').set('t2', 'print the plan');
    a.doc.getMap('tasks').set('shared', 'from a');
    b.doc.getMap('tasks').set('shared', 'from b');
    await eventually(() => {
      expect(Object.keys(snapshot(a.doc) as object)).toHaveLength(3);
      expect(snapshot(a.doc)).toEqual(snapshot(b.doc));
    });
  });

  test('ten clients converge when every one of them edits', async () => {
    const ten = Array.from({ length: 10 }, () => client('plan-ten'));
    await Promise.all(ten.map((c) => c.synced()));
    ten.forEach((c, i) => {
      for (let j = 0; j < 5; j++) c.doc.getMap('tasks').set(`c${i}-${j}`, j);
    });
    await eventually(() => {
      for (const c of ten) {
        expect(Object.keys(snapshot(c.doc) as object)).toHaveLength(50);
        expect(snapshot(c.doc)).toEqual(snapshot(ten[0]!.doc));
      }
    }, 10_000);
  });

  test('a late joiner gets the full state, also after the plan was unloaded', async () => {
    const a = client('plan-late');
    await a.synced();
    const text = a.doc.getText('notes');
    for (let i = 0; i < 100; i++) text.insert(text.length, `line ${i}\n`);
    a.doc.getMap('tasks').set('t1', 'done');
    await eventually(async () =>
      expect(await relay.store.logLength('plan-late')).toBeGreaterThan(0),
    );
    const late = client('plan-late');
    await late.synced();
    await eventually(() => expect(late.doc.getText('notes').toString()).toBe(text.toString()));

    a.destroy();
    late.destroy();
    clients = [];
    await eventually(() => expect(relay.rooms.loadedPlans).toBe(0));
    const later = client('plan-late');
    await later.synced();
    await eventually(() => {
      expect(later.doc.getText('notes').toString()).toBe(text.toString());
      expect(snapshot(later.doc)).toEqual({ t1: 'done' });
    });
  });

  test('plans are isolated from each other', async () => {
    const a = client('plan-one');
    const b = client('plan-two');
    await Promise.all([a.synced(), b.synced()]);
    a.doc.getMap('tasks').set('only-in-one', true);
    const c = client('plan-one');
    await eventually(() => expect(snapshot(c.doc)).toEqual({ 'only-in-one': true }));
    expect(snapshot(b.doc)).toEqual({});
    expect(await relay.store.hasPlan('plan-two')).toBe(false);
  });

  test('a client whose copy holds items it cannot place still syncs; those items stay with it', async () => {
    // A damaged local store: an insert whose predecessor is lost. Yjs keeps it pending and
    // sends it in every sync reply.
    const author = new Y.Doc();
    const inserts: Uint8Array[] = [];
    author.on('update', (u: Uint8Array) => inserts.push(u));
    author.getText('t').insert(0, '党建');
    author.getText('t').insert(2, '工作');
    const damaged = new Y.Doc();
    Y.applyUpdate(damaged, inserts[1]!);
    damaged.getMap('tasks').set('offline', 'edit');
    expect(damaged.store.pendingStructs).not.toBeNull();

    const a = client('plan-pending', damaged);
    await a.synced();
    a.doc.getMap('tasks').set('online', 'edit');
    const b = client('plan-pending');
    await eventually(() => expect(snapshot(b.doc)).toEqual({ offline: 'edit', online: 'edit' }));
    expect(b.doc.store.pendingStructs).toBeNull();
    expect(a.provider.wsconnected).toBe(true);
    const stored = new Y.Doc();
    Y.applyUpdate(stored, (await relay.store.loadState('plan-pending'))!);
    expect(stored.getMap('tasks').toJSON()).toEqual({ offline: 'edit', online: 'edit' });
    expect(stored.store.pendingStructs).toBeNull();
  });

  test('awareness appears for others and disappears when its client leaves', async () => {
    const a = client('plan-aw');
    const b = client('plan-aw');
    await Promise.all([a.synced(), b.synced()]);
    a.provider.awareness.setLocalStateField('user', { name: '王书记', branch: '第一支部' });
    await eventually(() =>
      expect(b.provider.awareness.getStates().get(a.doc.clientID)).toEqual({
        user: { name: '王书记', branch: '第一支部' },
      }),
    );
    // A client that joins later is told who is there.
    const c = client('plan-aw');
    await eventually(() =>
      expect(c.provider.awareness.getStates().get(a.doc.clientID)).toBeDefined(),
    );
    // Leave without saying goodbye: the relay removes the state for everyone.
    (a.provider.ws as unknown as import('ws').WebSocket | null)?.terminate();
    a.provider.shouldConnect = false;
    await eventually(() => {
      expect(b.provider.awareness.getStates().has(a.doc.clientID)).toBe(false);
      expect(c.provider.awareness.getStates().has(a.doc.clientID)).toBe(false);
    });
  });

  test("an echo of a departed client's awareness does not bring it back", async () => {
    const owner = await openRawSocket(wsUrl, '/plan-echo');
    const echoer = await openRawSocket(wsUrl, '/plan-echo');
    const state = JSON.stringify({ user: { name: '李' } });
    owner.send(encodeAwareness([{ clientId: 42, clock: 3, state }]));
    await eventually(() => expect(relay.rooms.awarenessEntries).toBe(1));
    // Another peer may not rewrite it while its owner is connected.
    echoer.send(encodeAwareness([{ clientId: 42, clock: 9, state: '{"x":1}' }]));
    const ownerGone = closed(owner);
    owner.close();
    await ownerGone;
    await eventually(() => expect(relay.rooms.awarenessEntries).toBe(0));
    // The echo of the last state its owner sent arrives after it left: ignored.
    echoer.send(encodeAwareness([{ clientId: 42, clock: 3, state }]));
    // A query-awareness after it: its answer (an awareness message) shows what the relay holds.
    const answers: number[][] = [];
    echoer.on('message', (data: Buffer) => answers.push([...data]));
    const before = answers.length;
    echoer.send(new Uint8Array([3]));
    await eventually(() => expect(answers.length).toBeGreaterThan(before));
    await eventually(() => expect(answers.at(-1)).toEqual([1, 1, 0]));
    expect(relay.rooms.awarenessEntries).toBe(0);
    const late = client('plan-echo');
    await late.synced();
    expect(late.provider.awareness.getStates().has(42)).toBe(false);
    echoer.close();
  });

  test('awareness renewals reach everyone, gathered into one message; changes are not held back', async () => {
    await restartWith({ awarenessRenewalMs: 1500 });
    const first = await openRawSocket(wsUrl, '/plan-renew');
    const second = await openRawSocket(wsUrl, '/plan-renew');
    const watcher = await openRawSocket(wsUrl, '/plan-renew');
    const seen: AwarenessEntry[][] = [];
    watcher.on('message', (data: Buffer) => {
      const message = decodeClientMessage(new Uint8Array(data), {
        maxAwarenessStateLength: 1 << 20,
        maxAwarenessEntriesPerMessage: 1000,
      });
      if (message.type === 'awareness') seen.push([...message.entries]);
    });
    const stock = client('plan-renew');
    await stock.synced();
    const one = JSON.stringify({ user: { name: '王书记', branch: '第一支部' } });
    const two = JSON.stringify({ user: { name: '李书记', branch: '第二支部' } });
    first.send(encodeAwareness([{ clientId: 101, clock: 1, state: one }]));
    second.send(encodeAwareness([{ clientId: 102, clock: 1, state: two }]));
    await eventually(() =>
      expect(stock.provider.awareness.getStates().get(102)).toEqual(JSON.parse(two)),
    );
    const has = (entries: AwarenessEntry[], clientId: number, clock: number): boolean =>
      entries.some((e) => e.clientId === clientId && e.clock === clock);
    // Both renew (same state, next clock), then the first one changes its state.
    first.send(encodeAwareness([{ clientId: 101, clock: 2, state: one }]));
    second.send(encodeAwareness([{ clientId: 102, clock: 2, state: two }]));
    const moved = JSON.stringify({ user: { name: '王书记', branch: '第一支部' }, editing: 't1' });
    first.send(encodeAwareness([{ clientId: 101, clock: 3, state: moved }]));
    await eventually(() => {
      expect(stock.provider.awareness.meta.get(102)?.clock).toBe(2);
      expect(stock.provider.awareness.getStates().get(101)).toEqual(JSON.parse(moved));
    });
    await eventually(() => expect(seen.some((m) => has(m, 102, 2))).toBe(true));
    // The change went out at once, ahead of the gathered renewal, which came in one message
    // (the renewal of 101 was overtaken by its change and is not sent again).
    const changeAt = seen.findIndex((m) => has(m, 101, 3));
    const renewalAt = seen.findIndex((m) => has(m, 102, 2));
    expect(changeAt).toBeGreaterThanOrEqual(0);
    expect(changeAt).toBeLessThan(renewalAt);
    expect(seen.filter((m) => has(m, 102, 2))).toHaveLength(1);
    expect(seen.some((m) => has(m, 101, 2))).toBe(false);
    // Ten renewals from the two peers reach the watcher gathered: the relay sends each
    // connection what it has not seen at most once per period, so they cannot take more than
    // two messages even when a period ends while they arrive.
    const before = seen.length;
    for (let i = 0; i < 5; i++) {
      first.send(encodeAwareness([{ clientId: 101, clock: 4 + i, state: moved }]));
      second.send(encodeAwareness([{ clientId: 102, clock: 3 + i, state: two }]));
    }
    await eventually(() => expect(seen.some((m) => has(m, 101, 8))).toBe(true));
    await eventually(() => expect(seen.some((m) => has(m, 102, 7))).toBe(true));
    expect(seen.length - before).toBeLessThanOrEqual(2);
    await eventually(() => expect(stock.provider.awareness.meta.get(101)?.clock).toBe(8));
    for (const ws of [first, second, watcher]) ws.close();
  });

  test('a long update log is compacted in the background once the plan is quiet', async () => {
    await restartWith({ unloadGraceMs: 50, compactEvery: 20, compactQuietMs: 50 });
    const a = client('plan-compact');
    await a.synced();
    const text = a.doc.getText('notes');
    for (let i = 0; i < 100; i++) {
      text.insert(text.length, `${i},`);
      // One update per turn, so each is its own row.
      await eventually(
        async () => (await relay.store.logLength('plan-compact')) > 0 && a.provider.synced,
      );
      await new Promise((resolve) => setImmediate(resolve));
    }
    await eventually(() => expect(relay.metrics.compactions).toBeGreaterThan(0));
    await eventually(async () =>
      expect(await relay.store.logLength('plan-compact')).toBeLessThan(40),
    );
    const late = client('plan-compact');
    await eventually(() => expect(late.doc.getText('notes').toString()).toBe(text.toString()));
  });

  test('a log far past compactEvery is compacted whole while the edits go on, not a slice at a time', async () => {
    // Never quiet within the test: only the "far too long" rule (10 × compactEvery) compacts.
    await restartWith({
      compactEvery: 300,
      compactQuietMs: 600_000,
      messagesPerSecond: 100_000,
      messageBurst: 100_000,
    });
    // More rows than the store merges by default (2,000).
    await commitEdits('plan-long', 3000);
    await eventually(() => expect(relay.metrics.compactions).toBeGreaterThan(0), 20_000);
    await eventually(async () => expect(await relay.store.logLength('plan-long')).toBe(1));
    const late = client('plan-long');
    await eventually(() => expect(late.doc.getMap('edits').size).toBe(3000));
  });

  test('a plan that unloads with a long log is compacted whole', async () => {
    // No compaction while the plan is open: only the one at unload.
    await restartWith({
      unloadGraceMs: 50,
      compactEvery: 100_000,
      messagesPerSecond: 100_000,
      messageBurst: 100_000,
    });
    // More rows than the store merges by default (2,000).
    const a = await commitEdits('plan-unload', 2500);
    expect(relay.metrics.compactions).toBe(0);
    a.destroy();
    await eventually(() => expect(relay.metrics.compactions).toBe(1), 20_000);
    expect(await relay.store.logLength('plan-unload')).toBe(1);
    const late = client('plan-unload');
    await eventually(() => expect(late.doc.getMap('edits').size).toBe(2500));
  });

  test('ping/pong drops a peer that stopped answering, and keeps one that answers', async () => {
    await restartWith({ unloadGraceMs: 50, pingIntervalMs: 50 });
    const alive = client('plan-ping');
    await alive.synced();
    // A peer that completed the handshake and then went silent (a laptop lid closed).
    const dead = connect(relay.port, '127.0.0.1');
    dead.on('error', () => undefined);
    dead.write(
      `GET /plan-ping?token=${adminTokenFor(wsUrl)} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    await eventually(() => expect(relay.rooms.connectionCount).toBe(2));
    await eventually(() => expect(relay.rooms.connectionCount).toBe(1), 5000);
    expect(alive.provider.wsconnected).toBe(true);
    dead.destroy();
  });
});
