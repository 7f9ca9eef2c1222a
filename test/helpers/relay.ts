/**
 * Helpers for tests and benchmarks that need a real relay: a child process running
 * `node bin/qingdan.js serve --port 0` ({@link spawnRelay}), an in-process one
 * ({@link startTestRelay}), stock y-websocket clients ({@link connectClient}) and raw `ws`
 * sockets ({@link openRawSocket}). 127.0.0.1 only; every wait is bounded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import { startRelay, type Relay, type RelayOptions } from '../../server/relay.ts';
import { silentLogger } from '../../server/log.ts';
import { TokenRegistry, type Role } from '../../server/tokens.ts';
import { eventually } from './eventually.ts';

// Each WebsocketProvider adds a process 'exit' listener; tests run dozens at once.
process.setMaxListeners(0);

/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Auth is always on (issue 7): every relay these helpers start gets an admin token for
 * every plan (`*`), minted in its data dir, and {@link connectClient} / {@link openRawSocket}
 * present the token of the relay at that address unless given another one (or `null`, for
 * none). Keyed by `host:port`, so `relay.url` and `relay.url.replace('http', 'ws')` agree.
 */
const adminTokens = new Map<string, string>();

const hostOf = (url: string): string => new URL(url).host;

/** The admin (`*`) token of the relay at `url` (http or ws), if a helper started it. */
export function adminTokenFor(url: string): string | undefined {
  return adminTokens.get(hostOf(url));
}

/** What {@link mintToken} issues; defaults: an admin of every plan for one day. */
export interface MintOptions {
  readonly plan?: string;
  readonly role?: Role;
  readonly name?: string;
  readonly days?: number;
  /** Milliseconds since the epoch (a past time mints an expired token). */
  readonly now?: number;
}

/** Issues a token in a data dir (as `qingdan invite` does); returns it and its id. */
export function mintToken(dataDir: string, opts: MintOptions = {}): { token: string; id: string } {
  const registry = TokenRegistry.open(dataDir);
  try {
    return mintWith(registry, opts);
  } finally {
    registry.close();
  }
}

function mintWith(registry: TokenRegistry, opts: MintOptions): { token: string; id: string } {
  const { token, claims } = registry.issue({
    plan: opts.plan ?? '*',
    role: opts.role ?? 'admin',
    name: opts.name ?? 'test',
    days: opts.days ?? 1,
    now: opts.now ?? Date.now(),
  });
  return { token, id: claims.jti };
}

/** A fresh temporary directory; remove it with {@link removeDir}. */
export function makeTempDir(prefix = 'qingdan-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Removes a directory tree, ignoring a missing one. */
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * A module for `node --expose-gc --import <this>`: on SIGUSR2 it collects garbage and writes
 * heapUsed to the file named by HEAP_PROBE_FILE. Loaded by tests and benchmarks into the
 * relay process (and the reference relay), never part of the relay itself.
 */
export const HEAP_PROBE_IMPORT = `data:text/javascript,${encodeURIComponent(`
import { writeFileSync } from 'node:fs';
process.on('SIGUSR2', () => {
  globalThis.gc(); globalThis.gc();
  writeFileSync(process.env.HEAP_PROBE_FILE, String(process.memoryUsage().heapUsed));
});`)}`;

/** Asks a process started with {@link HEAP_PROBE_IMPORT} for its heap after a full GC. */
export async function heapAfterGc(pid: number, probeFile: string): Promise<number> {
  rmSync(probeFile, { force: true });
  process.kill(pid, 'SIGUSR2');
  const heap = await eventually(() => Number(readFileSync(probeFile, 'utf8')), 10_000, 20);
  // Beside the data dir, so removing the dir would leave it behind in the temp dir.
  rmSync(probeFile, { force: true });
  return heap;
}

/** A relay running as a child process. */
export interface SpawnedRelay {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly port: number;
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** `ws://127.0.0.1:PORT` */
  readonly wsUrl: string;
  /** What the process wrote to stderr so far (its JSON log lines). */
  stderr(): string;
  /** What the process wrote to stdout so far (its URL, the first-start invite). */
  stdout(): string;
  /** SIGTERM, then waits for the exit; resolves to the exit code (null if killed). */
  stop(timeoutMs?: number): Promise<number | null>;
  /** SIGKILL (kill -9), then waits for the exit. */
  kill(): Promise<void>;
  /** The parsed /healthz body. */
  health(): Promise<Health>;
  /** One sample of /metrics by name (with labels if given, e.g. `qingdan_errors_total{kind="bad_frame"}`). */
  metric(name: string): Promise<number>;
  /** Open file descriptors of the child (/proc/PID/fd). */
  openFds(): number;
  /** An admin token for every plan, minted in the data dir before the start. */
  readonly token: string;
  /** Mints another token in the relay's data dir (it may run: the registry is shared). */
  mint(opts?: MintOptions): { token: string; id: string };
  /** heapUsed after a full GC (needs `heapProbe: true`). */
  heapAfterGc(): Promise<number>;
}

/** The /healthz body. */
export interface Health {
  ok: boolean;
  version: string;
  uptime: number;
  plans: number;
  connections: number;
  awareness: number;
  /** Background compaction has work queued or running. */
  compacting: boolean;
  memory: { rss: number; heapUsed: number };
}

/**
 * GET over a fresh connection that is closed afterwards (no keep-alive pool), so that counting
 * the relay's file descriptors is not disturbed by an idle pooled socket.
 */
export function httpGetText(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(body));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
  });
}

/** Fetches and parses /healthz. */
export async function fetchHealth(url: string): Promise<Health> {
  return JSON.parse(await httpGetText(`${url}/healthz`)) as Health;
}

/** Reads one sample of /metrics; 0 when the sample is absent (a counter never incremented). */
export async function fetchMetric(url: string, name: string): Promise<number> {
  const text = await httpGetText(`${url}/metrics`);
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name} `)) return Number(line.slice(name.length + 1));
  }
  return 0;
}

/**
 * Spawns `node bin/qingdan.js serve --port 0 --data DIR …` and resolves once it printed its
 * URL. `args` are appended (limits, --durability …).
 */
export async function spawnRelay(
  dataDir: string,
  args: readonly string[] = [],
  options: {
    startTimeoutMs?: number;
    nodeArgs?: readonly string[];
    /** CPU list for `taskset -c` (benchmarks pin the relay to one core). */
    taskset?: string;
    /** Script run instead of bin/qingdan.js (relative to the repo root); it gets the same argv. */
    script?: string;
    /** Load {@link HEAP_PROBE_IMPORT}, for {@link SpawnedRelay.heapAfterGc}. */
    heapProbe?: boolean;
    /**
     * `mint` (default): mint the admin token before the start, so the relay prints no
     * first-start invite; `first-start`: mint nothing, take the token of the invite the relay
     * prints on a fresh data dir (empty when it printed none); `none`: no token at all.
     */
    adminToken?: 'mint' | 'first-start' | 'none';
  } = {},
): Promise<SpawnedRelay> {
  const probeFile = `${dataDir}.heap`;
  const tokenMode = options.adminToken ?? 'mint';
  let token = tokenMode === 'mint' ? mintToken(dataDir).token : '';
  const relayArgs = [
    ...(options.heapProbe === true ? ['--expose-gc', '--import', HEAP_PROBE_IMPORT] : []),
    ...(options.nodeArgs ?? []),
    options.script ?? 'bin/qingdan.js',
    'serve',
    '--host',
    '127.0.0.1',
    '--port',
    '0',
    '--data',
    dataDir,
    '--log-level',
    'warn',
    ...args,
  ];
  const child =
    options.taskset === undefined
      ? spawn(process.execPath, relayArgs, {
          cwd: REPO_ROOT,
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, HEAP_PROBE_FILE: probeFile },
        })
      : spawn('taskset', ['-c', options.taskset, process.execPath, ...relayArgs], {
          cwd: REPO_ROOT,
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, HEAP_PROBE_FILE: probeFile },
        });
  let stdout = '';
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-100_000);
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`relay did not start in time; stderr: ${stderr}`));
    }, options.startTimeoutMs ?? 15_000);
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout);
      // The first-start invite is written in the same write as the URL line.
      if (tokenMode === 'first-start') token = /#token=(\S+)/.exec(stdout)?.[1] ?? '';
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`relay exited with ${code} before listening; stderr: ${stderr}`));
    });
  });
  const url = `http://127.0.0.1:${port}`;
  const pid = child.pid ?? -1;
  if (token !== '') adminTokens.set(hostOf(url), token);
  else adminTokens.delete(hostOf(url));
  return {
    token,
    mint: (opts) => mintToken(dataDir, opts),
    stdout: () => stdout,
    child,
    pid,
    port,
    url,
    wsUrl: `ws://127.0.0.1:${port}`,
    stderr: () => stderr,
    async stop(timeoutMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
    health: () => fetchHealth(url),
    metric: (name) => fetchMetric(url, name),
    openFds: () => readdirSync(`/proc/${pid}/fd`).length,
    heapAfterGc: () => {
      if (options.heapProbe !== true) throw new Error('spawnRelay(…, { heapProbe: true }) first');
      return heapAfterGc(pid, probeFile);
    },
  };
}

/** An in-process relay with an admin token for every plan. */
export interface TestRelay extends Relay {
  /** An admin token for every plan (empty when a custom `authorize` replaced tokens). */
  readonly token: string;
  /** Mints another token in the relay's registry. */
  mint(opts?: MintOptions): { token: string; id: string };
}

/** Starts an in-process relay on 127.0.0.1, port 0, quiet. Close it with `relay.close()`. */
export async function startTestRelay(
  options: Partial<RelayOptions> & { dataDir: string },
): Promise<TestRelay> {
  const relay = await startRelay({
    host: '127.0.0.1',
    port: 0,
    logger: silentLogger(),
    ...options,
  });
  const mint = (opts: MintOptions = {}): { token: string; id: string } => {
    if (relay.tokens === null) throw new Error('this relay has a custom authorize: no tokens');
    return mintWith(relay.tokens, opts);
  };
  const token = relay.tokens === null ? '' : mint().token;
  if (token !== '') adminTokens.set(hostOf(relay.url), token);
  else adminTokens.delete(hostOf(relay.url));
  return Object.assign(relay, { token, mint });
}

/** A stock y-websocket client. */
export interface TestClient {
  readonly doc: Y.Doc;
  readonly provider: WebsocketProvider;
  /** Resolves once the provider has synced with the relay. */
  synced(timeoutMs?: number): Promise<void>;
  destroy(): void;
}

/**
 * A stock `WebsocketProvider` for `planId`, with `ws` as its WebSocket and the cross-tab
 * BroadcastChannel off (Node has one: two clients in one process would sync through it and
 * bypass the relay).
 */
export function connectClient(
  wsUrl: string,
  planId: string,
  options: {
    doc?: Y.Doc;
    maxBackoffTime?: number;
    awareness?: boolean;
    /** Default: the admin token of the relay at `wsUrl`; null connects without one. */
    token?: string | null;
  } = {},
): TestClient {
  const doc = options.doc ?? new Y.Doc();
  const token = options.token === undefined ? adminTokenFor(wsUrl) : options.token;
  const provider = new WebsocketProvider(wsUrl, planId, doc, {
    ...(token === null || token === undefined ? {} : { params: { token } }),
    // ws implements the WebSocket API the provider uses (onopen/onmessage/binaryType…).
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: options.maxBackoffTime ?? 200,
  });
  if (options.awareness === false) provider.awareness.setLocalState(null);
  return {
    doc,
    provider,
    synced: (timeoutMs = 5000) => eventually(() => provider.synced, timeoutMs).then(() => {}),
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

/**
 * Opens a raw `ws` socket to a path (sent as is, plus `token=` — the admin token of the relay
 * at `wsUrl` unless `opts.token` says otherwise, null for none) and resolves once it is open.
 */
export function openRawSocket(
  wsUrl: string,
  path: string,
  timeoutMs = 5000,
  opts: { token?: string | null; headers?: Record<string, string> } = {},
): Promise<WebSocket> {
  const token = opts.token === undefined ? adminTokenFor(wsUrl) : opts.token;
  const target =
    token === null || token === undefined
      ? path
      : `${path}${path.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${wsUrl}${target}`, opts.headers ? { headers: opts.headers } : {});
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error('socket did not open in time'));
    }, timeoutMs);
    ws.once('open', () => {
      clearTimeout(timer);
      resolve(ws);
    });
    ws.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** Resolves with the close code and reason once `ws` closes. */
export function closed(ws: WebSocket, timeoutMs = 5000): Promise<{ code: number; reason: string }> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve({ code: 1006, reason: '' });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('socket did not close in time')), timeoutMs);
    ws.once('close', (code, reason) => {
      clearTimeout(timer);
      resolve({ code, reason: reason.toString() });
    });
  });
}
