import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import {
  CLOSE_INVALID_PAYLOAD,
  CLOSE_MESSAGE_TOO_BIG,
  encodeAwareness,
  encodeSyncStep1,
  encodeUpdate,
} from '../../server/protocol.ts';
import { openStore } from '../../server/store.ts';
import { eventually } from '../helpers/eventually.ts';
import { seededRandom } from '../helpers/random.ts';
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

const MAX_MESSAGE_BYTES = 65_536;

let dir: string;
let relay: SpawnedRelay;
let good: TestClient | undefined;

beforeEach(async () => {
  dir = makeTempDir();
  relay = await spawnRelay(dir, ['--max-message-bytes', String(MAX_MESSAGE_BYTES)], {
    heapProbe: true,
  });
});

afterEach(async () => {
  good?.destroy();
  good = undefined;
  await relay.kill();
  removeDir(dir);
});

function hostileFrames(count: number, seed: number): Uint8Array[] {
  const rnd = seededRandom(seed);
  const int = (n: number): number => Math.floor(rnd() * n);
  const source = new Y.Doc();
  source.getMap('tasks').set('x', 'y'.repeat(50));
  source.getText('notes').insert(0, '加强理论武装');
  const valid = [
    encodeUpdate(Y.encodeStateAsUpdate(source)),
    encodeSyncStep1(source),
    encodeAwareness([{ clientId: 99, clock: 4, state: '{"user":{"name":"x"}}' }]),
  ];
  const frames: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const kind = i % 5;
    const base = valid[int(valid.length)]!;
    if (kind === 0) {
      frames.push(Uint8Array.from({ length: 1 + int(300) }, () => int(256)));
    } else if (kind === 1) {
      frames.push(base.slice(0, 1 + int(base.length - 1)));
    } else if (kind === 2) {
      const f = base.slice();
      for (let k = 0; k < 1 + int(4); k++) f[int(f.length)] = int(256);
      frames.push(f);
    } else if (kind === 3) {
      // A valid header announcing far more bytes than follow.
      frames.push(new Uint8Array([base[0]!, 2, 0xff, 0xff, 0xff, 0x7f, ...base.slice(2, 10)]));
    } else {
      frames.push(
        i % 25 === 4 ? new Uint8Array(MAX_MESSAGE_BYTES + 1 + int(1000)) : base.slice(0, int(3)),
      );
    }
  }
  return frames;
}

describe('hostile input', () => {
  test('1,000 random, truncated and oversized frames: the relay keeps serving, the plan stays intact, memory returns to baseline', async () => {
    good = connectClient(relay.wsUrl, 'target');
    await good.synced();
    let disconnects = 0;
    good.provider.on('status', ({ status }) => {
      if (status === 'disconnected') disconnects += 1;
    });
    const tasks = good.doc.getMap('tasks');
    let edits = 0;
    const edit = (): void => {
      tasks.set(`good-${edits}`, edits);
      edits += 1;
    };
    for (let i = 0; i < 20; i++) edit();
    await eventually(async () =>
      expect(await relay.metric('qingdan_updates_committed_total')).toBeGreaterThan(0),
    );
    const baseline = await relay.heapAfterGc();

    const frames = hostileFrames(1000, 20231126);
    const codes = new Map<number, number>();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < frames.length) {
        const frame = frames[next++]!;
        const ws = await openRawSocket(relay.wsUrl, '/target');
        const done = closed(ws);
        ws.send(frame);
        // A frame that happens to be valid leaves the socket open: a sync step 1 then gets
        // its answer (the relay's own step 1 is the first message), and we close ourselves.
        let messages = 0;
        ws.on('message', () => {
          messages += 1;
          if (messages === 2) ws.close();
        });
        ws.send(new Uint8Array([0, 0, 1, 0]));
        const { code } = await done;
        codes.set(code, (codes.get(code) ?? 0) + 1);
        edit();
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect(disconnects).toBe(0);
    expect(
      [...codes.keys()].every((code) =>
        [CLOSE_INVALID_PAYLOAD, CLOSE_MESSAGE_TOO_BIG, 1000, 1005].includes(code),
      ),
    ).toBe(true);
    expect(codes.get(CLOSE_INVALID_PAYLOAD)).toBeGreaterThan(500);
    expect(codes.get(CLOSE_MESSAGE_TOO_BIG)).toBeGreaterThanOrEqual(40);

    // The good client's edits all made it, and the stored plan is what the clients have.
    await eventually(async () => {
      const health = await relay.health();
      expect(health.connections).toBe(1);
      expect(await relay.metric('qingdan_updates_committed_total')).toBeGreaterThan(0);
    });
    const reader = connectClient(relay.wsUrl, 'target');
    try {
      await eventually(() => expect(reader.doc.getMap('tasks').toJSON()).toEqual(tasks.toJSON()));
    } finally {
      reader.destroy();
    }
    // A mutated frame may by chance be a valid update: that is an edit like any other. What
    // matters is that every good edit is there.
    expect([...tasks.keys()].filter((k) => k.startsWith('good-'))).toHaveLength(edits);
    const store = openStore(dir);
    try {
      const stored = new Y.Doc();
      Y.applyUpdate(stored, (await store.loadState('target'))!);
      expect(stored.getMap('tasks').toJSON()).toEqual(tasks.toJSON());
    } finally {
      await store.close();
    }
    // Memory: after a full GC, back to the baseline. The plan itself grew by ~1,000 small
    // edits (tens of KB); 1,000 connections' worth of leaked state would be megabytes.
    const after = await relay.heapAfterGc();
    expect(after - baseline).toBeLessThan(2 * 1024 * 1024);
  }, 60_000);
});
