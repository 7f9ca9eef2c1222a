import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { CLOSE_FORBIDDEN, CLOSE_INVALID_PAYLOAD } from '../../server/protocol.ts';
import {
  MAX_SENDERS,
  REFUSALS_BEFORE_BLOCK,
  RefusalBackoff,
  senderKey,
} from '../../server/refusals.ts';
import { eventually } from '../helpers/eventually.ts';
import { updateFrame } from '../helpers/yjs-content.ts';
import {
  REPO_ROOT,
  closed,
  connectClient,
  openRawSocket,
  type TestClient,
} from '../helpers/relay.ts';
import { relayForThisTest } from '../helpers/relay-per-test.ts';

const FIXTURES = `${REPO_ROOT}test/fixtures/relay/`;

describe('the refusal back-off', () => {
  const MINUTE = 60_000;
  function backoff(): { b: RefusalBackoff; advance: (ms: number) => void } {
    let now = 1_000_000;
    const b = new RefusalBackoff({
      windowMs: MINUTE,
      blockMs: MINUTE,
      maxBlockMs: 15 * MINUTE,
      now: () => now,
    });
    return { b, advance: (ms) => (now += ms) };
  }
  const refuse = (b: RefusalBackoff, key: string, times: number): boolean[] =>
    Array.from({ length: times }, () => b.refused(key));

  test('holds a sender back after three refusals within a minute, for a minute', () => {
    const { b, advance } = backoff();
    expect(refuse(b, 'a', REFUSALS_BEFORE_BLOCK)).toEqual([false, false, true]);
    expect(b.blockedFor('a')).toBe(MINUTE);
    expect(b.blockedFor('b')).toBe(0);
    advance(MINUTE - 1);
    expect(b.blockedFor('a')).toBe(1);
    advance(1);
    expect(b.blockedFor('a')).toBe(0);
  });

  test('refusals further apart than the window do not add up', () => {
    const { b, advance } = backoff();
    for (let i = 0; i < 10; i++) {
      expect(b.refused('a')).toBe(false);
      advance(MINUTE / 2 + 1);
    }
    expect(b.blockedFor('a')).toBe(0);
  });

  test('each further block doubles, up to fifteen minutes; a long quiet starts over', () => {
    const { b, advance } = backoff();
    const blocks: number[] = [];
    for (let i = 0; i < 7; i++) {
      refuse(b, 'a', REFUSALS_BEFORE_BLOCK);
      blocks.push(b.blockedFor('a'));
      advance(b.blockedFor('a'));
    }
    expect(blocks.map((ms) => ms / MINUTE)).toEqual([1, 2, 4, 8, 15, 15, 15]);
    advance(30 * MINUTE + 1);
    refuse(b, 'a', REFUSALS_BEFORE_BLOCK);
    expect(b.blockedFor('a')).toBe(MINUTE);
  });

  test('remembers a bounded number of senders, forgetting the quiet ones', () => {
    const { b, advance } = backoff();
    for (let i = 0; i < MAX_SENDERS + 500; i++) b.refused(`s${i}`);
    expect(b.size).toBe(MAX_SENDERS);
    advance(31 * MINUTE);
    b.refused('late');
    expect(b.size).toBe(1);
  });

  test('off when the block is 0', () => {
    const b = new RefusalBackoff({ windowMs: MINUTE, blockMs: 0, maxBlockMs: 0 });
    expect(refuse(b, 'a', 10)).not.toContain(true);
    expect(b.blockedFor('a')).toBe(0);
  });

  test('a sender is a plan, a token and an address together', () => {
    const keys = new Set([
      senderKey('p', 't1', '127.0.0.1'),
      senderKey('q', 't1', '127.0.0.1'),
      senderKey('p', 't2', '127.0.0.1'),
      senderKey('p', 't1', '127.0.0.2'),
      senderKey('p', undefined, '127.0.0.1'),
    ]);
    expect(keys.size).toBe(5);
  });

  test('an IPv6 sender counts by its /64; an IPv4 one written as IPv6 as itself', () => {
    const key = (address: string): string => senderKey('p', 't', address);
    expect(key('2001:db8:0:1::5')).toBe(key('2001:0db8:0000:0001:ffff:1:2:3'));
    expect(key('2001:db8:0:1::5')).not.toBe(key('2001:db8:0:2::5'));
    expect(key('::1')).toBe(key('0:0:0:0:0:0:0:1'));
    expect(key('::ffff:10.0.0.7')).toBe(key('10.0.0.7'));
    expect(key('10.0.0.7')).not.toBe(key('10.0.0.8'));
  });
});

describe('a sender whose updates the relay refuses again and again', () => {
  const clients: TestClient[] = [];
  afterEach(() => {
    for (const c of clients.splice(0)) c.destroy();
  });

  /** Resolves to the HTTP status of a refused upgrade, or 101 once the socket opens. */
  function upgradeStatus(url: string): Promise<{ status: number; retryAfter?: string }> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.once('unexpected-response', (_req, res) => {
        const retryAfter = res.headers['retry-after'];
        resolve(
          retryAfter === undefined
            ? { status: res.statusCode ?? 0 }
            : { status: res.statusCode ?? 0, retryAfter },
        );
        ws.terminate();
      });
      ws.once('open', () => {
        resolve({ status: 101 });
        ws.close();
      });
      ws.once('error', (error) => {
        if (ws.readyState !== WebSocket.CLOSED) reject(error);
      });
    });
  }

  test('is held back at the upgrade (429), alone, and the plan is rebuilt only three times', async () => {
    const blockMs = 3000;
    const relay = await relayForThisTest({ limits: { refusalBlockMs: blockMs } });
    const { wsUrl } = relay;
    const planId = 'target';
    const seed = new Uint8Array(readFileSync(`${FIXTURES}plan-state.update`));
    expect((await relay.store.createPlan(planId, seed)).ok).toBe(true);
    // An update Yjs takes but the update check refuses after applying it.
    const frame = new Uint8Array(
      readFileSync(`${FIXTURES}update-diverges-on-plan-state-left-elsewhere.frame`),
    );
    const good = connectClient(wsUrl, planId);
    clients.push(good);
    await good.synced();

    const hostile = relay.mint({ plan: planId, role: 'editor', name: 'hostile' }).token;
    const other = relay.mint({ plan: planId, role: 'editor', name: 'other' }).token;
    const hostileUrl = `${wsUrl}/${planId}?token=${encodeURIComponent(hostile)}`;
    for (let i = 0; i < REFUSALS_BEFORE_BLOCK; i++) {
      const ws = await openRawSocket(wsUrl, `/${planId}`, 5000, { token: hostile });
      const done = closed(ws);
      ws.send(frame);
      expect((await done).code).toBe(CLOSE_INVALID_PAYLOAD);
    }
    const refusedUpgrades = relay.metrics.errors('upgrade_refused');
    const held = await upgradeStatus(hostileUrl);
    expect(held.status).toBe(429);
    expect(Number(held.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(held.retryAfter)).toBeLessThanOrEqual(Math.ceil(blockMs / 1000));
    // However often it tries meanwhile: no WebSocket, so no update and no rebuild.
    for (let i = 0; i < 20; i++) expect((await upgradeStatus(hostileUrl)).status).toBe(429);
    expect(relay.metrics.errors('apply_update')).toBe(REFUSALS_BEFORE_BLOCK);
    expect(relay.metrics.errors('upgrade_refused')).toBe(refusedUpgrades + 21);

    // The page of a browser, which cannot read the 429, learns it from /api/me.
    const me = async (token: string): Promise<Record<string, unknown>> => {
      const res = await fetch(`${relay.url}/api/me?plan=${planId}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
      return (await res.json()) as Record<string, unknown>;
    };
    const { heldBackSeconds } = await me(hostile);
    expect(heldBackSeconds).toBeGreaterThanOrEqual(1);
    expect(heldBackSeconds).toBeLessThanOrEqual(Math.ceil(blockMs / 1000));
    expect(await me(other)).not.toHaveProperty('heldBackSeconds');

    // Nobody else is held back: another token from the same address, and the open client.
    const second = connectClient(wsUrl, planId, { token: other });
    clients.push(second);
    await second.synced();
    good.doc.getMap('good').set('during', 1);
    await eventually(() => expect(second.doc.getMap('good').get('during')).toBe(1));
    expect(good.provider.wsconnected).toBe(true);

    // Once the block is over, the sender may connect again.
    await eventually(
      async () => expect((await upgradeStatus(hostileUrl)).status).toBe(101),
      3 * blockMs,
      100,
    );
    expect(await me(hostile)).not.toHaveProperty('heldBackSeconds');
  });
});

describe('what counts toward the back-off', () => {
  /** Opens a socket as `token`, sends `frame`, and resolves to the close code. */
  async function sendOnce(wsUrl: string, token: string, frame: Uint8Array): Promise<number> {
    const ws = await openRawSocket(wsUrl, '/p', 5000, { token });
    const done = closed(ws);
    ws.send(frame);
    return (await done).code;
  }

  test('a viewer’s edits and large frames that do not decode count; small bad frames do not', async () => {
    const relay = await relayForThisTest({ limits: { refusalBlockMs: 60_000 } });
    const { wsUrl } = relay;
    const token = (role: 'viewer' | 'editor', name: string): string =>
      relay.mint({ plan: 'p', role, name }).token;
    const opens = async (t: string): Promise<boolean> => {
      try {
        (await openRawSocket(wsUrl, '/p', 5000, { token: t })).close();
        return true;
      } catch (error) {
        expect(String(error)).toMatch(/429/);
        return false;
      }
    };

    // A viewer's edit: decoded in full, then refused (4403).
    const author = new Y.Doc();
    author.getText('notes').insert(0, '只读用户的修改');
    const edit = updateFrame(Y.encodeStateAsUpdate(author));
    const viewer = token('viewer', 'viewer');
    for (let i = 0; i < REFUSALS_BEFORE_BLOCK; i++)
      expect(await sendOnce(wsUrl, viewer, edit)).toBe(CLOSE_FORBIDDEN);
    expect(await opens(viewer)).toBe(false);

    // A large update frame cut short: the decoder reads most of it before it fails.
    const big = new Y.Doc();
    big.transact(() => {
      for (let i = 0; i < 20_000; i++) big.getMap('m').set(`k${i}`, i);
    });
    const full = updateFrame(Y.encodeStateAsUpdate(big));
    const cut = full.slice(0, full.length - 3);
    expect(cut.length).toBeGreaterThan(64 * 1024);
    const large = token('editor', 'large');
    for (let i = 0; i < REFUSALS_BEFORE_BLOCK; i++)
      expect(await sendOnce(wsUrl, large, cut)).toBe(CLOSE_INVALID_PAYLOAD);
    expect(await opens(large)).toBe(false);

    // Small malformed frames cost the relay next to nothing: never held back for them.
    const small = token('editor', 'small');
    for (let i = 0; i < 10; i++)
      expect(await sendOnce(wsUrl, small, new Uint8Array([0, 2, 0xff, 0xff]))).toBe(
        CLOSE_INVALID_PAYLOAD,
      );
    expect(await opens(small)).toBe(true);
  });
});
