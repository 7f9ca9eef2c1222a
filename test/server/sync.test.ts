import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import type { Relay } from '../../server/relay.ts';
import { eventually } from '../helpers/eventually.ts';
import {
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
});
