// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addTask, createPlan, readPlan, updateTask } from '../../shared/index.ts';
import { PlanSession } from '../../client/plan-session.ts';

const me = { name: '张三', branch: '机关党支部' };

describe('PlanSession', () => {
  it('undoes this user’s edits only, one gesture at a time', async () => {
    const s = new PlanSession('session-undo', me);
    await s.open({ connect: false });
    const id = s.edit((o) => {
      createPlan(s.doc, { title: '清单' }, o);
      return addTask(s.doc, null, { title: '甲' }, {}, o);
    }) as string;
    s.edit((o) => updateTask(s.doc, id, { title: '甲乙' }, o));

    // Someone else's edit arrives from the relay.
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(s.doc));
    updateTask(other, id, { status: 'done' });
    Y.applyUpdate(s.doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(s.doc)), 'relay');

    s.undo.undo();
    const task = readPlan(s.doc).tasks[0];
    expect(task?.title).toBe('甲');
    expect(task?.status).toBe('done');
    await s.dispose();
  });

  it('says when the browser cannot store anything, and still opens the plan', async () => {
    const idb = globalThis.indexedDB;
    Object.defineProperty(globalThis, 'indexedDB', { value: undefined, configurable: true });
    try {
      const s = new PlanSession('session-no-idb', me);
      expect(s.storageProblem).toBe('unavailable');
      await s.open({ connect: false });
      s.edit((o) => createPlan(s.doc, { title: '仅在内存' }, o));
      expect(readPlan(s.doc).title).toBe('仅在内存');
      await s.dispose();
    } finally {
      Object.defineProperty(globalThis, 'indexedDB', { value: idb, configurable: true });
    }
  });

  it('publishes name, branch and the task being edited through awareness', async () => {
    const s = new PlanSession('session-presence', me);
    await s.open({ connect: false });
    s.setEditing('t1');
    expect(s.awareness.getLocalState()).toMatchObject({
      user: { name: '张三', branch: '机关党支部' },
      editing: 't1',
    });
    await s.dispose();
    expect(s.awareness.getLocalState()).toBeNull();
  });
});
