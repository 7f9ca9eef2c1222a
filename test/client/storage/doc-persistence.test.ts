// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { addTask, createPlan, readPlan, updateTask, FROM_STORAGE } from '../../../shared/index.ts';
import {
  loadDocState,
  persistDoc,
  saveDocState,
  storedBytes,
} from '../../../client/storage/doc-persistence.ts';
import { storageProblem } from '../../../client/storage/errors.ts';

// Each test uses its own plan id: deleting databases would block on idb-keyval's open
// connections.

async function reopen(planId: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  const p = persistDoc(doc, planId);
  await p.whenLoaded;
  await p.dispose();
  return doc;
}

describe('persistDoc', () => {
  it('saves local edits and loads them into a fresh document', async () => {
    const doc = new Y.Doc();
    const p = persistDoc(doc, 'p1', { delayMs: 5 });
    await p.whenLoaded;
    createPlan(doc, { title: '年度清单' });
    const id = addTask(doc, null, { title: '加强理论武装' });
    await expect.poll(async () => (await loadDocState('p1')) !== null).toBe(true);
    await p.dispose();
    const again = await reopen('p1');
    expect(readPlan(again).tasks.map((t) => [t.id, t.title])).toEqual([[id, '加强理论武装']]);
  });

  it('writes what is pending at once on flush', async () => {
    const doc = new Y.Doc();
    const p = persistDoc(doc, 'p2', { delayMs: 60_000 });
    await p.whenLoaded;
    createPlan(doc, { title: '立即保存' });
    await p.flush();
    expect(readPlan(await reopen('p2')).title).toBe('立即保存');
    await p.dispose();
  });

  it('never writes back what it loaded from storage', async () => {
    const seed = new Y.Doc();
    createPlan(seed, { title: '已存' });
    await saveDocState('p3', seed);
    const before = await loadDocState('p3');
    const doc = new Y.Doc();
    const writes: unknown[] = [];
    doc.on('update', (_u: Uint8Array, origin: unknown) => writes.push(origin));
    const p = persistDoc(doc, 'p3', { delayMs: 1 });
    await p.whenLoaded;
    await p.dispose();
    expect(writes).toEqual([FROM_STORAGE]);
    expect(await loadDocState('p3')).toEqual(before);
  });

  it('keeps the edits of two tabs that write the same plan', async () => {
    const seed = new Y.Doc();
    createPlan(seed, { title: '两个标签页' });
    await saveDocState('p4', seed);
    const [a, b] = [new Y.Doc(), new Y.Doc()];
    const pa = persistDoc(a, 'p4', { delayMs: 1 });
    const pb = persistDoc(b, 'p4', { delayMs: 1 });
    await Promise.all([pa.whenLoaded, pb.whenLoaded]);
    addTask(a, null, { id: 'ta', title: '甲页' });
    addTask(b, null, { id: 'tb', title: '乙页' });
    await Promise.all([pa.flush(), pb.flush()]);
    await pa.compact();
    await Promise.all([pa.dispose(), pb.dispose()]);
    const titles = readPlan(await reopen('p4'))
      .tasks.map((t) => t.title)
      .sort();
    expect(titles).toEqual(['乙页', '甲页']);
  });

  it('compacts to the size of the plan, not of its history, once the editing pauses', async () => {
    // Only the persistence's own timers are faked; fake-indexeddb runs on setImmediate.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const doc = new Y.Doc();
      const p = persistDoc(doc, 'p5', { delayMs: 1 });
      await p.whenLoaded;
      createPlan(doc, { title: '压缩' });
      const id = addTask(doc, null, { title: '' });
      // Each edit replaces 200 characters: 300 of them make ~180 KB of history, typed with
      // 100 ms between edits, never pausing.
      let history = 0;
      doc.on('update', (u: Uint8Array) => (history += u.byteLength));
      for (let i = 0; i < 300; i += 1) {
        updateTask(doc, id, { title: (i % 2 === 0 ? '甲' : '乙').repeat(200) });
        await p.flush();
        vi.advanceTimersByTime(100);
      }
      expect(history).toBeGreaterThan(150_000);
      // Compacting re-encodes the whole plan, a stall typing would feel: not while typing.
      expect(await storedBytes('p5')).toBeGreaterThan(history / 2);
      // A pause: the due compaction runs (flush waits for the writes queued before it).
      vi.advanceTimersByTime(2000);
      await p.flush();
      expect(await storedBytes('p5')).toBeLessThanOrEqual(Y.encodeStateAsUpdate(doc).byteLength);
      await p.dispose();
      expect(readPlan(await reopen('p5')).tasks[0]?.title).toBe(readPlan(doc).tasks[0]?.title);
    } finally {
      vi.useRealTimers();
    }
  });

  it('compacts at once when the editing never pauses, so what is stored stays bounded', async () => {
    const doc = new Y.Doc();
    const p = persistDoc(doc, 'p5b', { delayMs: 1, compactQuietMs: 60_000 });
    await p.whenLoaded;
    createPlan(doc, { title: '不停地改' });
    const id = addTask(doc, null, { title: '' });
    let history = 0;
    doc.on('update', (u: Uint8Array) => (history += u.byteLength));
    for (let i = 0; i < 2100; i += 1) {
      updateTask(doc, id, { title: `第${i}稿` });
      await p.flush();
    }
    expect(await storedBytes('p5b')).toBeLessThan(history / 4);
    await p.dispose();
    expect(readPlan(await reopen('p5b')).tasks[0]?.title).toBe('第2099稿');
  });

  it('is disposed idempotently and stops saving', async () => {
    const doc = new Y.Doc();
    const p = persistDoc(doc, 'p6', { delayMs: 1 });
    await p.whenLoaded;
    await p.dispose();
    await p.dispose();
    createPlan(doc, { title: '不应保存' });
    await new Promise((r) => setTimeout(r, 0));
    expect(await loadDocState('p6')).toBeNull();
  });
});

describe('storageProblem', () => {
  it('tells a full disk from unavailable storage', () => {
    expect(storageProblem(new DOMException('full', 'QuotaExceededError'))).toBe('quota');
    expect(storageProblem(new DOMException('nope', 'InvalidStateError'))).toBe('unavailable');
    expect(storageProblem(new Error('x'))).toBe('unavailable');
  });
});

describe('storage problems', () => {
  it('reports a full disk when a write fails with QuotaExceededError', async () => {
    const doc = new Y.Doc();
    const problems: string[] = [];
    const p = persistDoc(doc, 'p7', { delayMs: 1, onProblem: (problem) => problems.push(problem) });
    await p.whenLoaded;
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function () {
      throw new DOMException('full', 'QuotaExceededError');
    };
    try {
      createPlan(doc, { title: '满了' });
      await p.flush();
    } finally {
      IDBObjectStore.prototype.put = put;
    }
    expect(problems).toEqual(['quota']);
    await p.dispose();
  });
});
