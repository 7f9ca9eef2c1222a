// What a connection's sync requests may cost the relay (RoomLimits.syncMsPerSecond), and the
// whole-state answer for a state vector that claims nothing the plan holds.
import { afterEach, expect, test } from 'vitest';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import type { WebSocket } from 'ws';
import { CLOSE_POLICY_VIOLATION, MESSAGE_SYNC } from '../../server/protocol.ts';
import { eventually } from '../helpers/eventually.ts';
import { closed, connectClient, openRawSocket, type TestClient } from '../helpers/relay.ts';
import { relayForThisTest } from '../helpers/relay-per-test.ts';

type TestRelay = Awaited<ReturnType<typeof relayForThisTest>>;

const clients: TestClient[] = [];

afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
});

/** A plan of `tasks` tasks, built by one client; returns that client's id. */
async function buildPlan(relay: TestRelay, planId: string, tasks: number): Promise<number> {
  const builder = connectClient(relay.wsUrl, planId, { awareness: false });
  clients.push(builder);
  await builder.synced();
  const map = builder.doc.getMap<Y.Map<unknown>>('tasks');
  builder.doc.transact(() => {
    for (let i = 0; i < tasks; i++) {
      const task = new Y.Map<unknown>();
      task.set('title', `第${i}项任务：加强理论武装，严格落实“一岗双责”`);
      task.set('owner', '第一党支部');
      map.set(`task-${i}`, task);
    }
  });
  await eventually(async () => expect(await relay.store.logLength(planId)).toBeGreaterThan(0));
  return builder.doc.clientID;
}

/** A sync step 1 frame claiming exactly `claims` (client id → clock). */
function step1(claims: ReadonlyMap<number, number>): Uint8Array {
  const sv = encoding.createEncoder();
  encoding.writeVarUint(sv, claims.size);
  for (const [client, clock] of claims) {
    encoding.writeVarUint(sv, client);
    encoding.writeVarUint(sv, clock);
  }
  const frame = encoding.createEncoder();
  encoding.writeVarUint(frame, MESSAGE_SYNC);
  encoding.writeVarUint(frame, 0);
  encoding.writeVarUint8Array(frame, encoding.toUint8Array(sv));
  return encoding.toUint8Array(frame);
}

/** The updates of the sync step 2 answers a raw socket receives. */
function collectAnswers(ws: WebSocket): Uint8Array[] {
  const answers: Uint8Array[] = [];
  ws.on('message', (data: Buffer) => {
    const decoder = decoding.createDecoder(new Uint8Array(data));
    if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return;
    if (decoding.readVarUint(decoder) !== 1) return;
    answers.push(decoding.readVarUint8Array(decoder));
  });
  return answers;
}

test('one connection asking for a large plan again and again is closed; others are served', async () => {
  // A budget far below what one answer for 2,000 tasks costs: the first answer goes out (a
  // joiner always gets one), the next request finds the budget spent.
  const relay = await relayForThisTest({ limits: { syncMsPerSecond: 0.01 } });
  const { wsUrl } = relay;
  const builder = await buildPlan(relay, 'big', 2000);

  const ws = await openRawSocket(wsUrl, '/big');
  const answers = collectAnswers(ws);
  const done = closed(ws);
  // Each claims one item of the builder's, so no answer is the cached whole state.
  for (let i = 0; i < 20; i++) ws.send(step1(new Map([[builder, 1]])));
  expect((await done).code).toBe(CLOSE_POLICY_VIOLATION);
  expect(answers.length).toBeGreaterThanOrEqual(1);
  expect(answers.length).toBeLessThan(20);
  expect(relay.metrics.errors('rate_limited')).toBe(1);

  // Another client joins the same plan and gets all of it.
  const joiner = connectClient(wsUrl, 'big', { awareness: false });
  clients.push(joiner);
  await eventually(() => expect(joiner.doc.getMap('tasks').size).toBe(2000));
  expect(joiner.provider.wsconnected).toBe(true);
});

test('a state vector that claims nothing the plan holds gets the whole plan', async () => {
  const relay = await relayForThisTest();
  const { wsUrl } = relay;
  const builder = await buildPlan(relay, 'p', 50);

  const ws = await openRawSocket(wsUrl, '/p');
  const answers = collectAnswers(ws);
  // A fresh device with offline edits of its own (a client the relay has never seen), one
  // that claims clock 0 of the builder, and one that claims part of the builder's items.
  ws.send(step1(new Map([[4242, 7]])));
  ws.send(step1(new Map([[builder, 0]])));
  ws.send(step1(new Map([[builder, 3]])));
  await eventually(() => expect(answers).toHaveLength(3));
  ws.close();
  const [unknown, zero, partial] = answers.map((update) => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, update);
    return doc;
  });
  expect(unknown!.getMap('tasks').size).toBe(50);
  expect(Y.encodeStateVector(unknown!)).toEqual(Y.encodeStateVector(zero!));
  expect(zero!.getMap('tasks').toJSON()).toEqual(unknown!.getMap('tasks').toJSON());
  // The partial answer lacks what it claimed: on its own it holds none of the plan's tasks'
  // first items, so Yjs keeps it pending.
  expect(partial!.getMap('tasks').size).toBeLessThan(50);
});
