import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import {
  CLOSE_INVALID_PAYLOAD,
  ProtocolError,
  decodeClientMessage,
} from '../../server/protocol.ts';
import type { Relay } from '../../server/relay.ts';
import { addsNothing } from '../../server/update-check.ts';
import { eventually } from '../helpers/eventually.ts';
import { docWith, updateOfFrame } from '../helpers/yjs-content.ts';
import {
  REPO_ROOT,
  closed,
  connectClient,
  makeTempDir,
  openRawSocket,
  removeDir,
  startTestRelay,
  type TestClient,
} from '../helpers/relay.ts';

const FIXTURES = `${REPO_ROOT}test/fixtures/relay/`;
const frames = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.frame'))
  .sort();
const baseState = new Uint8Array(readFileSync(`${FIXTURES}base-state.update`));
const planState = new Uint8Array(readFileSync(`${FIXTURES}plan-state.update`));

/** The state a frame was found on: named in the frame's file name (see the README there). */
function seedOf(name: string): Uint8Array | null {
  if (name.includes('empty-doc')) return null;
  return name.includes('on-plan-state') ? planState : baseState;
}

let dir: string;
let relay: Relay;
let clients: TestClient[] = [];

beforeEach(async () => {
  dir = makeTempDir();
  relay = await startTestRelay({ dataDir: dir });
});

afterEach(async () => {
  for (const c of clients) c.destroy();
  clients = [];
  await relay.close();
  removeDir(dir);
});

describe('inputs that once crashed something', () => {
  test('there are fixtures to replay', () => {
    expect(frames.length).toBeGreaterThanOrEqual(11);
  });

  test('the decoder only ever throws ProtocolError on them', () => {
    const limits = { maxAwarenessStateLength: 1000, maxAwarenessEntriesPerMessage: 10 };
    for (const name of frames) {
      const frame = new Uint8Array(readFileSync(`${FIXTURES}${name}`));
      try {
        decodeClientMessage(frame, limits);
      } catch (error) {
        expect(error, name).toBeInstanceOf(ProtocolError);
      }
    }
  });

  test.each(frames)(
    '%s closes only its own connection, or is dropped as nothing new, and the stored plan stays intact',
    async (name) => {
      const frame = new Uint8Array(readFileSync(`${FIXTURES}${name}`));
      const planId = 'fixture';
      const seed = seedOf(name);
      if (seed !== null) expect((await relay.store.createPlan(planId, seed)).ok).toBe(true);
      const good = connectClient(relay.url.replace('http', 'ws'), planId);
      clients.push(good);
      await good.synced();
      good.doc.getMap('good').set('before', 1);

      const limits = { maxAwarenessStateLength: 1000, maxAwarenessEntriesPerMessage: 10 };
      const decodes = (() => {
        try {
          decodeClientMessage(frame, limits);
          return true;
        } catch {
          return false;
        }
      })();
      // Some are the seed's own items, mangled: nothing the plan lacks by their ids.
      const known =
        decodes &&
        addsNothing(
          docWith(...(seed === null ? [] : [seed])),
          Y.decodeUpdate(updateOfFrame(frame)),
        );
      const ws = await openRawSocket(relay.url.replace('http', 'ws'), `/${planId}`);
      if (known) {
        // Dropped unapplied, as Yjs itself skips items it has (so it never throws on them):
        // the sender stays, and its next message, a sync step 1, is answered.
        let answers = 0;
        ws.on('message', (data: Buffer) => {
          if (data[0] === 0 && data[1] === 1) answers += 1;
        });
        ws.send(frame);
        ws.send(new Uint8Array([0, 0, 1, 0]));
        await eventually(() => expect(answers).toBe(1));
        ws.close();
      } else {
        ws.send(frame);
        expect((await closed(ws)).code).toBe(CLOSE_INVALID_PAYLOAD);
      }
      // Refused where it was caught: by the decoder, or (update-* frames that pass
      // Y.decodeUpdate and hold something new) when applied.
      expect(relay.metrics.errors('bad_frame')).toBe(decodes ? 0 : 1);
      expect(relay.metrics.errors('apply_update')).toBe(decodes && !known ? 1 : 0);

      good.doc.getMap('good').set('after', 2);
      const late = connectClient(relay.url.replace('http', 'ws'), planId);
      clients.push(late);
      await eventually(() =>
        expect(late.doc.getMap('good').toJSON()).toEqual({ before: 1, after: 2 }),
      );
      expect(good.provider.wsconnected).toBe(true);
      // What is stored loads, and equals what the good client has.
      await eventually(async () => {
        const stored = new Y.Doc();
        Y.applyUpdate(stored, (await relay.store.loadState(planId))!);
        expect(stored.getMap('good').toJSON()).toEqual({ before: 1, after: 2 });
        expect(Y.encodeStateVector(stored)).toEqual(Y.encodeStateVector(good.doc));
      });
    },
  );
});
