// The relay against the reference y-websocket server (@y/websocket-server@0.1.1, in memory, no
// persistence), side by side in one run: each relay pinned to core 0, this load generator to
// core 1 (taskset), real y-websocket clients. Run with `npm run bench -- relay`.
//
// Environment: BENCH_SECONDS (edit phase per scenario run, default 4), BENCH_RUNS (runs per
// latency scenario, default 3; p50/p99 are the median over runs), BENCH_SKIP (comma list of
// scenario keys to skip: warmup,s10,s50,s200,s100x5,burst,late,churn,floor), BENCH_PROFILE=DIR
// (a CPU profile of each relay, sampled every 100 µs, in DIR), BENCH_PERF=1 (both relays write
// /tmp/perf-<pid>.map, so `perf record -k CLOCK_MONOTONIC -g -C 0` names their JavaScript
// frames). With either, each edit phase is appended to DIR/windows.txt (or, for perf,
// test-results/relay-bench-windows.txt) as `<relay> <scenario> <start µs> <end µs> <pid>` on
// CLOCK_MONOTONIC, the clock of both profiles, to read only the samples of the edit phases.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { dirname } from 'node:path';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import { eventually } from '../helpers/eventually.ts';
import {
  HEAP_PROBE_IMPORT,
  REPO_ROOT,
  adminTokenFor,
  fetchHealth,
  heapAfterGc,
  makeTempDir,
  spawnRelay,
} from '../helpers/relay.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SKIP = new Set((process.env.BENCH_SKIP ?? '').split(',').filter(Boolean));
const RELAY_CORE = '0';
const LOAD_CORE = '1';

// Pin this process (the load generator) to its own core: all its threads (-a), or V8's
// compiler and GC threads, started before this line, would still run on the relays' core.
const CORES = os.availableParallelism();
const pinned = spawnSync('taskset', ['-a', '-p', '-c', LOAD_CORE, String(process.pid)], {
  encoding: 'utf8',
});
const tasksetOk = pinned.status === 0;
process.setMaxListeners(0);

const HEAP_PROBE = HEAP_PROBE_IMPORT;

interface Target {
  readonly name: 'ours' | 'reference' | 'floor';
  readonly pid: number;
  readonly wsUrl: string;
  readonly heapFile: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs = 15_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no ${pattern} in ${out}`)), timeoutMs);
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (pattern.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * `bin/qingdan.js` compiles TypeScript as it loads (tsx), which costs ~25 MB of RSS in a
 * loader thread. The benchmark runs the relay bundled as `npm start` runs it
 * (bin/build-relay.js), so it measures the relay, not tsx. BENCH_TSX=1 runs bin/qingdan.js.
 */
function bundleOurs(): string | undefined {
  if (process.env.BENCH_TSX === '1') return undefined;
  const out = 'test-results/relay-bench.mjs';
  mkdirSync(`${REPO_ROOT}test-results`, { recursive: true });
  const built = spawnSync(process.execPath, ['bin/build-relay.js', out], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
  });
  if (built.status !== 0) throw new Error('bundling the relay failed');
  return out;
}

/** Where the edit phases' time windows go, if anywhere (see the top of this file). */
const WINDOWS_FILE =
  process.env.BENCH_PROFILE !== undefined
    ? `${process.env.BENCH_PROFILE}/windows.txt`
    : process.env.BENCH_PERF === '1'
      ? `${REPO_ROOT}test-results/relay-bench-windows.txt`
      : undefined;
if (WINDOWS_FILE !== undefined) mkdirSync(dirname(WINDOWS_FILE), { recursive: true });

/**
 * Node flags for both relays: with BENCH_PERF, JIT symbols for Linux perf; with
 * BENCH_PROFILE=DIR, a V8 CPU profile (written at exit, named CPU.<date>.<pid>…).
 */
const PERF_ARGS: readonly string[] = [
  ...(process.env.BENCH_PERF === '1' ? ['--perf-basic-prof'] : []),
  ...(process.env.BENCH_PROFILE === undefined
    ? []
    : ['--cpu-prof', '--cpu-prof-interval=100', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]),
];

async function startOurs(): Promise<Target> {
  const dir = makeTempDir('qingdan-bench-');
  const heapFile = `${dir}.heap`;
  const script = bundleOurs();
  const relay = await spawnRelay(dir, ['--unload-grace-ms', '500'], {
    taskset: RELAY_CORE,
    heapProbe: true,
    nodeArgs: PERF_ARGS,
    ...(script === undefined ? {} : { script }),
  });
  return {
    name: 'ours',
    pid: relay.pid,
    wsUrl: relay.wsUrl,
    heapFile,
    async stop() {
      await relay.stop();
      rmSync(dir, { recursive: true, force: true });
      rmSync(heapFile, { force: true });
      if (script !== undefined) {
        rmSync(`${REPO_ROOT}${script}`, { force: true });
        rmSync(`${REPO_ROOT}${script}.map`, { force: true });
      }
    },
  };
}

async function startReference(): Promise<Target> {
  const port = await freePort();
  const heapFile = `${makeTempDir('qingdan-bench-ref-')}/heap`;
  const child = spawn(
    'taskset',
    [
      '-c',
      RELAY_CORE,
      process.execPath,
      ...PERF_ARGS,
      '--expose-gc',
      '--import',
      HEAP_PROBE,
      // The reference dies on SIGTERM without exiting, which writes no CPU profile.
      ...(process.env.BENCH_PROFILE === undefined
        ? []
        : ['--import', 'data:text/javascript,process.on("SIGTERM",()=>process.exit(0))']),
      'node_modules/@y/websocket-server/src/server.js',
    ],
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), HEAP_PROBE_FILE: heapFile },
    },
  );
  await waitForLine(child, /running at/);
  return {
    name: 'reference',
    pid: child.pid ?? -1,
    wsUrl: `ws://127.0.0.1:${port}`,
    heapFile,
    stop: () => stopChild(child),
  };
}

/** The floor: a bare `ws` server that forwards every frame to the other sockets of its path. */
async function startFloor(): Promise<Target> {
  const port = await freePort();
  const script = `
    import { WebSocketServer } from 'ws';
    const rooms = new Map();
    const wss = new WebSocketServer({ host: '127.0.0.1', port: ${port}, perMessageDeflate: false });
    wss.on('connection', (ws, req) => {
      const room = rooms.get(req.url) ?? new Set(); rooms.set(req.url, room); room.add(ws);
      ws.on('message', (data) => { for (const peer of room) if (peer !== ws) peer.send(data); });
      ws.on('close', () => room.delete(ws));
    });
    wss.on('listening', () => console.log('floor listening'));
    process.on('SIGTERM', () => process.exit(0));`;
  const child = spawn(
    'taskset',
    ['-c', RELAY_CORE, process.execPath, '--input-type=module', '-e', script],
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await waitForLine(child, /floor listening/);
  return {
    name: 'floor',
    pid: child.pid ?? -1,
    wsUrl: `ws://127.0.0.1:${port}`,
    heapFile: '',
    stop: () => stopChild(child),
  };
}

/** utime + stime of a process, in seconds. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Peak resident set size (VmHWM), in bytes. */
function peakRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmHWM:\s+(\d+) kB/.exec(status);
  return Number(match?.[1] ?? 0) * 1024;
}

function probeHeap(target: Target): Promise<number> {
  return heapAfterGc(target.pid, target.heapFile);
}

interface Client {
  readonly doc: Y.Doc;
  readonly provider: WebsocketProvider;
}

function connect(wsUrl: string, planId: string, awareness: boolean): Client {
  const doc = new Y.Doc();
  // Ours needs an invite token (issue 7; spawnRelay minted an admin one); the reference
  // relay has no access control and ignores the parameter.
  const token = adminTokenFor(wsUrl);
  const provider = new WebsocketProvider(wsUrl, planId, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    ...(token === undefined ? {} : { params: { token } }),
  });
  if (awareness)
    provider.awareness.setLocalStateField('user', { name: `u${doc.clientID}`, branch: '第一支部' });
  else provider.awareness.setLocalState(null);
  return { doc, provider };
}

function destroyAll(clients: readonly Client[]): void {
  for (const c of clients) {
    c.provider.destroy();
    c.doc.destroy();
  }
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function median(xs: readonly number[]): number {
  const s = [...xs].filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  return s.length === 0 ? NaN : (s[Math.floor(s.length / 2)] ?? NaN);
}

interface FanoutSpec {
  readonly key: string;
  readonly label: string;
  readonly plans: number;
  readonly clientsPerPlan: number;
  readonly writersPerPlan: number;
  /** Edits per second over all plans. */
  readonly rate: number;
  readonly awareness: boolean;
  /** Length of the edit phase; BENCH_SECONDS when absent. */
  readonly seconds?: number;
}

interface FanoutResult {
  cpu: number;
  p50: number;
  p99: number;
  delivered: number;
  lost: number;
  cpuPerDeliveredUs: number;
}

let runCounter = 0;

/**
 * Waits until our relay is idle: every plan of the previous scenario unloaded and its log
 * compacted (background work the reference does not have), so each scenario starts from the
 * same quiet state on both sides.
 */
async function settle(target: Target | undefined): Promise<void> {
  if (target?.name !== 'ours') return;
  const url = target.wsUrl.replace('ws', 'http');
  await eventually(
    async () => {
      const health = await fetchHealth(url);
      return health.plans === 0 && health.connections === 0 && !health.compacting;
    },
    60_000,
    50,
  );
}

/**
 * Our relay, once started. Every measurement waits until it is idle, also one of the reference
 * or the floor: they share its core, and its unloading and compacting of the plans of its own
 * previous run would otherwise land in theirs.
 */
let oursTarget: Target | undefined;

/**
 * Connects the clients, gives every plan one edit, then lets the writers edit at `rate` for
 * SECONDS, and measures for every edit the time until the last other client of its plan has it.
 * The first edit is not measured: it creates the plan, once in a plan's life (our relay stores
 * a plan row with it). With fresh plans in every run, a quarter of the 100-plan scenario's
 * edits would otherwise be plan creations.
 */
async function fanout(target: Target, spec: FanoutSpec): Promise<FanoutResult> {
  await settle(oursTarget);
  const run = ++runCounter;
  const plans: Client[][] = [];
  for (let p = 0; p < spec.plans; p++) {
    const planId = `bench-${spec.key}-${run}-${p}`;
    plans.push(
      Array.from({ length: spec.clientsPerPlan }, () =>
        connect(target.wsUrl, planId, spec.awareness),
      ),
    );
  }
  const all = plans.flat();
  try {
    await eventually(() => all.every((c) => c.provider.synced), 60_000, 50);
    if (spec.awareness) {
      await eventually(
        () => all.every((c) => c.provider.awareness.getStates().size >= spec.clientsPerPlan),
        60_000,
        100,
      );
    }
    for (const group of plans) group[0]!.doc.getMap<number>('edits').set('created', 1);
    await eventually(() => all.every((c) => c.doc.getMap('edits').has('created')), 60_000, 20);
    const sent = new Map<string, { at: number; left: number }>();
    const latencies: number[] = [];
    for (const group of plans) {
      for (const c of group) {
        const map = c.doc.getMap<number>('edits');
        map.observe((event) => {
          if (event.transaction.local) return;
          const now = performance.now();
          for (const key of event.keysChanged) {
            const entry = sent.get(key);
            if (entry === undefined) continue;
            entry.left -= 1;
            if (entry.left === 0) {
              latencies.push(now - entry.at);
              sent.delete(key);
            }
          }
        });
      }
    }
    const writers = plans.flatMap((group) => group.slice(0, spec.writersPerPlan));
    const cpuBefore = cpuSeconds(target.pid);
    const start = performance.now();
    const windowStart = process.hrtime.bigint() / 1000n;
    let made = 0;
    let refreshed = 0;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (spec.awareness) {
          // y-protocols renews every awareness state every 15 s (Awareness's check interval:
          // the same state again, with the next clock): the same aggregate rate, spread over
          // the run. The reference forwards each renewal to every socket of the plan.
          const dueRefreshes = Math.floor(((performance.now() - start) / 1000) * (all.length / 15));
          while (refreshed < dueRefreshes) {
            const { awareness } = all[refreshed % all.length]!.provider;
            awareness.setLocalState(awareness.getLocalState());
            refreshed += 1;
          }
        }
        const due = Math.min(
          Math.floor(((performance.now() - start) / 1000) * spec.rate),
          spec.rate * (spec.seconds ?? SECONDS),
        );
        while (made < due) {
          const writer = writers[made % writers.length]!;
          const key = `e${made}`;
          sent.set(key, { at: performance.now(), left: spec.clientsPerPlan - 1 });
          writer.doc.getMap<number>('edits').set(key, made);
          made += 1;
        }
        if (made >= spec.rate * (spec.seconds ?? SECONDS)) {
          clearInterval(timer);
          resolve();
        }
      }, 2);
    });
    await eventually(() => sent.size === 0, 10_000, 20).catch(() => undefined);
    const cpu = cpuSeconds(target.pid) - cpuBefore;
    if (WINDOWS_FILE !== undefined) {
      appendFileSync(
        WINDOWS_FILE,
        `${target.name} ${spec.key} ${windowStart} ${process.hrtime.bigint() / 1000n} ${target.pid}\n`,
      );
    }
    latencies.sort((a, b) => a - b);
    const delivered = latencies.length * (spec.clientsPerPlan - 1);
    return {
      cpu,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      delivered,
      lost: sent.size,
      cpuPerDeliveredUs: (cpu / Math.max(1, delivered)) * 1e6,
    };
  } finally {
    destroyAll(all);
  }
}

/** The floor: the same fan-out through a bare ws broadcast, raw sockets, no Yjs. */
async function floorFanout(target: Target, spec: FanoutSpec): Promise<FanoutResult> {
  await settle(oursTarget);
  const run = ++runCounter;
  const sockets: WebSocket[][] = [];
  for (let p = 0; p < spec.plans; p++) {
    const group: WebSocket[] = [];
    for (let i = 0; i < spec.clientsPerPlan; i++)
      group.push(new WebSocket(`${target.wsUrl}/floor-${run}-${p}`));
    sockets.push(group);
  }
  const all = sockets.flat();
  try {
    await eventually(() => all.every((ws) => ws.readyState === WebSocket.OPEN), 60_000, 50);
    const sample = new Y.Doc();
    sample.getMap('edits').set('e0', 0);
    const payload = Y.encodeStateAsUpdate(sample);
    const sent = new Map<number, { at: number; left: number }>();
    const latencies: number[] = [];
    for (const ws of all) {
      ws.on('message', (data: Buffer) => {
        const id = data.readUInt32LE(0);
        const entry = sent.get(id);
        if (entry === undefined) return;
        entry.left -= 1;
        if (entry.left === 0) {
          latencies.push(performance.now() - entry.at);
          sent.delete(id);
        }
      });
    }
    const writers = sockets.flatMap((group) => group.slice(0, spec.writersPerPlan));
    const cpuBefore = cpuSeconds(target.pid);
    const start = performance.now();
    let made = 0;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const due = Math.min(
          Math.floor(((performance.now() - start) / 1000) * spec.rate),
          spec.rate * (spec.seconds ?? SECONDS),
        );
        while (made < due) {
          const frame = Buffer.alloc(4 + payload.length + 2);
          frame.writeUInt32LE(made, 0);
          frame.set(payload, 4);
          sent.set(made, { at: performance.now(), left: spec.clientsPerPlan - 1 });
          writers[made % writers.length]!.send(frame);
          made += 1;
        }
        if (made >= spec.rate * (spec.seconds ?? SECONDS)) {
          clearInterval(timer);
          resolve();
        }
      }, 2);
    });
    await eventually(() => sent.size === 0, 10_000, 20).catch(() => undefined);
    const cpu = cpuSeconds(target.pid) - cpuBefore;
    latencies.sort((a, b) => a - b);
    const delivered = latencies.length * (spec.clientsPerPlan - 1);
    return {
      cpu,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      delivered,
      lost: sent.size,
      cpuPerDeliveredUs: (cpu / Math.max(1, delivered)) * 1e6,
    };
  } finally {
    for (const ws of all) ws.terminate();
  }
}

/** Builds a 10,000-task plan on the target; returns its id and the builder (keep it open). */
async function buildLargePlan(target: Target): Promise<{ planId: string; builder: Client }> {
  // Not settle(oursTarget): our relay keeps its builder open while the reference's is built.
  await settle(target);
  const planId = `bench-late-${++runCounter}`;
  const builder = connect(target.wsUrl, planId, false);
  await eventually(() => builder.provider.synced, 30_000, 20);
  const tasks = builder.doc.getMap<Y.Map<unknown>>('tasks');
  builder.doc.transact(() => {
    for (let i = 0; i < 10_000; i++) {
      const task = new Y.Map<unknown>();
      task.set('title', `第${i}项任务：加强理论武装，严格落实“一岗双责”`);
      task.set('done', i % 3 === 0);
      task.set('rank', `a${i.toString(36).padStart(4, '0')}`);
      task.set('owner', '第一党支部');
      task.set('deadline', '2023年6月底前');
      tasks.set(`task-${i}`, task);
    }
  });
  const check = connect(target.wsUrl, planId, false);
  await eventually(() => check.doc.getMap('tasks').size === 10_000, 60_000, 20);
  destroyAll([check]);
  return { planId, builder };
}

/** Time for a fresh client to join and hold all 10,000 tasks. */
async function joinOnce(target: Target, planId: string): Promise<number> {
  const start = performance.now();
  const joiner = connect(target.wsUrl, planId, false);
  await eventually(
    () => joiner.provider.synced && joiner.doc.getMap('tasks').size === 10_000,
    60_000,
    1,
  );
  const ms = performance.now() - start;
  destroyAll([joiner]);
  return ms;
}

/** Time from a raw socket's sync step 1 to the relay's sync step 2 (the relay's share of a join). */
async function answerOnce(target: Target, planId: string): Promise<number> {
  const token = adminTokenFor(target.wsUrl);
  const query = token === undefined ? '' : `?token=${encodeURIComponent(token)}`;
  const ws = new WebSocket(`${target.wsUrl}/${planId}${query}`);
  try {
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const start = performance.now();
    const answered = new Promise<number>((resolve) => {
      ws.on('message', (data: Buffer) => {
        if (data[0] === 0 && data[1] === 1) resolve(performance.now() - start);
      });
    });
    ws.send(new Uint8Array([0, 0, 1, 0]));
    return await answered;
  } finally {
    ws.terminate();
  }
}

/**
 * The late joiner: 3 joins per relay, interleaved (ours, reference, ours, …) so that the load
 * generator's own state (its GC, mostly: the joiner applies ~1 MB) falls on both alike.
 */
async function lateJoiners(
  ours: Target,
  reference: Target,
): Promise<{ ours: number; reference: number; oursAnswer: number; referenceAnswer: number }> {
  const a = await buildLargePlan(ours);
  const b = await buildLargePlan(reference);
  const times = { ours: [] as number[], reference: [] as number[] };
  const answers = { ours: [] as number[], reference: [] as number[] };
  try {
    for (let j = 0; j < 3; j++) {
      times.ours.push(await joinOnce(ours, a.planId));
      times.reference.push(await joinOnce(reference, b.planId));
      answers.ours.push(await answerOnce(ours, a.planId));
      answers.reference.push(await answerOnce(reference, b.planId));
    }
  } finally {
    destroyAll([a.builder, b.builder]);
  }
  // Every join, not only the median: most of a join is the joiner applying the plan, on the
  // load generator's core, and one slow join there shows here.
  const each = (xs: readonly number[]): string => xs.map((x) => fmt(x)).join(', ');
  process.stdout.write(
    `late joiner (ms per join): ours ${each(times.ours)}; reference ${each(times.reference)}\n`,
  );
  return {
    ours: median(times.ours),
    reference: median(times.reference),
    oursAnswer: median(answers.ours),
    referenceAnswer: median(answers.reference),
  };
}

/** Heap kept per cycle of 50 plans opened, edited and closed (after GC), in bytes. */
async function churn(target: Target): Promise<number> {
  await settle(oursTarget);
  const before = await probeHeap(target);
  for (let cycle = 0; cycle < 3; cycle++) {
    const run = ++runCounter;
    const clients = Array.from({ length: 50 }, (_, i) =>
      connect(target.wsUrl, `bench-churn-${run}-${i}`, true),
    );
    await eventually(() => clients.every((c) => c.provider.synced), 60_000, 20);
    for (const c of clients) {
      c.doc.transact(() => {
        for (let k = 0; k < 200; k++)
          c.doc.getMap('tasks').set(`k${k}`, `任务 ${k} ${'x'.repeat(40)}`);
      });
    }
    const check = clients.map((_c, i) => connect(target.wsUrl, `bench-churn-${run}-${i}`, false));
    await eventually(() => check.every((c) => c.doc.getMap('tasks').size === 200), 60_000, 20);
    destroyAll(clients);
    destroyAll(check);
  }
  if (target.name === 'ours') {
    // Plans unload 500 ms (--unload-grace-ms) after their last client left.
    await settle(target);
  } else {
    // The reference drops a connection when its close arrives; give it the same settling time.
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  const after = await probeHeap(target);
  return (after - before) / 3;
}

const SCENARIOS: FanoutSpec[] = [
  {
    key: 's10',
    label: '10 clients, 100 edits/s',
    plans: 1,
    clientsPerPlan: 10,
    writersPerPlan: 10,
    rate: 100,
    awareness: false,
  },
  {
    key: 's50',
    label: '50 clients, 10 writers (100 edits/s)',
    plans: 1,
    clientsPerPlan: 50,
    writersPerPlan: 10,
    rate: 100,
    awareness: false,
  },
  {
    key: 's200',
    label: '200 clients, 25 edits/s, awareness on',
    plans: 1,
    clientsPerPlan: 200,
    writersPerPlan: 25,
    rate: 25,
    awareness: true,
    // 25 edits/s gives few samples per second, and a p99 of 100 samples is their maximum.
    seconds: 2 * SECONDS,
  },
  {
    key: 's100x5',
    label: '100 plans × 5 clients (100 edits/s)',
    plans: 100,
    clientsPerPlan: 5,
    writersPerPlan: 1,
    rate: 100,
    awareness: false,
  },
  {
    key: 'burst',
    label: 'burst: 2,000 edits/s from 10 clients',
    plans: 1,
    clientsPerPlan: 10,
    writersPerPlan: 10,
    rate: 2000,
    awareness: false,
  },
];

/**
 * Run, discarded, before anything is measured: a relay that has been up for a while has its
 * hot paths compiled, and so does this load generator. Without it the first scenario measures
 * V8 warming up (ours runs more JavaScript per message, so it pays more), and whichever relay
 * goes first also meets a cold load generator.
 */
const WARMUP: FanoutSpec = {
  key: 'warmup',
  label: 'warm-up',
  plans: 2,
  clientsPerPlan: 10,
  writersPerPlan: 10,
  rate: 1000,
  awareness: true,
  seconds: 3,
};

const fmt = (x: number, digits = 1): string => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
const ratio = (a: number, b: number): string =>
  Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a';

async function main(): Promise<void> {
  const rows: string[][] = [];
  const targets = { ours: await startOurs(), reference: await startReference() };
  oursTarget = targets.ours;
  const floor = SKIP.has('floor') ? undefined : await startFloor();
  try {
    if (!SKIP.has('warmup')) {
      await fanout(targets.ours, WARMUP);
      await fanout(targets.reference, WARMUP);
      if (floor !== undefined) await floorFanout(floor, WARMUP);
    }
    for (const spec of SCENARIOS) {
      if (SKIP.has(spec.key)) continue;
      const results: Record<'ours' | 'reference' | 'floor', FanoutResult[]> = {
        ours: [],
        reference: [],
        floor: [],
      };
      for (let r = 0; r < RUNS; r++) {
        // Alternate which relay goes first: the load generator's own state (its heap, what it
        // has compiled) changes over a run, and must not favour one side.
        if (r % 2 === 0) {
          results.ours.push(await fanout(targets.ours, spec));
          results.reference.push(await fanout(targets.reference, spec));
        } else {
          results.reference.push(await fanout(targets.reference, spec));
          results.ours.push(await fanout(targets.ours, spec));
        }
        if (floor !== undefined) results.floor.push(await floorFanout(floor, spec));
      }
      const m = (name: 'ours' | 'reference' | 'floor', f: (x: FanoutResult) => number): number =>
        median(results[name].map(f));
      const runsOf = (name: 'ours' | 'reference'): string =>
        results[name].map((x) => `${fmt(x.p50, 2)}/${fmt(x.p99, 2)}`).join(', ');
      const lost = (name: 'ours' | 'reference'): number =>
        results[name].reduce((n, x) => n + x.lost, 0);
      process.stdout.write(
        `${spec.label}: ours p50 ${fmt(m('ours', (x) => x.p50))} p99 ${fmt(m('ours', (x) => x.p99))} lost ${lost('ours')} cpu ${fmt(
          m('ours', (x) => x.cpu),
          2,
        )} s; ` +
          `reference p50 ${fmt(m('reference', (x) => x.p50))} p99 ${fmt(m('reference', (x) => x.p99))} lost ${lost('reference')} cpu ${fmt(
            m('reference', (x) => x.cpu),
            2,
          )} s\n` +
          // Every run, not only the median: the spread tells a real difference from noise.
          `  runs (p50/p99 ms): ours ${runsOf('ours')}; reference ${runsOf('reference')}\n`,
      );
      const floorCell = (f: (x: FanoutResult) => number): string =>
        floor === undefined ? '–' : fmt(m('floor', f), 2);
      rows.push([
        `${spec.label}: p50 ms`,
        fmt(
          m('ours', (x) => x.p50),
          2,
        ),
        fmt(
          m('reference', (x) => x.p50),
          2,
        ),
        ratio(
          m('ours', (x) => x.p50),
          m('reference', (x) => x.p50),
        ),
        floorCell((x) => x.p50),
        '≤ 1.0×',
      ]);
      rows.push([
        `${spec.label}: p99 ms`,
        fmt(
          m('ours', (x) => x.p99),
          2,
        ),
        fmt(
          m('reference', (x) => x.p99),
          2,
        ),
        ratio(
          m('ours', (x) => x.p99),
          m('reference', (x) => x.p99),
        ),
        floorCell((x) => x.p99),
        spec.key === 's200' ? '≤ 1.0×, ≤ 30 ms' : '≤ 1.0×',
      ]);
      if (spec.key === 's50') {
        rows.push([
          'relay CPU per delivered edit, µs (50 clients)',
          fmt(m('ours', (x) => x.cpuPerDeliveredUs)),
          fmt(m('reference', (x) => x.cpuPerDeliveredUs)),
          ratio(
            m('ours', (x) => x.cpuPerDeliveredUs),
            m('reference', (x) => x.cpuPerDeliveredUs),
          ),
          floorCell((x) => x.cpuPerDeliveredUs),
          '≤ 1.3×',
        ]);
      }
      if (lost('ours') + lost('reference') > 0) {
        rows.push([
          `${spec.label}: edits not delivered in 10 s`,
          String(lost('ours')),
          String(lost('reference')),
          '',
          '',
          '0',
        ]);
      }
    }
    if (!SKIP.has('late')) {
      const { ours, reference, oursAnswer, referenceAnswer } = await lateJoiners(
        targets.ours,
        targets.reference,
      );
      rows.push([
        'late joiner, 10,000-task plan, ms (median of 3)',
        fmt(ours),
        fmt(reference),
        ratio(ours, reference),
        '–',
        '≤ 1.0×',
      ]);
      rows.push([
        '… of which the relay: sync step 1 → step 2, ms',
        fmt(oursAnswer),
        fmt(referenceAnswer),
        ratio(oursAnswer, referenceAnswer),
        '–',
        '',
      ]);
    }
    if (!SKIP.has('churn')) {
      const ours = await churn(targets.ours);
      const reference = await churn(targets.reference);
      rows.push([
        'heap kept per churn cycle (50 plans), MB',
        fmt(ours / 1e6, 2),
        fmt(reference / 1e6, 2),
        ratio(ours, reference),
        '–',
        '≤ 1 MB',
      ]);
    }
    const oursPeak = peakRss(targets.ours.pid);
    const refPeak = peakRss(targets.reference.pid);
    rows.push([
      'peak RSS, MB (whole run)',
      fmt(oursPeak / 1e6),
      fmt(refPeak / 1e6),
      ratio(oursPeak, refPeak),
      '–',
      '≤ 1.25×',
    ]);
    if (process.env.BENCH_DEBUG === '1') {
      const text = await (
        await fetch(`${targets.ours.wsUrl.replace('ws', 'http')}/metrics`)
      ).text();
      process.stdout.write(
        text
          .split('\n')
          .filter((l) => l.startsWith('qingdan_persist') || l.startsWith('qingdan_errors'))
          .join('\n') + '\n',
      );
    }
  } finally {
    await targets.ours.stop();
    await targets.reference.stop();
    await floor?.stop();
  }

  const cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
  process.stdout.write(
    `\nMachine: ${CORES} cores (nproc), ${cpu}, Node ${process.version}; ` +
      `ours ${process.env.BENCH_TSX === '1' ? 'through tsx (bin/qingdan.js)' : 'bundled by esbuild'}; relay on core ${RELAY_CORE}, load generator on core ${LOAD_CORE}${tasksetOk ? '' : ' (taskset failed: not pinned)'}; ` +
      `${SECONDS} s per scenario run, ${RUNS} runs, median shown.\n\n`,
  );
  const header = ['scenario', 'ours', 'reference', 'ours / reference', 'bare ws floor', 'goal'];
  process.stdout.write(`| ${header.join(' | ')} |\n| ${header.map(() => '---').join(' | ')} |\n`);
  for (const row of rows) process.stdout.write(`| ${row.join(' | ')} |\n`);
}

await main();
