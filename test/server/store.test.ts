import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import {
  DB_FILE,
  openStore,
  type SqliteStore,
  type SqliteStoreOptions,
} from '../../server/store.ts';
import { eventually } from '../helpers/eventually.ts';
import { REPO_ROOT, makeTempDir, removeDir } from '../helpers/relay.ts';

let dir: string;
let store: SqliteStore;

beforeEach(() => {
  dir = makeTempDir();
  store = openStore(dir);
});

afterEach(async () => {
  await store.close();
  removeDir(dir);
});

function edit(doc: Y.Doc, f: () => void): Uint8Array {
  const updates: Uint8Array[] = [];
  const onUpdate = (u: Uint8Array): void => {
    updates.push(u);
  };
  doc.on('update', onUpdate);
  f();
  doc.off('update', onUpdate);
  return Y.mergeUpdates(updates);
}

function read(state: Uint8Array | null): unknown {
  const doc = new Y.Doc();
  if (state !== null) Y.applyUpdate(doc, state);
  return doc.getMap('tasks').toJSON();
}

describe('SqliteStore', () => {
  test('appends, loads the merged state, lists and knows its plans', async () => {
    const doc = new Y.Doc();
    expect(await store.hasPlan('p')).toBe(false);
    expect(await store.loadState('p')).toBeNull();
    expect(
      (
        await store.appendUpdate(
          'p',
          edit(doc, () => doc.getMap('tasks').set('a', 1)),
        )
      ).ok,
    ).toBe(true);
    expect(
      (
        await store.appendUpdates([
          { planId: 'p', update: edit(doc, () => doc.getMap('tasks').set('b', 2)) },
          { planId: 'q', update: edit(new Y.Doc(), () => undefined) },
        ])
      ).ok,
    ).toBe(true);
    expect(await store.hasPlan('p')).toBe(true);
    expect(read(await store.loadState('p'))).toEqual({ a: 1, b: 2 });
    expect((await store.listPlans()).map((p) => [p.id, p.logLength])).toEqual([
      ['p', 2],
      ['q', 1],
    ]);
    expect(readdirSync(dir).every((f) => f.startsWith(DB_FILE))).toBe(true);
  });

  test('createPlan refuses a plan that exists', async () => {
    const doc = new Y.Doc();
    const state = edit(doc, () => doc.getMap('tasks').set('a', 1));
    expect(await store.createPlan('new', state)).toEqual({ ok: true });
    expect((await store.createPlan('new', state)).ok).toBe(false);
    expect(read(await store.loadState('new'))).toEqual({ a: 1 });
  });

  test('compaction merges the log into one row without changing the state, and drops deleted content', async () => {
    const doc = new Y.Doc();
    for (let i = 0; i < 200; i++) {
      await store.appendUpdate(
        'c',
        edit(doc, () => doc.getMap('tasks').set(`k${i % 20}`, 'x'.repeat(100) + i)),
      );
    }
    const before = read(await store.loadState('c'));
    const sizeBefore = (await store.loadUpdates('c')).reduce((n, u) => n + u.length, 0);
    expect(await store.compact('c')).toEqual({ merged: 200, dropped: 0 });
    expect(await store.logLength('c')).toBe(1);
    expect(read(await store.loadState('c'))).toEqual(before);
    const sizeAfter = (await store.loadUpdates('c'))[0]!.length;
    expect(sizeAfter).toBeLessThan(sizeBefore / 5);
  });

  test('a second process can use the store while this one has it open (WAL)', async () => {
    const doc = new Y.Doc();
    await store.appendUpdate(
      'shared',
      edit(doc, () => doc.getMap('tasks').set('mine', 1)),
    );
    const script = `
      import { openStore } from './server/store.ts';
      import * as Y from 'yjs';
      const store = openStore(${JSON.stringify(dir)});
      const doc = new Y.Doc();
      doc.getMap('tasks').set('theirs', 2);
      const r = await store.createPlan('other', Y.encodeStateAsUpdate(doc));
      const s = await store.appendUpdate('shared', Y.encodeStateAsUpdate(doc));
      await store.close();
      process.exitCode = r.ok && s.ok ? 0 : 1;
    `;
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        cwd: REPO_ROOT,
        encoding: 'utf8',
      },
    );
    expect(run.status, run.stderr).toBe(0);
    expect(read(await store.loadState('shared'))).toEqual({ mine: 1, theirs: 2 });
    expect(await store.hasPlan('other')).toBe(true);
  });

  test('a data dir left by a killed writer opens cleanly with every commit in it', async () => {
    await store.close();
    const script = `
      import { openStore } from './server/store.ts';
      import * as Y from 'yjs';
      const store = openStore(${JSON.stringify(dir)});
      const doc = new Y.Doc();
      for (let i = 0; i < 100; i++) { doc.getMap('tasks').set('k' + i, i); }
      await store.appendUpdate('killed', Y.encodeStateAsUpdate(doc));
      process.kill(process.pid, 'SIGKILL');
    `;
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        cwd: REPO_ROOT,
        encoding: 'utf8',
      },
    );
    expect(run.signal).toBe('SIGKILL');
    expect(existsSync(`${dir}/${DB_FILE}-wal`)).toBe(true);
    store = openStore(dir);
    expect(Object.keys(read(await store.loadState('killed')) as object)).toHaveLength(100);
  });

  test('a write past the size cap fails as disk_full and the store keeps reading', async () => {
    store.setMaxBytes(128 * 1024);
    const doc = new Y.Doc();
    await store.appendUpdate(
      'f',
      edit(doc, () => doc.getMap('tasks').set('small', 1)),
    );
    const big = edit(doc, () => doc.getMap('tasks').set('big', 'x'.repeat(512 * 1024)));
    const result = await store.appendUpdate('f', big);
    expect(result).toMatchObject({ ok: false, code: 'disk_full' });
    expect(read(await store.loadState('f'))).toEqual({ small: 1 });
    store.setMaxBytes(64 * 1024 * 1024);
    expect((await store.appendUpdate('f', big)).ok).toBe(true);
  });

  test('with the background thread, compaction runs off the event loop with the same result', async () => {
    await reopenWithThread();
    const doc = new Y.Doc();
    for (let i = 0; i < 300; i++) {
      await store.appendUpdate(
        'bg',
        edit(doc, () => doc.getText('t').insert(0, `${i};`)),
      );
    }
    const before = await store.loadState('bg');
    // The event loop keeps turning while the worker merges (a compaction on this thread
    // would resolve before any turn).
    let turns = 0;
    let done = false;
    const spin = (): void => {
      turns += 1;
      if (!done) setImmediate(spin);
    };
    setImmediate(spin);
    const result = await store.compact('bg');
    done = true;
    expect(turns).toBeGreaterThan(0);
    expect(result).toEqual({ merged: 300, dropped: 0 });
    expect(await store.logLength('bg')).toBe(1);
    const a = new Y.Doc();
    Y.applyUpdate(a, before!);
    const b = new Y.Doc();
    Y.applyUpdate(b, (await store.loadState('bg'))!);
    expect(b.getText('t').toString()).toBe(a.getText('t').toString());
    // Rows appended while a compaction runs are kept.
    const compacting = store.compact('bg');
    await store.appendUpdate(
      'bg',
      edit(doc, () => doc.getText('t').insert(0, 'late;')),
    );
    await compacting;
    const c = new Y.Doc();
    Y.applyUpdate(c, (await store.loadState('bg'))!);
    expect(c.getText('t').toString().startsWith('late;')).toBe(true);
  });

  test('with the background thread, a long log is replaced a chunk at a time: loads meanwhile miss no edit, and commits meanwhile are kept', async () => {
    await reopenWithThread();
    const doc = new Y.Doc();
    const rows = 1600;
    const updates: { planId: string; update: Uint8Array }[] = [];
    for (let i = 0; i < rows; i++) {
      updates.push({
        planId: 'long',
        update: edit(doc, () => doc.getMap('tasks').set(`k${i}`, i)),
      });
    }
    expect(store.appendUpdatesSync(updates)).toEqual({ ok: true });
    const expected = read(await store.loadState('long')) as Record<string, number>;
    let done = false;
    const compacting = store.compact('long', rows).finally(() => {
      done = true;
    });
    // Every turn while it runs: what a load reads holds every edit made so far (merging the
    // rows each time would take longer than the compaction: their clocks tell it), and now and
    // then a commit goes in.
    let added = 0;
    for (let turn = 0; turn < 5000 && !done; turn++) {
      expect(clocksCovered(await store.loadUpdates('long'), doc.clientID)).toBe(rows + added);
      if (turn % 2 === 0) {
        expected[`late${added}`] = added;
        const update = edit(doc, () => doc.getMap('tasks').set(`late${added}`, added));
        expect(store.appendUpdatesSync([{ planId: 'long', update }])).toEqual({ ok: true });
        added += 1;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await compacting).toEqual({ merged: rows, dropped: 0 });
    expect(await store.logLength('long')).toBe(1 + added);
    expect(read(await store.loadState('long'))).toEqual(expected);
  });

  test('a log left with the merged state and rows it holds (a compaction stopped half-way) loads whole and compacts again', async () => {
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    for (let i = 0; i < 10; i++) {
      updates.push(edit(doc, () => doc.getMap('tasks').set(`k${i % 4}`, i)));
      await store.appendUpdate('half', updates.at(-1)!);
    }
    const expected = read(await store.loadState('half'));
    // What the thread leaves when it stops after adding the merged row and deleting one chunk.
    await store.appendUpdate('half', Y.encodeStateAsUpdate(doc));
    const db = new Database(join(dir, DB_FILE));
    try {
      db.prepare(
        "DELETE FROM updates WHERE seq IN (SELECT seq FROM updates WHERE plan_id = 'half' ORDER BY seq LIMIT 4)",
      ).run();
    } finally {
      db.close();
    }
    expect(await store.logLength('half')).toBe(7);
    expect(read(await store.loadState('half'))).toEqual(expected);
    expect(await store.compact('half')).toEqual({ merged: 7, dropped: 0 });
    expect(await store.logLength('half')).toBe(1);
    expect(read(await store.loadState('half'))).toEqual(expected);
  });

  test('with the background thread, the WAL reaches the database file once commits stop, and stays small while they go on', async () => {
    await reopenWithThread({ checkpointIdleMs: 100 });
    const doc = new Y.Doc();
    for (let i = 0; i < 5; i++) {
      await store.appendUpdate(
        'quiet',
        edit(doc, () => doc.getMap('tasks').set(`k${i}`, i)),
      );
    }
    // The database file alone (as a copy without its WAL) holds the five commits.
    await eventually(() => expect(rowsInDatabaseFile('quiet')).toBe(5), 5000);

    // 3,000 commits of 1 KiB would leave a WAL of tens of MB if nothing checkpointed it. They
    // come in bursts of 100, as edits do, and the WAL is copied and reused between them.
    const payload = edit(doc, () => doc.getMap('tasks').set('big', 'x'.repeat(1024)));
    for (let i = 1; i <= 3000; i++) {
      await store.appendUpdate('busy', payload);
      if (i % 100 === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(statSync(join(dir, `${DB_FILE}-wal`)).size).toBeLessThan(8 * 1024 * 1024);
    await eventually(() => expect(rowsInDatabaseFile('busy')).toBe(3000), 5000);
  });

  test('with the background thread, the first commit after a pause does not start the WAL over', async () => {
    // Starting the WAL over means an fsync of its new header, which would land on the relay's
    // thread in the commit of the first edit after every pause. The thread does it instead,
    // after the checkpoint that follows the pause: that commit leaves the header as it is.
    await reopenWithThread({ checkpointIdleMs: 50 });
    const doc = new Y.Doc();
    for (let i = 0; i < 3; i++) {
      expect(
        await store.appendUpdate(
          'pause',
          edit(doc, () => doc.getMap('tasks').set(`k${i}`, i)),
        ),
      ).toEqual({ ok: true });
    }
    const written = walHeader();
    // The pause: the checkpoint, then the WAL started over (its checkpoint sequence number,
    // bytes 12–15, moves on).
    const header = await eventually(() => {
      const now = walHeader();
      expect(now.readUInt32BE(12)).toBe(written.readUInt32BE(12) + 1);
      return now;
    }, 5000);
    expect(rowsInDatabaseFile('pause')).toBe(3);
    expect(
      await store.appendUpdate(
        'pause',
        edit(doc, () => doc.getMap('tasks').set('after', true)),
      ),
    ).toEqual({ ok: true });
    expect(walHeader()).toEqual(header);
    expect(read(await store.loadState('pause'))).toEqual({ k0: 0, k1: 1, k2: 2, after: true });
  });

  test('with the background thread, commits without a pause still let the WAL start over', async () => {
    await reopenWithThread();
    const doc = new Y.Doc();
    const payload = edit(doc, () => doc.getMap('tasks').set('big', 'x'.repeat(1024)));
    // One commit per event-loop turn, as a busy relay makes them: a checkpoint running beside
    // them never finds the WAL all copied. 20,000 commits of 1 KiB write ~240 MB of frames.
    for (let i = 0; i < 20_000; i++) {
      expect((await store.appendUpdates([{ planId: `busy${i % 10}`, update: payload }])).ok).toBe(
        true,
      );
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(statSync(join(dir, `${DB_FILE}-wal`)).size).toBeLessThan(48 * 1024 * 1024);
    expect((await store.listPlans()).reduce((n, p) => n + p.logLength, 0)).toBe(20_000);
  });
});

/** How far the rows hold a client's edits without a gap: the clock of its first missing edit. */
function clocksCovered(rows: readonly Uint8Array[], clientId: number): number {
  const ranges = rows
    .map((row) => {
      const { from, to } = Y.parseUpdateMeta(row);
      return [from.get(clientId) ?? 0, to.get(clientId) ?? 0] as const;
    })
    .sort((a, b) => a[0] - b[0]);
  let covered = 0;
  for (const [from, to] of ranges) {
    if (from > covered) break;
    covered = Math.max(covered, to);
  }
  return covered;
}

/** Opens the store again, with the background (checkpoint and compaction) thread. */
async function reopenWithThread(options: SqliteStoreOptions = {}): Promise<void> {
  await store.close();
  store = openStore(dir, { ...options, backgroundCheckpoint: true });
  await store.whenReady();
}

/** The WAL file's 32-byte header. */
function walHeader(): Buffer {
  return readFileSync(join(dir, `${DB_FILE}-wal`)).subarray(0, 32);
}

/** Rows of a plan in a copy of the database file alone, without its WAL. */
function rowsInDatabaseFile(planId: string): number {
  const copy = makeTempDir();
  try {
    copyFileSync(join(dir, DB_FILE), join(copy, DB_FILE));
    const db = new Database(join(copy, DB_FILE));
    try {
      const row = db.prepare('SELECT count(*) AS n FROM updates WHERE plan_id = ?').get(planId) as
        { n: number } | undefined;
      return row?.n ?? 0;
    } finally {
      db.close();
    }
  } finally {
    removeDir(copy);
  }
}
