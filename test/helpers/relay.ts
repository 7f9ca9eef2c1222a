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
import { eventually } from './eventually.ts';

// Each WebsocketProvider adds a process 'exit' listener; tests run dozens at once.
process.setMaxListeners(0);

/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

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
  return eventually(() => Number(readFileSync(probeFile, 'utf8')), 10_000, 20);
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
  } = {},
): Promise<SpawnedRelay> {
  const probeFile = `${dataDir}.heap`;
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
  return {
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

/** Starts an in-process relay on 127.0.0.1, port 0, quiet. Close it with `relay.close()`. */
export function startTestRelay(
  options: Partial<RelayOptions> & { dataDir: string },
): Promise<Relay> {
  return startRelay({ host: '127.0.0.1', port: 0, logger: silentLogger(), ...options });
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
  options: { doc?: Y.Doc; maxBackoffTime?: number; awareness?: boolean } = {},
): TestClient {
  const doc = options.doc ?? new Y.Doc();
  const provider = new WebsocketProvider(wsUrl, planId, doc, {
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

/** Opens a raw `ws` socket to a path (sent as is) and resolves once it is open. */
export function openRawSocket(wsUrl: string, path: string, timeoutMs = 5000): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${wsUrl}${path}`);
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
