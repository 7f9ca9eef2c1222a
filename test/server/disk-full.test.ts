import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { CLOSE_INTERNAL_ERROR } from '../../server/protocol.ts';
import type { Relay } from '../../server/relay.ts';
import { eventually } from '../helpers/eventually.ts';
import {
  connectClient,
  fetchHealth,
  makeTempDir,
  removeDir,
  startTestRelay,
  type TestClient,
} from '../helpers/relay.ts';

let dir: string;
let relay: Relay;
let clients: TestClient[] = [];

beforeEach(async () => {
  dir = makeTempDir();
  // A database capped at 512 KiB stands in for a full disk (SQLite max_page_count).
  relay = await startTestRelay({ dataDir: dir, maxDbBytes: 512 * 1024 });
});

afterEach(async () => {
  for (const c of clients) c.destroy();
  clients = [];
  await relay.close();
  removeDir(dir);
});

describe('a full disk', () => {
  test('refuses updates with a clear close, keeps serving reads, and loses nothing once space is back', async () => {
    const wsUrl = relay.url.replace('http', 'ws');
    const writer = connectClient(wsUrl, 'full', { maxBackoffTime: 50 });
    clients.push(writer);
    await writer.synced();
    const refusals: { code: number; reason: string }[] = [];
    writer.provider.on('connection-close', (event) => {
      if (event !== null) refusals.push({ code: event.code, reason: event.reason });
    });
    const tasks = writer.doc.getMap('tasks');
    // Each edit carries 16 KiB; 64 of them cannot fit in 512 KiB.
    for (let i = 0; i < 64; i++) tasks.set(`t${i}`, `${i}:${'x'.repeat(16 * 1024)}`);

    await eventually(() =>
      expect(refusals).toContainEqual({
        code: CLOSE_INTERNAL_ERROR,
        reason: 'storage full: edit not saved',
      }),
    );
    expect(relay.metrics.errors('store_write')).toBeGreaterThan(0);
    // Still up, still serving reads of what was stored.
    expect((await fetchHealth(relay.url)).ok).toBe(true);
    const reader = connectClient(wsUrl, 'full');
    clients.push(reader);
    await reader.synced();
    const storedBefore = reader.doc.getMap('tasks').size;
    expect(storedBefore).toBeLessThan(64);
    // Nothing unsaved was relayed: the reader has exactly what the store has.
    const stored = new Y.Doc();
    Y.applyUpdate(
      stored,
      (await relay.store.loadState('full')) ?? Y.encodeStateAsUpdate(new Y.Doc()),
    );
    expect(reader.doc.getMap('tasks').toJSON()).toEqual(stored.getMap('tasks').toJSON());

    // Space comes back: the writer's client, which kept its edits, gets them all stored.
    relay.store.setMaxBytes(64 * 1024 * 1024);
    await eventually(() => expect(reader.doc.getMap('tasks').size).toBe(64), 10_000);
    await eventually(async () => {
      const after = new Y.Doc();
      Y.applyUpdate(after, (await relay.store.loadState('full'))!);
      expect(after.getMap('tasks').toJSON()).toEqual(tasks.toJSON());
    });
  });
});
