/**
 * Durable storage of plans. {@link Store} is the small interface the relay (and `qingdan
 * import`) use, asynchronous so a networked store can replace the embedded one later;
 * {@link SqliteStore} is the embedded one: SQLite through better-sqlite3 in WAL mode.
 *
 * Layout (one file, `<data>/qingdan.db`, plus SQLite's `-wal` and `-shm`):
 *   plans(id, created_at, updated_at)       one row per plan that has content
 *   updates(seq, plan_id, data)             the plan's update log; Yjs updates commute, so
 *                                           the state is all rows merged, in any order
 * Compaction replaces a plan's rows by one row holding their merged (and garbage-collected)
 * state. Every method is safe while another process uses the same file (WAL allows one
 * writer and many readers; writers wait up to `busy_timeout` for each other).
 */
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import * as Y from 'yjs';

/** One update for one plan. */
export interface PlanUpdate {
  readonly planId: string;
  readonly update: Uint8Array;
}

/** Why a write failed; the relay refuses the update to its sender. */
export type WriteFailure = 'disk_full' | 'read_only' | 'busy' | 'io';

/** The outcome of a write: failures are expected conditions, not exceptions. */
export type WriteResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly code: WriteFailure; readonly message: string };

/** A plan as listed by {@link Store.listPlans}. */
export interface PlanInfo {
  readonly id: string;
  /** Milliseconds since the epoch. */
  readonly createdAt: number;
  /** When the plan was created or its log last compacted (a commit does not touch it). */
  readonly updatedAt: number;
  /** Rows in the plan's update log (1 right after compaction). */
  readonly logLength: number;
}

/** What compacting a plan did. */
export interface CompactResult {
  /** Rows merged into one. */
  readonly merged: number;
  /** Rows that did not apply and were dropped (logged by the caller). */
  readonly dropped: number;
}

/** The storage interface of the relay and of offline tools such as `qingdan import`. */
export interface Store {
  /** True when the plan has content (at least one stored update). */
  hasPlan(planId: string): Promise<boolean>;
  /** Every plan with content, sorted by id. */
  listPlans(): Promise<PlanInfo[]>;
  /** The plan's update log, in commit order; empty for an unknown plan. */
  loadUpdates(planId: string): Promise<Uint8Array[]>;
  /** The plan's merged state as one update, or null for an unknown plan. */
  loadState(planId: string): Promise<Uint8Array | null>;
  /** Appends one update (a transaction of its own). */
  appendUpdate(planId: string, update: Uint8Array): Promise<WriteResult>;
  /** Appends all updates in one transaction: all are durable, or none is (group commit). */
  appendUpdates(updates: readonly PlanUpdate[]): Promise<WriteResult>;
  /**
   * Creates a plan with its first state, atomically refusing a plan that already has content
   * (`{ ok: false, code: 'exists' }`), so two importers, or an importer and a relay, cannot
   * both seed it.
   */
  createPlan(
    planId: string,
    state: Uint8Array,
  ): Promise<
    WriteResult | { readonly ok: false; readonly code: 'exists'; readonly message: string }
  >;
  /** Merges up to `maxRows` of the plan's oldest log rows into one. */
  compact(planId: string, maxRows?: number): Promise<CompactResult>;
  /** Number of rows in the plan's update log. */
  logLength(planId: string): Promise<number>;
  /** Closes the store; further calls fail. Idempotent. */
  close(): Promise<void>;
}

/** Options of {@link openStore}. */
export interface SqliteStoreOptions {
  /** `full` fsyncs every commit (synchronous=FULL); `normal` survives a killed process. */
  readonly durability?: 'normal' | 'full';
  /** Caps the database size (SQLite `max_page_count`); writes past it fail as `disk_full`. */
  readonly maxBytes?: number;
  /** How long a writer waits for another process's write lock. */
  readonly busyTimeoutMs?: number;
  /**
   * Run WAL checkpoints and compaction on a worker thread instead of the committing thread. A
   * checkpoint fsyncs, and compacting a large plan takes as long as loading it; on the event
   * loop either would stall every connection. The long-running relay turns this on;
   * short-lived tools need not.
   */
  readonly backgroundCheckpoint?: boolean;
  /** With the checkpoint thread: checkpoint once commits have stopped for this long. */
  readonly checkpointIdleMs?: number;
  /**
   * With the checkpoint thread: rows a compaction deletes per transaction once the merged row
   * is in (default 500; `Infinity`: all in one, for comparison in the benchmark).
   */
  readonly compactDeleteRows?: number;
}

/**
 * When the checkpoint thread copies the WAL into the database: once this many commits have
 * gone into the WAL (a few pages each, so the WAL stays near SQLite's own 1,000-page
 * threshold), or once commits have stopped for `checkpointIdleMs`. Not on a clock, as it was:
 * the first commit after a checkpoint restarts the WAL, and SQLite fsyncs the new WAL header
 * in that commit, on the relay's thread (0.5 ms here; an idle disk's worth elsewhere). Once a
 * second, that put a slow commit into every 100 at 100 edits/s, which is the p99. The request
 * goes out after the turn of the commit that reached the count, once its edits are relayed.
 * After a pause (and in the wait below) the thread starts the WAL over itself, so the first
 * edit after a pause, the common case of people editing, commits without that fsync.
 */
const CHECKPOINT_EVERY_COMMITS = 300;
const DEFAULT_CHECKPOINT_IDLE_MS = 5000;
/**
 * A checkpoint that runs while commits go on copies what it can, but the WAL starts over only
 * when a commit begins with all of it copied. Under a steady stream of commits that never
 * happens, and the WAL grew by every commit (220 MB in 20 s at 2,000 edits/s). Once a
 * checkpoint finds the WAL this long (16 MB at 4 KiB pages), the next commit waits for a
 * checkpoint with no commit behind it, which also starts the WAL over: one pause of a few
 * milliseconds.
 */
const HOLD_WAL_FRAMES = 4000;

/**
 * The background thread: its own connection to the same file. It runs a PASSIVE checkpoint
 * (which never blocks writers) and compacts plan logs, each on request, so merging a
 * large plan never holds the event loop: it reads and merges without a lock, adds the merged
 * row in one short IMMEDIATE transaction, then deletes the rows it read a chunk at a time.
 * Plain CommonJS evaluated as a worker, so it needs no TypeScript loader; it mirrors
 * mergeThroughDoc and compactSync below (which, for tools that own the file, does it all in
 * one transaction).
 */
const BACKGROUND_WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: 5000 });
try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
parentPort.postMessage({ type: 'ready' });
let Y;
// Rows deleted per transaction after a compaction (500: ~0.4 ms of write lock here), and the
// pause between two, longer than SQLite's first wait (1 ms) for a writer that found it taken.
const DELETE_CHUNK = workerData.deleteRows;
const DELETE_PAUSE_MS = 2;
const pause = new Int32Array(new SharedArrayBuffer(4));
function compact(planId, maxRows) {
  Y ??= require(workerData.yjs);
  // One row at a time: a long log (tens of thousands of rows) is never all in memory at once.
  const doc = new Y.Doc({ gc: true });
  let read = 0, dropped = 0, last = 0;
  for (const row of db.prepare('SELECT seq, data FROM updates WHERE plan_id = ? ORDER BY seq LIMIT ?').iterate(planId, maxRows)) {
    read += 1;
    last = row.seq;
    try { Y.decodeUpdate(row.data); Y.applyUpdate(doc, row.data); } catch { dropped += 1; }
  }
  if (read < 2) { doc.destroy(); return { merged: 0, dropped: 0 }; }
  const state = Buffer.from(Y.encodeStateAsUpdate(doc));
  doc.destroy();
  const added = db.transaction(() => {
    // Only this thread deletes rows, and new rows get higher seqs: the rows read are all there.
    const n = db.prepare('SELECT count(*) AS n FROM updates WHERE plan_id = ? AND seq <= ?').get(planId, last).n;
    if (n !== read) return false;
    db.prepare('INSERT INTO updates (plan_id, data) VALUES (?, ?)').run(planId, state);
    db.prepare('UPDATE plans SET updated_at = ? WHERE id = ?').run(Date.now(), planId);
    return true;
  }).immediate();
  if (!added) return { merged: 0, dropped: 0 };
  // The merged row is in; the rows it holds go a chunk per transaction, with a pause between,
  // so the relay's commits (of any plan) never wait for them all: one transaction deleting
  // 24,000 rows held SQLite's write lock for ~19 ms, and a commit waiting for it blocked the
  // relay's thread. Meanwhile the log holds the merged state and some rows it includes, which
  // load to the same doc (updates are idempotent); a crash leaves them for the next compaction.
  const deleteChunk = db.prepare('DELETE FROM updates WHERE seq IN (SELECT seq FROM updates WHERE plan_id = ? AND seq <= ? ORDER BY seq LIMIT ?)');
  for (let round = 0; round <= read; round++) {
    if (round > 0) Atomics.wait(pause, 0, 0, DELETE_PAUSE_MS);
    try {
      const { changes } = deleteChunk.run(planId, last, DELETE_CHUNK);
      if (DELETE_CHUNK < 0 || changes < DELETE_CHUNK) break;
    } catch { break; }
  }
  return { merged: read, dropped };
}
parentPort.on('message', (m) => {
  if (m.type === 'checkpoint') {
    let log = 0, checkpointed = 0;
    try { ({ log, checkpointed } = db.pragma('wal_checkpoint(PASSIVE)')[0]); } catch {}
    // All of it copied: the next write starts the WAL over, and SQLite fsyncs the new header
    // in that write. Make it here (the schema version, rewritten as it is), not in the relay's
    // next commit. Only when asked: while commits go on, this write could hold one up.
    if (m.restart && log > 0 && log === checkpointed) {
      try {
        db.transaction(() => {
          db.pragma('user_version = ' + Number(db.pragma('user_version', { simple: true })));
        }).immediate();
      } catch {}
    }
    parentPort.postMessage({ type: 'checkpointed', log, checkpointed });
    return;
  }
  if (m.type === 'compact') {
    try {
      parentPort.postMessage({ type: 'compacted', id: m.id, result: compact(m.planId, m.maxRows) });
    } catch (error) {
      parentPort.postMessage({ type: 'compacted', id: m.id, error: String(error && error.message) });
    }
    return;
  }
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
  db.close();
  parentPort.close();
});
`;

type WorkerReply =
  | { readonly type: 'ready' }
  | { readonly type: 'checkpointed'; readonly log: number; readonly checkpointed: number }
  | {
      readonly type: 'compacted';
      readonly id: number;
      readonly result?: CompactResult;
      readonly error?: string;
    };

/** The database file name inside the data dir. */
export const DB_FILE = 'qingdan.db';
const SCHEMA_VERSION = 1;
const DEFAULT_COMPACT_ROWS = 2000;
const DEFAULT_DELETE_ROWS = 500;

interface UpdateRow {
  seq: number;
  data: Buffer;
}

function toBuffer(update: Uint8Array): Buffer {
  return Buffer.isBuffer(update)
    ? update
    : Buffer.from(update.buffer, update.byteOffset, update.byteLength);
}

function classify(error: unknown): WriteResult {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code === 'string') {
    if (code === 'SQLITE_FULL') return { ok: false, code: 'disk_full', message };
    if (code.startsWith('SQLITE_READONLY')) return { ok: false, code: 'read_only', message };
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
      return { ok: false, code: 'busy', message };
    if (code.startsWith('SQLITE_')) return { ok: false, code: 'io', message };
  }
  // Not a SQLite error: a programmer error (STYLE §6), rethrow it.
  throw error;
}

/**
 * Merges updates through a Y.Doc rather than Y.mergeUpdates: the doc garbage-collects deleted
 * content, so a year of edits compacts to the size of what is left. An update that does not
 * apply is skipped and counted, so one bad row can never make a whole plan unreadable.
 */
export function mergeThroughDoc(updates: readonly Uint8Array[]): {
  state: Uint8Array;
  dropped: number;
} {
  const doc = new Y.Doc({ gc: true });
  let dropped = 0;
  try {
    for (const update of updates) {
      try {
        Y.decodeUpdate(update);
        Y.applyUpdate(doc, update);
      } catch {
        dropped += 1;
      }
    }
    return { state: Y.encodeStateAsUpdate(doc), dropped };
  } finally {
    doc.destroy();
  }
}

/** The embedded store: one SQLite database in the data dir. */
export class SqliteStore implements Store {
  /** Absolute path of the database file. */
  readonly file: string;
  private readonly _db: Database.Database;
  private readonly _stmts: {
    hasPlan: Database.Statement<[string], { one: number }>;
    listPlans: Database.Statement<
      [],
      { id: string; created_at: number; updated_at: number; log_length: number }
    >;
    loadUpdates: Database.Statement<[string], UpdateRow>;
    oldestUpdates: Database.Statement<[string, number], UpdateRow>;
    upsertPlan: Database.Statement<[string, number, number]>;
    touchPlan: Database.Statement<[number, string]>;
    insertPlan: Database.Statement<[string, number, number]>;
    insertUpdate: Database.Statement<[string, Buffer]>;
    deleteUpTo: Database.Statement<[string, number]>;
    logLength: Database.Statement<[string], { n: number }>;
  };
  private readonly _appendTx: (updates: readonly PlanUpdate[]) => void;
  /**
   * Plans whose row is known to be in the database. Plans are never deleted, so appending to
   * one of these needs no upsert of its row, and one update needs no transaction of its own.
   */
  private readonly _knownPlans = new Set<string>();
  /** Commits since the last checkpoint request (with the checkpoint thread only). */
  private _uncheckpointed = 0;
  private _checkpointing = false;
  /** Fires once commits have stopped for `_checkpointIdleMs`. */
  private _idleCheckpoint: NodeJS.Timeout | undefined;
  private readonly _checkpointIdleMs: number;
  /** Frames in the WAL when the last checkpoint began (0 once commits have waited for one). */
  private _walFrames = 0;
  /** Resolved at the checkpoint thread's next reply (or its exit). */
  private readonly _checkpointWaiters: (() => void)[] = [];
  /** While commits wait for a checkpoint with none behind it. */
  private _holding: Promise<void> | undefined;
  private _checkpointer: Worker | undefined;
  /** The background thread while it runs (compactions go there). */
  private _worker: Worker | undefined;
  private readonly _compactions = new Map<
    number,
    { resolve: (r: CompactResult) => void; reject: (e: Error) => void }
  >();
  private _lastCompactionId = 0;
  private _ready: Promise<void> = Promise.resolve();
  private _closed = false;

  constructor(dir: string, options: SqliteStoreOptions = {}) {
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, DB_FILE);
    this._checkpointIdleMs = options.checkpointIdleMs ?? DEFAULT_CHECKPOINT_IDLE_MS;
    this._db = new Database(this.file, { timeout: options.busyTimeoutMs ?? 5000 });
    // WAL: readers never block the writer, and a killed process leaves a log SQLite replays on
    // the next open. NORMAL syncs at checkpoints only, which survives a killed process; FULL
    // syncs every commit, which also survives a power loss.
    this._db.pragma('journal_mode = WAL');
    this._db.pragma(`synchronous = ${options.durability === 'full' ? 'FULL' : 'NORMAL'}`);
    this._migrate();
    if (options.maxBytes !== undefined) this.setMaxBytes(options.maxBytes);
    if (options.backgroundCheckpoint === true) {
      const deleteRows = options.compactDeleteRows ?? DEFAULT_DELETE_ROWS;
      this._db.pragma('wal_autocheckpoint = 0');
      this._checkpointer = new Worker(BACKGROUND_WORKER, {
        eval: true,
        workerData: {
          driver: createRequire(import.meta.url).resolve('better-sqlite3'),
          yjs: createRequire(import.meta.url).resolve('yjs'),
          file: this.file,
          // -1: no LIMIT in SQLite.
          deleteRows: Number.isFinite(deleteRows) ? Math.max(1, Math.floor(deleteRows)) : -1,
        },
      });
      const worker = this._checkpointer;
      this._worker = worker;
      worker.on('message', (message: WorkerReply) => {
        if (message.type === 'checkpointed') {
          this._checkpointing = false;
          // The WAL's length in frames when the checkpoint began: small when commits start it
          // over after checkpoints, growing when they never find it all copied.
          this._walFrames = message.log;
          for (const resolve of this._checkpointWaiters.splice(0)) resolve();
          // Commits that came in meanwhile wait for the next commit or for quiet.
          if (this._uncheckpointed > 0) this._idleCheckpoint?.refresh();
          return;
        }
        if (message.type !== 'compacted') return;
        const pending = this._compactions.get(message.id);
        this._compactions.delete(message.id);
        if (message.error !== undefined) pending?.reject(new Error(message.error));
        else if (message.result !== undefined) pending?.resolve(message.result);
      });
      worker.on('exit', () => {
        // Without the thread, SQLite checkpoints on the committing thread again, as it does
        // by default, rather than let the WAL grow.
        if (!this._closed) this._db.pragma('wal_autocheckpoint = 1000');
        this._walFrames = 0;
        for (const resolve of this._checkpointWaiters.splice(0)) resolve();
        for (const pending of this._compactions.values()) {
          pending.reject(new Error('the background thread stopped'));
        }
        this._compactions.clear();
        this._worker = undefined;
      });
      this._ready = new Promise<void>((resolve) => {
        worker.once('message', () => resolve());
        // A failing checkpoint thread must not take the relay down: SQLite then checkpoints
        // on the committing thread (see the 'exit' handler).
        worker.once('error', () => resolve());
        worker.once('exit', () => resolve());
      });
      worker.on('error', () => undefined);
      // Ref'd until it is ready (someone may be awaiting that), then it must not keep the
      // process alive on its own.
      void this._ready.then(() => worker.unref());
    }
    this._stmts = {
      hasPlan: this._db.prepare('SELECT 1 AS one FROM plans WHERE id = ?'),
      listPlans: this._db.prepare(
        `SELECT p.id, p.created_at, p.updated_at,
                (SELECT count(*) FROM updates u WHERE u.plan_id = p.id) AS log_length
           FROM plans p ORDER BY p.id`,
      ),
      loadUpdates: this._db.prepare('SELECT seq, data FROM updates WHERE plan_id = ? ORDER BY seq'),
      oldestUpdates: this._db.prepare(
        'SELECT seq, data FROM updates WHERE plan_id = ? ORDER BY seq LIMIT ?',
      ),
      // Not an upsert of updated_at: rewriting the plan row on every commit would cost a
      // page per commit. updated_at moves when the log is compacted.
      upsertPlan: this._db.prepare(
        'INSERT INTO plans (id, created_at, updated_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      ),
      touchPlan: this._db.prepare('UPDATE plans SET updated_at = ? WHERE id = ?'),
      insertPlan: this._db.prepare(
        'INSERT INTO plans (id, created_at, updated_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      ),
      insertUpdate: this._db.prepare('INSERT INTO updates (plan_id, data) VALUES (?, ?)'),
      deleteUpTo: this._db.prepare('DELETE FROM updates WHERE plan_id = ? AND seq <= ?'),
      logLength: this._db.prepare('SELECT count(*) AS n FROM updates WHERE plan_id = ?'),
    };
    this._appendTx = this._db.transaction((updates: readonly PlanUpdate[]) => {
      const now = Date.now();
      let lastPlan: string | undefined;
      for (const { planId, update } of updates) {
        if (planId !== lastPlan && !this._knownPlans.has(planId)) {
          this._stmts.upsertPlan.run(planId, now, now);
          lastPlan = planId;
        }
        this._stmts.insertUpdate.run(planId, toBuffer(update));
      }
    });
  }

  private _migrate(): void {
    const version = this._db.pragma('user_version', { simple: true }) as number;
    if (version >= SCHEMA_VERSION) return;
    this._db.exec(`
      BEGIN IMMEDIATE;
      CREATE TABLE IF NOT EXISTS plans (
        id TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE IF NOT EXISTS updates (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        plan_id TEXT NOT NULL REFERENCES plans (id),
        data BLOB NOT NULL
      ) STRICT;
      CREATE INDEX IF NOT EXISTS updates_by_plan ON updates (plan_id, seq);
      PRAGMA user_version = ${SCHEMA_VERSION};
      COMMIT;
    `);
  }

  /** Counts a commit for the checkpoint thread, and asks for a checkpoint when it is time. */
  private _noteCommit(): void {
    if (this._worker === undefined) return;
    this._uncheckpointed += 1;
    if (this._uncheckpointed >= CHECKPOINT_EVERY_COMMITS) {
      this._requestCheckpoint(true);
      return;
    }
    this._idleCheckpoint ??= setTimeout(
      () => this._requestCheckpoint(false),
      this._checkpointIdleMs,
    );
    this._idleCheckpoint.unref();
    this._idleCheckpoint.refresh();
  }

  /**
   * Asks the thread to checkpoint the WAL (one request at a time). `afterTurn`: once this
   * event-loop turn is over, so whoever has just committed relays first.
   */
  private _requestCheckpoint(afterTurn: boolean): void {
    if (this._worker === undefined || this._closed || this._checkpointing) return;
    if (this._uncheckpointed === 0) return;
    if (afterTurn) {
      // Marked now, so no second request goes out meanwhile.
      this._checkpointing = true;
      setImmediate(() => this._postCheckpoint(false));
    } else {
      // Commits have stopped: the thread also starts the WAL over (see BACKGROUND_WORKER), so
      // the first edit after a pause does not wait for the new WAL header's fsync.
      this._postCheckpoint(true);
    }
  }

  /**
   * Sends the thread one checkpoint request; its reply clears `_checkpointing`. `restart`:
   * the thread also starts the WAL over, for when no commit is expected before its reply.
   */
  private _postCheckpoint(restart: boolean): void {
    const worker = this._worker;
    if (worker === undefined || this._closed) return;
    this._checkpointing = true;
    this._uncheckpointed = 0;
    worker.postMessage({ type: 'checkpoint', restart });
  }

  /**
   * Resolves at the thread's next reply (or its exit). Someone waits on it, so the thread
   * keeps the process alive meanwhile.
   */
  private _nextCheckpointReply(): Promise<void> {
    const worker = this._worker;
    if (worker === undefined) return Promise.resolve();
    worker.ref();
    return new Promise<void>((resolve) => this._checkpointWaiters.push(resolve)).finally(() => {
      // close() refs the thread until it has exited: leave that to it.
      if (!this._closed) worker.unref();
    });
  }

  /** Resolves once the checkpoint thread (if any) has opened the database. */
  whenReady(): Promise<void> {
    return this._ready;
  }

  /**
   * Caps the database size. SQLite rounds to whole pages and never shrinks below the current
   * size; the cap holds for this connection only (it is not stored in the file).
   */
  setMaxBytes(maxBytes: number): void {
    const pageSize = this._db.pragma('page_size', { simple: true }) as number;
    const pages = Math.max(1, Math.floor(maxBytes / pageSize));
    this._db.pragma(`max_page_count = ${pages}`);
  }

  hasPlan(planId: string): Promise<boolean> {
    return Promise.resolve(this.hasPlanSync(planId));
  }

  /** Synchronous form of {@link hasPlan}, for callers that own the store. */
  hasPlanSync(planId: string): boolean {
    const found = this._stmts.hasPlan.get(planId) !== undefined;
    if (found) this._knownPlans.add(planId);
    return found;
  }

  listPlans(): Promise<PlanInfo[]> {
    return Promise.resolve(
      this._stmts.listPlans.all().map((row) => ({
        id: row.id,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
        logLength: row.log_length,
      })),
    );
  }

  loadUpdates(planId: string): Promise<Uint8Array[]> {
    return Promise.resolve(this.loadUpdatesSync(planId));
  }

  /** Synchronous form of {@link loadUpdates}. */
  loadUpdatesSync(planId: string): Uint8Array[] {
    const rows = this._stmts.loadUpdates.all(planId);
    // A row is only ever written together with its plan's row.
    if (rows.length > 0) this._knownPlans.add(planId);
    return rows.map((row) => new Uint8Array(row.data));
  }

  loadState(planId: string): Promise<Uint8Array | null> {
    const updates = this.loadUpdatesSync(planId);
    if (updates.length === 0) return Promise.resolve(null);
    return Promise.resolve(mergeThroughDoc(updates).state);
  }

  appendUpdate(planId: string, update: Uint8Array): Promise<WriteResult> {
    return this.appendUpdates([{ planId, update }]);
  }

  appendUpdates(updates: readonly PlanUpdate[]): Promise<WriteResult> {
    if (this._walFrames >= HOLD_WAL_FRAMES && this._worker !== undefined && !this._closed) {
      return this._checkpointWithoutCommits().then(() => this.appendUpdatesSync(updates));
    }
    return Promise.resolve(this.appendUpdatesSync(updates));
  }

  /** Runs one checkpoint while no commit goes in (see HOLD_WAL_FRAMES); callers wait for it. */
  private _checkpointWithoutCommits(): Promise<void> {
    this._holding ??= (async () => {
      // One under way began while commits were going on: let it finish first.
      if (this._checkpointing) await this._nextCheckpointReply();
      if (this._worker === undefined || this._closed) return;
      const replied = this._nextCheckpointReply();
      // The commit waits for the reply, so the thread can start the WAL over meanwhile.
      this._postCheckpoint(true);
      await replied;
    })().finally(() => {
      this._holding = undefined;
      // Even if a reader elsewhere kept it from copying everything: at most one pause per
      // checkpoint report, never a pause per commit.
      this._walFrames = 0;
    });
    return this._holding;
  }

  /** Synchronous form of {@link appendUpdates}. */
  appendUpdatesSync(updates: readonly PlanUpdate[]): WriteResult {
    if (updates.length === 0) return { ok: true };
    try {
      const only = updates.length === 1 ? updates[0] : undefined;
      if (only !== undefined && this._knownPlans.has(only.planId)) {
        // The common turn, one edit to an open plan: one statement is its own transaction,
        // which saves the BEGIN and COMMIT round trips and the plan lookup.
        this._stmts.insertUpdate.run(only.planId, toBuffer(only.update));
      } else {
        this._appendTx(updates);
        for (const { planId } of updates) this._knownPlans.add(planId);
      }
      this._noteCommit();
      return { ok: true };
    } catch (error) {
      return classify(error);
    }
  }

  createPlan(
    planId: string,
    state: Uint8Array,
  ): Promise<
    WriteResult | { readonly ok: false; readonly code: 'exists'; readonly message: string }
  > {
    try {
      const created = this._db
        .transaction(() => {
          const now = Date.now();
          if (this._stmts.insertPlan.run(planId, now, now).changes === 0) return false;
          this._stmts.insertUpdate.run(planId, toBuffer(state));
          return true;
        })
        .immediate();
      if (created) {
        this._knownPlans.add(planId);
        this._noteCommit();
      }
      return Promise.resolve(
        created
          ? { ok: true as const }
          : { ok: false as const, code: 'exists' as const, message: `plan ${planId} exists` },
      );
    } catch (error) {
      return Promise.resolve(classify(error));
    }
  }

  compact(planId: string, maxRows = DEFAULT_COMPACT_ROWS): Promise<CompactResult> {
    const worker = this._worker;
    if (worker === undefined || this._closed) {
      return Promise.resolve(this.compactSync(planId, maxRows));
    }
    this._lastCompactionId += 1;
    const id = this._lastCompactionId;
    return new Promise<CompactResult>((resolve, reject) => {
      this._compactions.set(id, { resolve, reject });
      worker.postMessage({ type: 'compact', id, planId, maxRows });
    });
  }

  /**
   * Synchronous form of {@link compact}. Reads, merges and replaces inside one IMMEDIATE
   * transaction, so a concurrent writer (another process) cannot slip a row in between, and
   * only rows that were read are deleted. `maxRows` bounds how long it holds the thread.
   */
  compactSync(planId: string, maxRows = DEFAULT_COMPACT_ROWS): CompactResult {
    return this._db
      .transaction((): CompactResult => {
        const rows = this._stmts.oldestUpdates.all(planId, maxRows);
        const last = rows.at(-1);
        if (rows.length < 2 || last === undefined) return { merged: 0, dropped: 0 };
        const { state, dropped } = mergeThroughDoc(rows.map((row) => new Uint8Array(row.data)));
        this._stmts.deleteUpTo.run(planId, last.seq);
        this._stmts.insertUpdate.run(planId, toBuffer(state));
        this._stmts.touchPlan.run(Date.now(), planId);
        return { merged: rows.length, dropped };
      })
      .immediate();
  }

  logLength(planId: string): Promise<number> {
    return Promise.resolve(this._stmts.logLength.get(planId)?.n ?? 0);
  }

  async close(): Promise<void> {
    if (this._closed) return;
    this._closed = true;
    clearTimeout(this._idleCheckpoint);
    const checkpointer = this._checkpointer;
    if (checkpointer !== undefined) {
      const exited = new Promise<void>((resolve) => checkpointer.once('exit', () => resolve()));
      // Unref'd while running; ref'd now, or nothing would keep the process alive to see it exit.
      checkpointer.ref();
      checkpointer.postMessage({ type: 'close' });
      await exited;
    }
    this._db.close();
  }
}

/** Opens (creating if needed) the store in `dir`. A dir left by a killed relay opens cleanly. */
export function openStore(dir: string, options: SqliteStoreOptions = {}): SqliteStore {
  return new SqliteStore(dir, options);
}
