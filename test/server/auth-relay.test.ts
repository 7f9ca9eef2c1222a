import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { REVOCATION_POLL_MS } from '../../server/access.ts';
import { CLOSE_FORBIDDEN, CLOSE_UNAUTHORIZED } from '../../server/protocol.ts';
import { openStore } from '../../server/store.ts';
import { signToken, TokenRegistry, type Claims } from '../../server/tokens.ts';
import { eventually } from '../helpers/eventually.ts';
import {
  closed,
  connectClient,
  makeTempDir,
  openRawSocket,
  removeDir,
  startTestRelay,
  type TestClient,
  type TestRelay,
} from '../helpers/relay.ts';

const MARKER = '加强理论武装-marker';

let dir: string;
let relay: TestRelay;
const clients: TestClient[] = [];
const sockets: WebSocket[] = [];

beforeEach(async () => {
  dir = makeTempDir();
  relay = await startTestRelay({ dataDir: dir });
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  for (const s of sockets.splice(0)) s.terminate();
  await relay.close();
  removeDir(dir);
});

const wsUrl = (): string => relay.url.replace('http', 'ws');

function client(planId: string, token: string | null, doc?: Y.Doc): TestClient {
  const c = connectClient(wsUrl(), planId, { token, ...(doc ? { doc } : {}) });
  clients.push(c);
  return c;
}

async function socket(path: string, token: string | null): Promise<WebSocket> {
  const ws = await openRawSocket(wsUrl(), path, 5000, { token });
  sockets.push(ws);
  return ws;
}

/** Seeds a plan with the marker text through an admin client. */
async function seed(planId: string): Promise<void> {
  const admin = client(planId, relay.token);
  await admin.synced();
  admin.doc.getText('notes').insert(0, MARKER);
  await eventually(async () => expect(await relay.store.logLength(planId)).toBeGreaterThan(0));
}

/** A raw WebSocket upgrade: the HTTP status and every byte the relay answered. */
function upgrade(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1',
      port: relay.port,
      path,
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': randomBytes(16).toString('base64'),
        ...headers,
      },
    });
    req.on('upgrade', (res, sock) => {
      sock.destroy();
      resolve({ status: res.statusCode ?? 0, body: '' });
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('latin1').on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const enc = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');

function claimsOf(token: string): Claims {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Claims;
}

/** A sync step 2 / update frame carrying `update`. */
function updateFrame(update: Uint8Array): Uint8Array {
  const len: number[] = [];
  let n = update.length;
  while (n > 127) {
    len.push((n & 127) | 128);
    n >>>= 7;
  }
  len.push(n);
  return new Uint8Array([0, 2, ...len, ...update]);
}

describe('the relay checks the invite token at the upgrade', () => {
  test('every refusal is an HTTP 401/403 before any WebSocket exists, with no byte of the plan', async () => {
    await seed('p1');
    const viewer = relay.mint({ plan: 'p1', role: 'viewer', name: '王五' }).token;
    const [head, , sig] = viewer.split('.') as [string, string, string];
    const claims = claimsOf(viewer);
    const revoked = relay.mint({ plan: 'p1', role: 'editor' });
    relay.tokens?.revoke(revoked.id, Date.now());
    const cases: [string, string | null, number][] = [
      ['no token', null, 401],
      ['an empty token', '', 401],
      ['junk', 'not-a-token', 401],
      ['a bad signature', signToken(randomBytes(32), claims), 401],
      ['alg none', `${enc({ alg: 'none', typ: 'JWT' })}.${enc(claims)}.`, 401],
      [
        'alg none with the real signature',
        `${enc({ alg: 'none', typ: 'JWT' })}.${enc(claims)}.${sig}`,
        401,
      ],
      ['HS512', `${enc({ alg: 'HS512', typ: 'JWT' })}.${enc(claims)}.${sig}`, 401],
      ['a tampered role', `${head}.${enc({ ...claims, role: 'editor' })}.${sig}`, 401],
      ['a tampered plan', `${head}.${enc({ ...claims, plan: '*' })}.${sig}`, 401],
      [
        'expired',
        relay.mint({ plan: 'p1', role: 'editor', days: 1, now: Date.now() - 2 * 86_400_000 }).token,
        401,
      ],
      ['revoked', revoked.token, 401],
      ['another plan', relay.mint({ plan: 'p2', role: 'admin' }).token, 403],
      [
        'forged with the real secret but never issued',
        signToken(relay.tokens!.secret, { ...claims, jti: 'forged' }),
        401,
      ],
    ];
    for (const [what, token, status] of cases) {
      const path = token === null ? '/p1' : `/p1?token=${encodeURIComponent(token)}`;
      const res = await upgrade(path);
      expect({ what, status: res.status }).toEqual({ what, status });
      expect(res.body).not.toContain(MARKER);
      // A stock client gets no further either.
      await expect(socket('/p1', token)).rejects.toThrow(String(status));
      // Nor the same token given as a subprotocol (how qingdan's client sends it).
      if (token === null) continue;
      const viaProtocol = await upgrade('/p1', {
        'sec-websocket-protocol': `qingdan, qingdan-token.${token}`,
      });
      expect({ what, status: viaProtocol.status }).toEqual({ what, status });
      expect(viaProtocol.body).not.toContain(MARKER);
    }
    expect(relay.rooms.connectionCount).toBe(1);
  });

  test('the token may come as a subprotocol instead of in the URL; the relay selects `qingdan`, never the token', async () => {
    await seed('p1');
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(wsUrl(), 'p1', doc, {
      protocols: ['qingdan', `qingdan-token.${relay.token}`],
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      maxBackoffTime: 200,
    });
    clients.push({
      doc,
      provider,
      synced: () => Promise.resolve(),
      destroy: () => {
        provider.destroy();
        doc.destroy();
      },
    });
    await eventually(() => expect(doc.getText('notes').toString()).toBe(MARKER));
    expect(provider.url).not.toContain('token');
    expect((provider.ws as unknown as WebSocket).protocol).toBe('qingdan');
    // Its edits are taken, as with the token in the URL.
    doc.getText('notes').insert(0, '编辑者:');
    const other = client('p1', relay.token);
    await eventually(() => expect(other.doc.getText('notes').toString()).toBe(`编辑者:${MARKER}`));
  });

  test('a token for plan A does not open plan B; an admin token for every plan opens both', async () => {
    await seed('plan-b');
    const a = relay.mint({ plan: 'plan-a', role: 'admin', name: '甲' }).token;
    expect((await upgrade(`/plan-b?token=${a}`)).status).toBe(403);
    expect((await upgrade(`/plan-a?token=${a}`)).status).toBe(101);
    const b = client('plan-b', a);
    // A refused provider keeps retrying and never syncs: nothing of plan B arrives.
    await expect(b.synced(500)).rejects.toThrow();
    expect(b.doc.getText('notes').toString()).toBe('');
    const other = client('plan-b', relay.token);
    await other.synced();
    expect(other.doc.getText('notes').toString()).toBe(MARKER);
  });

  test('a viewer syncs and sees awareness, but its edits are never applied, stored or relayed', async () => {
    await seed('p1');
    const editor = client('p1', relay.mint({ plan: 'p1', role: 'editor' }).token);
    await editor.synced();
    const before = await relay.store.logLength('p1');
    const token = relay.mint({ plan: 'p1', role: 'viewer', name: '王五' }).token;

    // A stock viewer reads the plan (its empty sync reply on connect is fine).
    const stock = client('p1', token);
    await stock.synced();
    expect(stock.doc.getText('notes').toString()).toBe(MARKER);
    // … and takes part in awareness: the others see who is reading.
    stock.provider.awareness.setLocalStateField('user', { name: '王五' });
    await eventually(() =>
      expect(
        [...editor.provider.awareness.getStates().values()].some(
          (st) => (st as { user?: { name?: string } }).user?.name === '王五',
        ),
      ).toBe(true),
    );

    // A hand-made viewer: an empty sync step 2 is fine, an update with content closes it.
    const ws = await socket('/p1', token);
    const bye = closed(ws);
    ws.send(new Uint8Array([0, 1, 2, 0, 0]));
    const evil = new Y.Doc();
    evil.getText('notes').insert(0, 'viewer was here');
    ws.send(updateFrame(Y.encodeStateAsUpdate(evil)));
    const { code, reason } = await bye;
    expect(code).toBe(CLOSE_FORBIDDEN);
    expect(reason).toMatch(/read-only/);

    // Nothing reached the store or the others.
    editor.doc.getText('notes').insert(0, 'x');
    await eventually(() => expect(stock.doc.getText('notes').toString()).toBe(`x${MARKER}`));
    const store = openStore(dir);
    try {
      const stored = new Y.Doc();
      Y.applyUpdate(stored, (await store.loadState('p1'))!);
      expect(stored.getText('notes').toString()).toBe(`x${MARKER}`);
      expect(await store.logLength('p1')).toBe(before + 1);
    } finally {
      await store.close();
    }
    expect(editor.doc.getText('notes').toString()).toBe(`x${MARKER}`);
  });

  test('a viewer and an editor that reconnect with nothing new stay connected, and nothing is stored', async () => {
    await seed('p1');
    const editor = client('p1', relay.mint({ plan: 'p1', role: 'editor' }).token);
    await editor.synced();
    // A deletion: from now on every sync reply carries a delete set.
    editor.doc.getText('notes').delete(0, 2);
    const viewer = client('p1', relay.mint({ plan: 'p1', role: 'viewer', name: '王五' }).token);
    await viewer.synced();
    const text = (c: TestClient): string => c.doc.getText('notes').toString();
    await eventually(() => expect(text(viewer)).toBe(MARKER.slice(2)));
    await eventually(async () => {
      const stored = new Y.Doc();
      Y.applyUpdate(stored, (await relay.store.loadState('p1'))!);
      expect(stored.getText('notes').toString()).toBe(MARKER.slice(2));
    });
    const rows = await relay.store.logLength('p1');

    // Both lose their connection and come back, as after a network blip.
    for (const c of [viewer, editor]) c.provider.ws?.close();
    await eventually(() =>
      expect([viewer, editor].every((c) => c.provider.wsconnected && c.provider.synced)).toBe(true),
    );
    editor.doc.getText('notes').insert(0, '新');
    await eventually(() => expect(text(viewer)).toBe(`新${MARKER.slice(2)}`));
    // Their sync replies held only what the relay has: the viewer's was not taken for an edit,
    // and neither was stored.
    expect(relay.metrics.errors('read_only_write')).toBe(0);
    expect(viewer.provider.wsconnected).toBe(true);
    await eventually(async () => expect(await relay.store.logLength('p1')).toBe(rows + 1));
  });

  test('one token serves many connections; revoking it closes them all within about a second', async () => {
    await seed('p1');
    const { token, id } = relay.mint({ plan: 'p1', role: 'editor', name: '李四' });
    const other = client('p1', relay.mint({ plan: 'p1', role: 'editor' }).token);
    const tabs = await Promise.all([1, 2, 3].map(() => socket('/p1', token)));
    const byes = tabs.map((ws) => closed(ws, 5000));
    await other.synced();
    // As `qingdan revoke` does it: another connection to the registry (another process).
    const registry = TokenRegistry.open(dir);
    try {
      expect(registry.revoke(id, Date.now())).toBe(true);
    } finally {
      registry.close();
    }
    for (const bye of byes) {
      const { code, reason } = await bye;
      expect(code).toBe(CLOSE_UNAUTHORIZED);
      expect(reason).toMatch(/revoked.*new invite/);
    }
    expect((await upgrade(`/p1?token=${token}`)).status).toBe(401);
    // The others stay.
    expect(other.provider.wsconnected).toBe(true);
  });

  test('the Origin of a browser must be the relay’s own', async () => {
    const path = `/p1?token=${relay.token}`;
    expect((await upgrade(path, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await upgrade(path, { origin: relay.url })).status).toBe(101);
    expect((await upgrade(path, { origin: `http://localhost:${relay.port}` })).status).toBe(101);
    expect((await upgrade(path)).status).toBe(101);
  });
});

describe('with --public-url', () => {
  test('only the public URL’s Origin is accepted', async () => {
    await relay.close();
    relay = await startTestRelay({ dataDir: dir, publicUrl: 'https://qingdan.example.gov.cn/' });
    const path = `/p1?token=${relay.token}`;
    expect((await upgrade(path, { origin: 'https://qingdan.example.gov.cn' })).status).toBe(101);
    expect((await upgrade(path, { origin: relay.url })).status).toBe(403);
  });
});

describe('with --allow-origin', () => {
  test('another origin, or any port of a host, may be allowed too', async () => {
    await relay.close();
    relay = await startTestRelay({
      dataDir: dir,
      allowOrigins: ['https://intranet.example', 'http://127.0.0.1:*'],
    });
    const path = `/p1?token=${relay.token}`;
    for (const origin of ['https://intranet.example', 'http://127.0.0.1:1234', relay.url])
      expect({ origin, status: (await upgrade(path, { origin })).status }).toEqual({
        origin,
        status: 101,
      });
    for (const origin of ['http://127.0.0.1:12x', 'http://127.0.0.1.evil.example:80'])
      expect({ origin, status: (await upgrade(path, { origin })).status }).toEqual({
        origin,
        status: 403,
      });
  });
});

describe('an open connection whose token expires', () => {
  test('is closed with 4401', async () => {
    await relay.close();
    let clock = Date.now();
    relay = await startTestRelay({ dataDir: dir, now: () => clock });
    const { token } = relay.mint({ plan: 'p1', role: 'editor', days: 1, now: clock });
    const ws = await socket('/p1', token);
    const bye = closed(ws);
    clock += 2 * 86_400_000;
    const { code, reason } = await bye;
    expect(code).toBe(CLOSE_UNAUTHORIZED);
    expect(reason).toMatch(/expired/);
  });

  test('is closed when its own token expires, not when an earlier one does', async () => {
    await relay.close();
    let clock = Date.now();
    relay = await startTestRelay({ dataDir: dir, now: () => clock });
    const soon = relay.mint({ plan: 'p1', role: 'editor', days: 1, now: clock }).token;
    const later = relay.mint({ plan: 'p1', role: 'editor', days: 3, now: clock }).token;
    const first = await socket('/p1', soon);
    const second = await socket('/p1', later);
    const firstBye = closed(first);
    let secondClosed = false;
    const secondBye = closed(second).then((result) => {
      secondClosed = true;
      return result;
    });
    clock += 2 * 86_400_000;
    expect((await firstBye).code).toBe(CLOSE_UNAUTHORIZED);
    // Several polls later the longer token's connection is still open.
    await new Promise((resolve) => setTimeout(resolve, 3 * REVOCATION_POLL_MS));
    expect(secondClosed).toBe(false);
    expect(second.readyState).toBe(WebSocket.OPEN);
    clock += 2 * 86_400_000;
    const { code, reason } = await secondBye;
    expect(code).toBe(CLOSE_UNAUTHORIZED);
    expect(reason).toMatch(/expired/);
  });
});
