// The store while the background thread compacts a long log: how long the relay's commits (of
// another plan, one per millisecond, as the relay makes them) take meanwhile, with the merged
// plan's old rows deleted a chunk per transaction (the default) against all in one
// transaction. A commit that finds SQLite's write lock taken waits on the relay's thread.
// Run with `npm run bench -- store`. BENCH_ROWS (default 24,000: the burst plan's log at the
// end of the relay benchmark), BENCH_RUNS (default 3, alternating).
import os from 'node:os';
import * as Y from 'yjs';
import { openStore } from '../../server/store.ts';
import { makeTempDir, removeDir } from '../helpers/relay.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 24_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

interface Figures {
  readonly commits: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly compactMs: number;
}

/** Updates of one client, each setting one key, as a long run of small edits leaves. */
function editsOfOneClient(n: number): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  const tasks = doc.getMap('tasks');
  for (let i = 0; i < n; i++) tasks.set(`k${i % 500}`, i);
  doc.destroy();
  return updates;
}

async function run(deleteRows: number, long: readonly Uint8Array[]): Promise<Figures> {
  const dir = makeTempDir('qingdan-store-bench-');
  const store = openStore(dir, { backgroundCheckpoint: true, compactDeleteRows: deleteRows });
  try {
    await store.whenReady();
    for (let i = 0; i < long.length; i += 1000) {
      store.appendUpdatesSync(
        long.slice(i, i + 1000).map((update) => ({ planId: 'long', update })),
      );
    }
    const other = new Y.Doc();
    const pending: Uint8Array[] = [];
    other.on('update', (u: Uint8Array) => pending.push(u));
    other.getMap('tasks').set('first', 0);
    store.appendUpdatesSync([{ planId: 'other', update: pending.pop()! }]);
    let done = false;
    const started = performance.now();
    const compacting = store.compact('long', long.length).finally(() => {
      done = true;
    });
    const times: number[] = [];
    for (let i = 0; i < 100_000 && !done; i++) {
      other.getMap('tasks').set(`e${i % 50}`, i);
      const update = pending.pop()!;
      const t0 = performance.now();
      const result = store.appendUpdatesSync([{ planId: 'other', update }]);
      times.push(performance.now() - t0);
      if (!result.ok) throw new Error(`commit failed: ${result.message}`);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const { merged } = await compacting;
    if (merged !== long.length) throw new Error(`merged ${merged} of ${long.length} rows`);
    const compactMs = performance.now() - started;
    times.sort((a, b) => a - b);
    const at = (q: number): number =>
      times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
    return { commits: times.length, p50: at(0.5), p99: at(0.99), max: at(1), compactMs };
  } finally {
    await store.close();
    removeDir(dir);
  }
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

const long = editsOfOneClient(ROWS);
const variants = [
  { name: '500 rows per transaction (default)', deleteRows: 500 },
  { name: 'all in one transaction', deleteRows: Number.POSITIVE_INFINITY },
];
const results = new Map<string, Figures[]>(variants.map((v) => [v.name, []]));
for (let r = 0; r < RUNS; r++) {
  for (const v of r % 2 === 0 ? variants : [...variants].reverse()) {
    const figures = await run(v.deleteRows, long);
    results.get(v.name)!.push(figures);
    process.stdout.write(
      `${v.name}: commits ${figures.commits}, p50 ${figures.p50.toFixed(3)} ms, p99 ${figures.p99.toFixed(2)} ms, longest ${figures.max.toFixed(2)} ms; compaction ${figures.compactMs.toFixed(0)} ms\n`,
    );
  }
}

const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
process.stdout.write(
  `\nMachine: ${os.availableParallelism()} cores, ${cpu}, Node ${process.version}; a ${ROWS.toLocaleString('en')}-row log compacted while another plan commits once per millisecond; median of ${RUNS} runs.\n\n`,
);
process.stdout.write(
  '| old rows deleted | commit p50 ms | commit p99 ms | longest commit ms | compaction ms |\n| --- | --- | --- | --- | --- |\n',
);
for (const v of variants) {
  const f = results.get(v.name)!;
  process.stdout.write(
    `| ${v.name} | ${median(f.map((x) => x.p50)).toFixed(3)} | ${median(f.map((x) => x.p99)).toFixed(2)} | ${median(f.map((x) => x.max)).toFixed(2)} | ${median(f.map((x) => x.compactMs)).toFixed(0)} |\n`,
  );
}
