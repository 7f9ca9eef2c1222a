// The README's quick start, `npm start` (bin/start.js): with the client built (the e2e global
// setup builds it), it bundles the relay, serves the client and the relay on one port, prints
// the URL to open with the first-start invite, and stops cleanly on SIGTERM. A client whose
// sources changed since it was built (a pull) is built again first.
import {
  cpSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, onTestFinished, test } from 'vitest';
import WebSocket from 'ws';
import { ROOT } from './helpers/build.ts';
import { eventually } from '../helpers/eventually.ts';
import { listeningPort, spawnRelay } from './helpers/relay.ts';

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

/**
 * The fields of /proc/PID/stat after the command name (which may hold spaces): the state,
 * then the parent's id, …; null when the process is gone.
 */
function procStat(pid: number | string): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** The ids of `pid`'s child processes whose command line contains `arg` (from /proc). */
function childrenOf(pid: number, arg: string): number[] {
  const children: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(procStat(name)?.[1]) !== pid) continue;
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
    } catch {
      continue; // gone meanwhile
    }
    // (bin/start.js also runs esbuild's service as a child.)
    if (argv.some((a) => a.includes(arg))) children.push(Number(name));
  }
  return children;
}

/** Whether the process runs (an exited one waiting to be reaped, a zombie, does not). */
function isRunning(pid: number): boolean {
  const state = procStat(pid)?.[0];
  return state !== undefined && state !== 'Z' && state !== 'X';
}

/**
 * Runs bin/start.js through `sh -c`, as npm runs a script, with `env` (npm's variables or
 * none); resolves once it serves. The processes are killed when the test ends.
 */
async function startUnderShell(
  env: NodeJS.ProcessEnv,
): Promise<{ shell: ChildProcess; start: number; relay: number; port: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'qingdan-start-orphan-'));
  onTestFinished(() => rmSync(dataDir, { recursive: true, force: true }));
  const command = `"${process.execPath}" bin/start.js --host 127.0.0.1 --port 0 --data "${dataDir}" --log-level warn; :`;
  const shell = spawn('sh', ['-c', command], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const started: number[] = [];
  onTestFinished(() => {
    for (const pid of started) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
    if (shell.exitCode === null && shell.signalCode === null) shell.kill('SIGKILL');
  });
  const { port } = await listeningPort(shell);
  const [start] = childrenOf(shell.pid!, 'bin/start.js');
  const [relay] = start === undefined ? [] : childrenOf(start, 'serve');
  if (start === undefined || relay === undefined)
    throw new Error('start.js or its relay not found');
  started.push(start, relay);
  expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  return { shell, start, relay, port };
}

/** The environment without npm's variables: start.js run by hand. */
function withoutNpm(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_')));
}

test('npm start stops its relay when the shell npm started it from goes away', async () => {
  // npm runs the start script through `sh -c`, and a SIGTERM sent to npm alone (a process
  // manager, a container's stop, `timeout`) ends that shell without reaching bin/start.js.
  // Here the shell is killed outright.
  const { shell, start, relay, port } = await startUnderShell({
    ...withoutNpm(),
    npm_lifecycle_event: 'start',
  });
  shell.kill('SIGKILL');
  await eventually(
    () => expect([isRunning(start), isRunning(relay)]).toEqual([false, false]),
    15_000,
  );
  // The port is free again: a restart can listen on it.
  await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
}, 60_000);

test('bin/start.js run by hand keeps serving when the shell it was started from goes away', async () => {
  // As with `nohup node bin/start.js &` and then logging out.
  const { shell, start, relay, port } = await startUnderShell(withoutNpm());
  shell.kill('SIGKILL');
  // Three of start.js's checks of its parent.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  expect([isRunning(start), isRunning(relay)]).toEqual([true, true]);
  expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
}, 60_000);
