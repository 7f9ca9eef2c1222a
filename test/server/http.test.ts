import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { planIdFromUrl, type Authorize, type HttpRoutes } from '../../server/http.ts';
import type { Relay } from '../../server/relay.ts';
import { CLOSE_FORBIDDEN } from '../../server/protocol.ts';
import * as Y from 'yjs';
import { eventually } from '../helpers/eventually.ts';
import {
  closed,
  connectClient,
  makeTempDir,
  openRawSocket,
  removeDir,
  startTestRelay,
} from '../helpers/relay.ts';

let dir: string;
let staticDir: string;
let relay: Relay | undefined;

beforeEach(() => {
  dir = makeTempDir();
  staticDir = join(dir, 'client');
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>qingdan</title>');
  writeFileSync(join(staticDir, 'sw.js'), 'self.addEventListener("fetch", () => {});');
  writeFileSync(join(staticDir, 'assets', 'main-abc123.js'), 'console.log(1);');
});

afterEach(async () => {
  await relay?.close();
  relay = undefined;
  removeDir(dir);
});

async function start(authorize?: Authorize, routes?: HttpRoutes): Promise<Relay> {
  relay = await startTestRelay({
    dataDir: join(dir, 'data'),
    staticDir,
    ...(authorize ? { authorize } : {}),
    ...(routes ? { routes } : {}),
  });
  return relay;
}

/** A GET whose path is sent exactly as given (fetch would normalise it). */
function rawGet(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
  });
}

describe('HTTP', () => {
  test('/healthz answers JSON with version, uptime, plans and connections', async () => {
    const r = await start();
    const res = await fetch(`${r.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      ok: true,
      version: '0.1.0',
      plans: 0,
      connections: 0,
    });
  });

  test('/metrics is Prometheus text with the relay counters', async () => {
    const r = await start();
    const text = await (await fetch(`${r.url}/metrics`)).text();
    for (const name of [
      'qingdan_connections',
      'qingdan_plans_loaded',
      'qingdan_messages_in_total',
      'qingdan_bytes_out_total',
      'qingdan_persist_write_seconds_bucket',
      'qingdan_errors_total',
    ]) {
      expect(text).toContain(`# TYPE ${name.replace(/_bucket$/, '')}`);
    }
  });

  test('serves the client: hashed assets cached for long, index.html and sw.js revalidated, SPA fallback', async () => {
    const r = await start();
    const asset = await fetch(`${r.url}/assets/main-abc123.js`);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-type')).toContain('javascript');
    const sw = await fetch(`${r.url}/sw.js`);
    expect(sw.headers.get('cache-control')).toBe('no-cache');
    for (const path of ['/', '/plan/abc', '/plan/abc/print', '/plan/x.y/print']) {
      const res = await fetch(`${r.url}${path}`);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toContain('<title>qingdan</title>');
    }
    expect((await fetch(`${r.url}/missing.js`)).status).toBe(404);
    // An API path nobody serves is a JSON 404, never the app's page with 200.
    for (const path of ['/api', '/api/nothing-here', '/api/plans/x/unknown?token=t']) {
      const res = await fetch(`${r.url}${path}`, { method: path === '/api' ? 'GET' : 'POST' });
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(await res.json()).toEqual({ error: 'no such API' });
    }
    for (const path of [
      '/../../etc/passwd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/..%2f..%2fetc%2fpasswd',
    ]) {
      const body = await rawGet(r.port, path);
      expect(body).not.toContain('root:');
    }
  });

  test('plan ids are read from the raw path only', () => {
    expect(planIdFromUrl('/abc?token=x')).toBe('abc');
    expect(planIdFromUrl('/../abc')).toBeNull();
    expect(planIdFromUrl('/%2e%2e%2fabc')).toBeNull();
    expect(planIdFromUrl('/a/b')).toBeNull();
  });

  test('authorize runs before the upgrade: a refusal is an HTTP status, a read-only connection cannot edit', async () => {
    const seen: string[] = [];
    const r = await start((request, planId) => {
      seen.push(planId);
      if (planId === 'secret') return { ok: false, status: 403, reason: 'forbidden' };
      if (planId === 'nobody')
        return Promise.resolve({ ok: false, status: 401, reason: 'no token' });
      return { ok: true, readOnly: request.url?.includes('viewer') === true };
    });
    const wsUrl = r.url.replace('http', 'ws');
    await expect(openRawSocket(wsUrl, '/secret')).rejects.toThrow(/403/);
    await expect(openRawSocket(wsUrl, '/nobody')).rejects.toThrow(/401/);

    const editor = connectClient(wsUrl, 'shared');
    await editor.synced();
    editor.doc.getMap('tasks').set('a', 1);
    const viewerDoc = new Y.Doc();
    const viewer = await openRawSocket(wsUrl, '/shared?role=viewer');
    // An empty sync reply is fine; an update with content closes the connection with 4403.
    viewer.send(new Uint8Array([0, 1, 2, 0, 0]));
    viewerDoc.getMap('tasks').set('b', 2);
    const update = Y.encodeStateAsUpdate(viewerDoc);
    viewer.send(new Uint8Array([0, 2, update.length, ...update]));
    expect((await closed(viewer)).code).toBe(CLOSE_FORBIDDEN);
    await eventually(async () => expect(await r.store.logLength('shared')).toBe(1));
    expect(editor.doc.getMap('tasks').toJSON()).toEqual({ a: 1 });
    expect(seen).toEqual(['secret', 'nobody', 'shared', 'shared']);
    editor.destroy();
  });

  test('extra routes answer before static files, for any method; others fall through', async () => {
    const r = await start(undefined, async (req, res, pathname) => {
      if (!pathname.startsWith('/api/')) return false;
      await Promise.resolve();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ method: req.method, pathname }));
      return true;
    });
    const post = await fetch(`${r.url}/api/invites?x=1`, { method: 'POST' });
    expect(await post.json()).toEqual({ method: 'POST', pathname: '/api/invites' });
    expect((await fetch(`${r.url}/plan/abc`)).status).toBe(200);
    expect((await fetch(`${r.url}/plan/abc`, { method: 'POST' })).status).toBe(405);
  });
});
