import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { openStore } from '../../server/store.ts';
import { eventually } from '../helpers/eventually.ts';
import {
  connectClient,
  makeTempDir,
  removeDir,
  spawnRelay,
  type SpawnedRelay,
  type TestClient,
} from '../helpers/relay.ts';

let dir: string;
let relays: SpawnedRelay[] = [];
let clients: TestClient[] = [];

beforeEach(() => {
  dir = makeTempDir();
});

afterEach(async () => {
  for (const c of clients) c.destroy();
  clients = [];
  for (const r of relays) await r.kill();
  relays = [];
  removeDir(dir);
});

async function relayOn(args: readonly string[] = []): Promise<SpawnedRelay> {
  const relay = await spawnRelay(dir, args);
  relays.push(relay);
  return relay;
}

async function storedKeys(planId: string): Promise<Set<string>> {
  const store = openStore(dir);
  try {
    const doc = new Y.Doc();
    const state = await store.loadState(planId);
    if (state !== null) Y.applyUpdate(doc, state);
    const keys = new Set(doc.getMap('tasks').keys());
    doc.destroy();
    return keys;
  } finally {
    await store.close();
  }
}

describe('durability', () => {
  test('after kill -9 during a burst, every edit any client received is stored, and clients reconnect and converge', async () => {
    const first = await relayOn();
    const names = ['a', 'b', 'c', 'd'];
    clients = names.map(() => connectClient(first.wsUrl, 'burst', { maxBackoffTime: 100 }));
    await Promise.all(clients.map((c) => c.synced()));

    // Keys another client wrote can only have reached a client through the relay.
    const receivedFromRelay = (): Set<string> => {
      const keys = new Set<string>();
      clients.forEach((c, i) => {
        for (const key of c.doc.getMap('tasks').keys()) {
          if (!key.startsWith(`${names[i]}-`)) keys.add(key);
        }
      });
      return keys;
    };

    let n = 0;
    const timers = clients.map((c, i) =>
      setInterval(() => {
        for (let k = 0; k < 3 && n < 6000; k++) c.doc.getMap('tasks').set(`${names[i]}-${n++}`, n);
      }, 1),
    );
    try {
      await eventually(() => receivedFromRelay().size >= 300, 15_000);
      await first.kill();
      // Edits keep happening while the relay is down; they stay on the clients.
      await eventually(() => clients.every((c) => !c.provider.wsconnected), 5000);
    } finally {
      for (const t of timers) clearInterval(t);
    }
    const received = receivedFromRelay();
    const stored = await storedKeys('burst');
    const missing = [...received].filter((key) => !stored.has(key));
    expect(missing).toEqual([]);

    // Same port, same data dir: the stock providers reconnect by themselves.
    const second = await relayOn(['--port', String(first.port)]);
    expect(second.port).toBe(first.port);
    await eventually(() => {
      const reference = clients[0]!.doc.getMap('tasks').toJSON();
      expect(Object.keys(reference)).toHaveLength(n);
      for (const c of clients) expect(c.doc.getMap('tasks').toJSON()).toEqual(reference);
    }, 15_000);
    await eventually(async () => expect((await second.health()).connections).toBe(4));
    for (const c of clients) c.destroy();
    clients = [];
    expect(await second.stop()).toBe(0);
    expect((await storedKeys('burst')).size).toBe(n);
  }, 60_000);

  test('SIGTERM shuts down gracefully: exit 0, nothing lost, the data dir reopens', async () => {
    const relay = await relayOn(['--durability', 'full']);
    const a = connectClient(relay.wsUrl, 'graceful');
    clients.push(a);
    await a.synced();
    for (let i = 0; i < 50; i++) a.doc.getMap('tasks').set(`t${i}`, i);
    // The echo of the last edit means it was committed.
    await eventually(async () =>
      expect(await relay.metric('qingdan_updates_committed_total')).toBeGreaterThanOrEqual(1),
    );
    await eventually(() => a.doc.getMap('tasks').size === 50);
    expect(await relay.stop()).toBe(0);
    a.destroy();
    clients = [];
    await eventually(async () => expect((await storedKeys('graceful')).size).toBe(50));
    const again = await relayOn();
    const b = connectClient(again.wsUrl, 'graceful');
    clients.push(b);
    await b.synced();
    await eventually(() => expect(b.doc.getMap('tasks').size).toBe(50));
  }, 60_000);
});
