// The README's quick start, `npm start` (bin/start.js): with the client built (the e2e global
// setup builds it), it bundles the relay, serves the client and the relay on one port, prints
// the URL to open with the first-start invite, and stops cleanly on SIGTERM. A client whose
// sources changed since it was built (a pull) is built again first.
import {
  cpSync,
  mkdtempSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, onTestFinished, test } from 'vitest';
import WebSocket from 'ws';
import { ROOT } from './helpers/build.ts';
import { spawnRelay } from './helpers/relay.ts';

/**
 * How the started process exits. When the test ends with it still running: SIGTERM, which
 * start.js passes on to the relay it runs (a SIGKILL would leave that running), then SIGKILL
 * only if it does not stop.
 */
function stopWhenFinished(
  child: ChildProcess,
): Promise<{ code: number | null; signal: string | null }> {
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  onTestFinished(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  });
  return exited;
}

test('npm start serves the built client and the relay on one port, and stops on SIGTERM', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'qingdan-start-'));
  onTestFinished(() => rmSync(dataDir, { recursive: true, force: true }));
  const clientBuiltAt = statSync(join(ROOT, 'dist/client/index.html')).mtimeMs;
  const startedAt = Date.now();
  const { child, port, firstToken } = await spawnRelay(0, dataDir, [], ['bin/start.js']);
  const exited = stopWhenFinished(child);
  const base = `http://127.0.0.1:${port}`;

  // The relay it runs is the bundle it has just built from the current sources; the client,
  // already built from them, is not built again.
  expect(statSync(join(ROOT, 'dist/relay.mjs')).mtimeMs).toBeGreaterThanOrEqual(startedAt - 1000);
  expect(statSync(join(ROOT, 'dist/client/index.html')).mtimeMs).toBe(clientBuiltAt);

  const health = await fetch(`${base}/healthz`);
  expect(health.status).toBe(200);
  expect(await health.json()).toMatchObject({ ok: true, plans: 0, connections: 0 });
  // Any app path gets the client's page (SPA fallback), in Chinese by default.
  const page = await fetch(`${base}/plan/demo`);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('<html lang="zh-CN">');

  // The printed invite opens a sync connection for any plan.
  expect(firstToken).not.toBeNull();
  const socket = new WebSocket(`ws://127.0.0.1:${port}/demo?token=${firstToken ?? ''}`);
  const opened = await new Promise<boolean>((resolve) => {
    socket.once('message', () => resolve(true));
    socket.once('error', () => resolve(false));
    socket.once('close', () => resolve(false));
  });
  expect(opened).toBe(true);
  socket.close();

  child.kill('SIGTERM');
  expect(await exited).toEqual({ code: 0, signal: null });
});

test('npm start builds the client again when its sources changed since it was built', async () => {
  // A copy of the repository (the packages linked), whose dist/client is an old build: older
  // than the sources, as after a pull. Copied, so the other tests' build is left alone.
  const copy = mkdtempSync(join(tmpdir(), 'qingdan-start-copy-'));
  onTestFinished(() => rmSync(copy, { recursive: true, force: true }));
  for (const path of [
    ...['bin', 'client', 'server', 'shared'],
    ...['package.json', 'package-lock.json', 'vite.config.ts', 'tsconfig.json'],
  ]) {
    cpSync(join(ROOT, path), join(copy, path), { recursive: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
  cpSync(join(ROOT, 'dist/client'), join(copy, 'dist/client'), { recursive: true });
  const oldPage = '<!doctype html><html lang="zh-CN"><title>old build</title></html>';
  writeFileSync(join(copy, 'dist/client/index.html'), oldPage);
  const anHourAgo = Date.now() / 1000 - 3600;
  utimesSync(join(copy, 'dist/client/index.html'), anHourAgo, anHourAgo);

  const dataDir = join(copy, 'data');
  const { child, port } = await spawnRelay(0, dataDir, [], [join(copy, 'bin/start.js')]);
  const exited = stopWhenFinished(child);

  // What it serves is the new build, not the old page.
  const page = await (await fetch(`http://127.0.0.1:${port}/plan/demo`)).text();
  expect(page).not.toContain('old build');
  expect(page).toContain('<html lang="zh-CN">');
  expect(page).toMatch(/<script type="module"[^>]*src="\/assets\/[^"]+\.js"/);
  child.kill('SIGTERM');
  expect(await exited).toEqual({ code: 0, signal: null });
}, 60_000);
