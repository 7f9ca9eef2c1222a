import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import {
  CLOSE_INVALID_PAYLOAD,
  CLOSE_MESSAGE_TOO_BIG,
  CLOSE_POLICY_VIOLATION,
  encodeAwareness,
} from '../../server/protocol.ts';
import { eventually } from '../helpers/eventually.ts';
import {
  closed,
  connectClient,
  makeTempDir,
  openRawSocket,
  removeDir,
  spawnRelay,
  type SpawnedRelay,
  type TestClient,
} from '../helpers/relay.ts';

let dir: string;
let relay: SpawnedRelay;
let clients: TestClient[] = [];

beforeEach(async () => {
  dir = makeTempDir();
  relay = await spawnRelay(dir, [
    '--unload-grace-ms',
    '0',
    '--max-message-bytes',
    '65536',
    '--max-messages-per-second',
    '200',
  ]);
});

afterEach(async () => {
  for (const c of clients) c.destroy();
  clients = [];
  await relay.kill();
  removeDir(dir);
});

/** Sends a raw WebSocket upgrade request for `path` (not normalised by any client) and returns the status code. */
function upgradeStatus(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(relay.port, '127.0.0.1');
    let data = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer for ${path}`));
    }, 5000);
    socket.on('connect', () => {
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${relay.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    socket.setEncoding('utf8').on('data', (chunk: string) => {
      data += chunk;
      const match = /^HTTP\/1\.1 (\d{3})/.exec(data);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        socket.destroy();
        resolve(Number(match[1]));
      }
    });
    socket.on('error', reject);
  });
}

function syncStep1(): Uint8Array {
  return new Uint8Array([0, 0, 1, 0]);
}

describe('limits and bad input', () => {
  test('plan ids are checked on the raw path at the upgrade, before any WebSocket exists', async () => {
    for (const path of [
      '/../x',
      '/%2e%2e%2fx',
      '/%2E%2E/x',
      '/',
      '/a/b',
      `/${'a'.repeat(65)}`,
      '/plan%20one',
      '/%41',
      '/plan.one',
      '//x',
      'x',
    ]) {
      expect({ path, status: await upgradeStatus(path) }).toEqual({ path, status: 400 });
    }
    for (const path of ['/x', `/${'a'.repeat(64)}`, '/Plan_2023-v1', '/x?token=secret']) {
      expect({ path, status: await upgradeStatus(path) }).toEqual({ path, status: 101 });
    }
    expect(relay.stderr()).not.toContain('secret');
  });

  test('a frame over --max-message-bytes closes that connection with 1009', async () => {
    const good = connectClient(relay.wsUrl, 'big');
    clients.push(good);
    await good.synced();
    const ws = await openRawSocket(relay.wsUrl, '/big');
    ws.send(new Uint8Array(65537));
    expect((await closed(ws)).code).toBe(CLOSE_MESSAGE_TOO_BIG);
    good.doc.getMap('tasks').set('still', 'working');
    const other = connectClient(relay.wsUrl, 'big');
    clients.push(other);
    await eventually(() => expect(other.doc.getMap('tasks').get('still')).toBe('working'));
  });

  test('a malformed frame closes that connection with 1007 and nothing else', async () => {
    const good = connectClient(relay.wsUrl, 'bad');
    clients.push(good);
    await good.synced();
    const ws = await openRawSocket(relay.wsUrl, '/bad');
    // A sync update announcing 100 bytes and carrying 3.
    ws.send(new Uint8Array([0, 2, 100, 1, 2, 3]));
    const close = await closed(ws);
    expect(close).toEqual({ code: CLOSE_INVALID_PAYLOAD, reason: 'malformed message' });
    expect(good.provider.wsconnected).toBe(true);
    expect(await relay.metric('qingdan_errors_total{kind="bad_frame"}')).toBe(1);
  });

  test('a connection over the message rate limit is closed with 1008', async () => {
    const ws = await openRawSocket(relay.wsUrl, '/rate');
    const done = closed(ws, 10_000);
    for (let i = 0; i < 2000 && ws.readyState === ws.OPEN; i++) ws.send(new Uint8Array([3]));
    expect(await done).toEqual({
      code: CLOSE_POLICY_VIOLATION,
      reason: 'message rate limit exceeded',
    });
  });

  test('an oversized awareness state is refused', async () => {
    const ws = await openRawSocket(relay.wsUrl, '/aw-big');
    ws.send(
      encodeAwareness([
        { clientId: 1, clock: 1, state: JSON.stringify({ x: 'y'.repeat(20_000) }) },
      ]),
    );
    expect((await closed(ws)).code).toBe(CLOSE_INVALID_PAYLOAD);
  });

  test('500 connect/disconnect cycles leave no file descriptors, plans or awareness entries', async () => {
    // Warm up so that lazily opened descriptors (the database, its WAL) are counted in the baseline.
    const warm = connectClient(relay.wsUrl, 'warm');
    warm.doc.getMap('tasks').set('x', 1);
    await warm.synced();
    await eventually(async () =>
      expect(await relay.metric('qingdan_updates_committed_total')).toBe(1),
    );
    warm.destroy();
    await eventually(async () => expect((await relay.health()).plans).toBe(0));
    const baseline = relay.openFds();

    let cycle = 0;
    const worker = async (): Promise<void> => {
      while (cycle < 500) {
        const i = cycle++;
        const ws = await openRawSocket(relay.wsUrl, `/cycle-${i % 7}`);
        const replied = new Promise<void>((resolve) => ws.once('message', () => resolve()));
        ws.send(syncStep1());
        ws.send(
          encodeAwareness([{ clientId: 1000 + i, clock: 1, state: JSON.stringify({ user: i }) }]),
        );
        if (i % 50 === 0) {
          const doc = new Y.Doc();
          doc.getMap('tasks').set(`k${i}`, i);
          const update = Y.encodeStateAsUpdate(doc);
          ws.send(new Uint8Array([0, 2, ...encodeLength(update.length), ...update]));
        }
        await replied;
        const done = closed(ws);
        if (i % 3 === 0) ws.terminate();
        else ws.close();
        await done;
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    // Real providers too, with awareness set.
    for (let i = 0; i < 10; i++) {
      const c = connectClient(relay.wsUrl, 'cycle-real');
      c.provider.awareness.setLocalStateField('user', { name: `u${i}` });
      await c.synced();
      c.destroy();
    }
    await eventually(async () => {
      const health = await relay.health();
      expect({
        plans: health.plans,
        connections: health.connections,
        awareness: health.awareness,
      }).toEqual({
        plans: 0,
        connections: 0,
        awareness: 0,
      });
      expect(relay.openFds()).toBeLessThanOrEqual(baseline);
    }, 10_000);
  }, 60_000);
});

function encodeLength(n: number): number[] {
  const bytes: number[] = [];
  while (n > 0x7f) {
    bytes.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  bytes.push(n);
  return bytes;
}
