import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './build.ts';
import { TokenRegistry, type Role } from '../../../server/tokens.ts';

/**
 * Auth is always on (issue 7): each relay's admin token for every plan, by its URL, so that
 * {@link openPage} can give every browser context the token before a test drives it.
 */
const adminTokens = new Map<string, string>();

/** The admin (`*`) token of the relay at `baseURL`, if {@link startRelay} started it. */
export function adminTokenFor(baseURL: string): string | undefined {
  const origin = new URL(baseURL).origin;
  return adminTokens.get(aliases.get(origin) ?? origin);
}

const aliases = new Map<string, string>();

/** `url` reaches the relay on `relayPort` (a proxy): it gets that relay's token. */
export function aliasRelay(url: string, relayPort: number): void {
  aliases.set(new URL(url).origin, `http://127.0.0.1:${relayPort}`);
}

/** A real relay (`qingdan serve`) running as a child process. */
export interface RelayProcess {
  /** `http://127.0.0.1:PORT` (no trailing slash). */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** The admin invite for every plan: the one the relay printed on its first start. */
  readonly adminToken: string;
  /** Issues an invite in the relay's data dir (as `qingdan invite` does); returns its link. */
  invite(plan: string, role: Role, name: string, days?: number): { url: string; id: string };
  /** Stops the process (SIGTERM, then SIGKILL); the data dir stays. */
  stop(): Promise<void>;
  /** Stops and starts it again on the same port and data dir. */
  restart(): Promise<void>;
  /** Stops it and removes the data dir (unless it was given). */
  dispose(): Promise<void>;
}

/**
 * Resolves with the port of the URL `child` prints on stdout once it listens, and what it had
 * printed by then; rejects (and kills it) if it exits first or takes over 20 s.
 */
export function listeningPort(child: ChildProcess): Promise<{ port: number; out: string }> {
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise<{ port: number; out: string }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`relay did not start:\n${out}\n${err}`));
    }, 20_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ port: Number(m[1]), out });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`relay exited with ${code}:\n${out}\n${err}`));
    });
  });
}

/**
 * Runs `command` (by default `bin/qingdan.js serve`) with the serve options on 127.0.0.1 and
 * resolves once it has printed its URL.
 */
export async function spawnRelay(
  port: number,
  dataDir: string,
  args: readonly string[],
  command: readonly string[] = ['bin/qingdan.js', 'serve'],
): Promise<{ child: ChildProcess; port: number; firstToken: string | null }> {
  const child = spawn(
    process.execPath,
    [
      ...command,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--data',
      dataDir,
      '--log-level',
      'warn',
      ...args,
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const { port: actual, out } = await listeningPort(child);
  // A fresh data dir: the relay printed one admin invite for every plan with its URL.
  const firstToken = /#token=(\S+)/.exec(out)?.[1] ?? null;
  return { child, port: actual, firstToken };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Starts `node bin/qingdan.js serve --port 0` on a fresh temporary data dir (or `dataDir`)
 * and resolves with the URL it printed. `args` go to `qingdan serve` as they are (e.g.
 * `--public-url`, once the relay checks the Origin). Always `dispose()` it (afterAll / onTestFinished).
 */
export async function startRelay(
  opts: { dataDir?: string; args?: readonly string[] } = {},
): Promise<RelayProcess> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'qingdan-e2e-'));
  // Pages may also come through the tests' loopback proxies (other ports of 127.0.0.1).
  const args = ['--allow-origin', 'http://127.0.0.1:*', ...(opts.args ?? [])];
  let child: ChildProcess;
  let port: number;
  let firstToken: string | null;
  try {
    ({ child, port, firstToken } = await spawnRelay(0, dataDir, args));
  } catch (e) {
    if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  const mint = (plan: string, role: Role, name: string, days = 1) => {
    const registry = TokenRegistry.open(dataDir);
    try {
      return registry.issue({ plan, role, name, days, now: Date.now() });
    } finally {
      registry.close();
    }
  };
  const adminToken = firstToken ?? mint('*', 'admin', 'e2e').token;
  adminTokens.set(`http://127.0.0.1:${port}`, adminToken);
  return {
    adminToken,
    invite(plan, role, name, days) {
      const { token, claims } = mint(plan, role, name, days);
      return { url: `http://127.0.0.1:${port}/plan/${plan}#token=${token}`, id: claims.jti };
    },
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    dataDir,
    stop: () => stopChild(child),
    async restart() {
      await stopChild(child);
      ({ child, port } = await spawnRelay(port, dataDir, args));
    },
    async dispose() {
      await stopChild(child);
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
