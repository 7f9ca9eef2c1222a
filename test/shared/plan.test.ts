import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  AppError,
  LOCAL_EDIT,
  addBranch,
  addTask,
  branchesOf,
  createPlan,
  moveTask,
  readBranches,
  readPlan,
  readTask,
  readTrash,
  removeBranch,
  removeTask,
  restoreTask,
  tasksOf,
  updateBranch,
  updatePlan,
  updateTask,
  type TaskNode,
} from '../../shared/index.ts';
import { peer, peers, syncAll } from '../helpers/peers.ts';

const titles = (nodes: readonly TaskNode[]): string[] => nodes.map((n) => n.title);

/** Runs `fn` and asserts it throws an AppError of `code` and leaves the document as it was. */
function expectRefused(doc: Y.Doc, code: AppError['code'], fn: () => unknown): void {
  const before = Y.encodeStateVector(doc);
  const snapshot = readPlan(doc);
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(AppError);
  expect((thrown as AppError).code).toBe(code);
  expect(Y.encodeStateVector(doc)).toEqual(before);
  expect(readPlan(doc)).toEqual(snapshot);
}

describe('createPlan', () => {
  it('sets title and year', () => {
    const doc = peer(1);
    expect(createPlan(doc, { title: '2023年实施意见', year: 2023 })).toBe(true);
    expect(readPlan(doc)).toEqual({ title: '2023年实施意见', year: 2023, branches: [], tasks: [] });
  });

  it('does not reset a plan that arrived from another replica', () => {
    const [a, b] = peers(2) as [Y.Doc, Y.Doc];
    createPlan(a, { title: '原标题', year: 2023 });
    addTask(a, null, { id: 't1', title: '任务' });
    syncAll(a, b);
    expect(createPlan(b, { title: '新标题', year: 2024 })).toBe(false);
    expect(readPlan(b).title).toBe('原标题');
    expect(readPlan(b).year).toBe(2023);
    expect(readPlan(b).tasks).toHaveLength(1);
  });

  it('converges to one plan when two fresh replicas both create it offline', () => {
    const [a, b] = peers(2) as [Y.Doc, Y.Doc];
    createPlan(a, { title: '甲', year: 2023 });
    createPlan(b, { title: '乙', year: 2024 });
    syncAll(a, b);
    expect(readPlan(a)).toEqual(readPlan(b));
    expect(['甲', '乙']).toContain(readPlan(a).title);
    expect(createPlan(a, { title: '丙' })).toBe(false);
  });

  it('refuses a year that is not a whole number', () => {
    const doc = peer(1);
    expectRefused(doc, 'invalid-value', () => createPlan(doc, { title: 'x', year: 20.5 }));
  });

  it('updatePlan changes title and clears the year', () => {
    const doc = peer(1);
    createPlan(doc, { title: 'a', year: 2023 });
    updatePlan(doc, { title: 'b', year: null });
    expect(readPlan(doc)).toMatchObject({ title: 'b', year: null });
  });
});

describe('addTask', () => {
  it('adds tasks in order, last by default, and before/after a sibling', () => {
    const doc = peer(1);
    addTask(doc, null, { id: 'a', title: 'A' });
    addTask(doc, null, { id: 'c', title: 'C' });
    addTask(doc, null, { id: 'b', title: 'B' }, { after: 'a' });
    addTask(doc, null, { id: 'z', title: 'Z' }, { before: 'a' });
    addTask(doc, null, { id: 'm', title: 'M' }, { after: 'b', before: 'c' });
    expect(titles(readPlan(doc).tasks)).toEqual(['Z', 'A', 'B', 'M', 'C']);
  });

  it('stores every field and fills defaults', () => {
    const doc = peer(1);
    const branch = addBranch(doc, { name: '机关党支部' });
    addTask(doc, null, { id: 's', number: '二、', title: '工作要求' });
    const id = addTask(
      doc,
      's',
      {
        number: '一是',
        title: '加强理论武装',
        measures: '深入学习',
        lead: '张局长',
        owners: [branch],
        assignee: '李四',
        deadline: { text: '6月底前', date: '2023-06-30' },
        status: 'doing',
        notes: '已启动',
      },
      {},
      { actor: { name: '王五', at: '2023-03-01T08:00:00.000Z' } },
    );
    const plan = readPlan(doc);
    expect(plan.tasks[0]?.children[0]).toEqual({
      id,
      number: '一是',
      title: '加强理论武装',
      measures: '深入学习',
      lead: '张局长',
      owners: [branch],
      assignee: '李四',
      deadline: { text: '6月底前', date: '2023-06-30' },
      status: 'doing',
      notes: '已启动',
      updatedBy: '王五',
      updatedAt: '2023-03-01T08:00:00.000Z',
      children: [],
    });
    expect(readTask(doc, 's')).toMatchObject({ title: '工作要求', status: 'todo', owners: [] });
  });

  it('generates distinct ids when none is given', () => {
    const doc = peer(1);
    const ids = new Set(Array.from({ length: 50 }, () => addTask(doc, null, { title: 't' })));
    expect(ids.size).toBe(50);
  });

  it('refuses invalid input and changes nothing', () => {
    const doc = peer(1);
    addTask(doc, null, { id: 'a', title: 'A' });
    const bad = { status: 'finished' } as unknown as { status: 'todo' };
    expectRefused(doc, 'not-found', () => addTask(doc, 'nope', { title: 'x' }));
    expectRefused(doc, 'exists', () => addTask(doc, null, { id: 'a' }));
    expectRefused(doc, 'invalid-value', () => addTask(doc, null, { id: 'bad id!' }));
    expectRefused(doc, 'invalid-status', () => addTask(doc, null, bad));
    expectRefused(doc, 'invalid-date', () =>
      addTask(doc, null, { deadline: { date: '2023-02-30' } }),
    );
    expectRefused(doc, 'invalid-date', () =>
      addTask(doc, null, { deadline: { date: '2023/06/30' } }),
    );
    expectRefused(doc, 'unknown-branch', () => addTask(doc, null, { owners: ['ghost'] }));
    expectRefused(doc, 'invalid-field', () =>
      addTask(doc, null, { colour: 'red' } as unknown as { title: string }),
    );
    expectRefused(doc, 'invalid-place', () => addTask(doc, null, {}, { after: 'ghost' }));
    removeTask(doc, 'a');
    expectRefused(doc, 'deleted', () => addTask(doc, 'a', { title: 'under deleted' }));
  });
});

describe('updateTask', () => {
  it('changes a text field by a minimal diff, so concurrent typing elsewhere survives', () => {
    const [a, b] = peers(2) as [Y.Doc, Y.Doc];
    addTask(a, null, { id: 't', title: '加强理论武装' });
    syncAll(a, b);
    updateTask(a, 't', { title: '全面加强理论武装' });
    updateTask(b, 't', { title: '加强理论武装工作' });
    syncAll(a, b);
    expect(readTask(a, 't')?.title).toBe('全面加强理论武装工作');
    expect(readTask(b, 't')?.title).toBe('全面加强理论武装工作');
  });

  it('never replaces the whole Y.Text', () => {
    const doc = peer(1);
    addTask(doc, null, { id: 't', title: 'abc' });
    const ytext = tasksOf(doc).get('t')?.get('title');
    const deltas: unknown[] = [];
    (ytext as Y.Text).observe((e) => deltas.push(e.delta));
    updateTask(doc, 't', { title: 'abXc' });
    expect(deltas).toEqual([[{ retain: 2 }, { insert: 'X' }]]);
    expect(tasksOf(doc).get('t')?.get('title')).toBe(ytext);
  });

  it('keeps surrogate pairs whole', () => {
    const doc = peer(1);
    addTask(doc, null, { id: 't', title: 'a😀b' });
    updateTask(doc, 't', { title: 'a😃b' });
    expect(readTask(doc, 't')?.title).toBe('a😃b');
  });

  it('keeps concurrent edits to different fields of one task', () => {
    const [a, b] = peers(2) as [Y.Doc, Y.Doc];
    addTask(a, null, { id: 't', title: 'x' });
    syncAll(a, b);
    updateTask(a, 't', { status: 'done' });
    updateTask(b, 't', { assignee: '李四', deadline: { text: '长期坚持' } });
    syncAll(a, b);
    expect(readTask(a, 't')).toMatchObject({
      status: 'done',
      assignee: '李四',
      deadline: { text: '长期坚持' },
    });
    expect(readPlan(a)).toEqual(readPlan(b));
  });

  it('records who changed the task last', () => {
    const doc = peer(1);
    addTask(doc, null, { id: 't' });
    updateTask(doc, 't', { notes: '进展' }, { actor: { name: '甲', at: '2023-05-01T00:00:00Z' } });
    expect(readTask(doc, 't')).toMatchObject({
      updatedBy: '甲',
      updatedAt: '2023-05-01T00:00:00Z',
    });
  });

  it('runs as one transaction with the origin given', () => {
    const doc = peer(1);
    addTask(doc, null, { id: 't' });
    const origin = { kind: 'test' };
    const seen: unknown[] = [];
    doc.on('afterTransaction', (tr: Y.Transaction) => seen.push(tr.origin));
    updateTask(doc, 't', { title: 'a', measures: 'b', status: 'done' }, { origin });
    expect(seen).toEqual([origin]);
    updateTask(doc, 't', { title: 'c' });
    expect(seen[1]).toBe(LOCAL_EDIT);
  });

  it('refuses invalid input and changes nothing', () => {
    const doc = peer(1);
    addTask(doc, null, { id: 't', title: 'x' });
    expectRefused(doc, 'not-found', () => updateTask(doc, 'nope', { title: 'y' }));
    expectRefused(doc, 'invalid-status', () =>
      updateTask(doc, 't', { title: 'y', status: 'late' as 'done' }),
    );
    expectRefused(doc, 'invalid-date', () =>
      updateTask(doc, 't', { title: 'y', deadline: { date: '23-6-30' } }),
    );
    expectRefused(doc, 'unknown-branch', () => updateTask(doc, 't', { owners: ['ghost'] }));
    expectRefused(doc, 'invalid-field', () =>
      updateTask(doc, 't', { parent: 'x' } as unknown as { title: string }),
    );
    expectRefused(doc, 'invalid-value', () =>
      updateTask(doc, 't', { title: 5 } as unknown as { title: string }),
    );
  });
});

describe('moveTask', () => {
  it('moves a task with its subtree to another parent and place', () => {
    const doc = peer(1);
    addTask(doc, null, { id: 'p1', title: 'P1' });
    addTask(doc, null, { id: 'p2', title: 'P2' });
    addTask(doc, 'p1', { id: 'c', title: 'C' });
    addTask(doc, 'c', { id: 'g', title: 'G' });
    addTask(doc, 'p2', { id: 'd', title: 'D' });
    moveTask(doc, 'c', 'p2', { before: 'd' });
    const plan = readPlan(doc);
    expect(plan.tasks[0]?.children).toEqual([]);
    expect(titles(plan.tasks[1]?.children ?? [])).toEqual(['C', 'D']);
    expect(titles(plan.tasks[1]?.children[0]?.children ?? [])).toEqual(['G']);
  });

  it('reorders among siblings', () => {
    const doc = peer(1);
    for (const id of ['a', 'b', 'c']) addTask(doc, null, { id, title: id });
    moveTask(doc, 'c', null, { before: 'a' });
    moveTask(doc, 'a', null, { after: 'b' });
    expect(titles(readPlan(doc).tasks)).toEqual(['c', 'b', 'a']);
  });

  it('refuses a move under its own descendant and other bad input', () => {
    const doc = peer(1);
    addTask(doc, null, { id: 'a' });
    addTask(doc, 'a', { id: 'b' });
    addTask(doc, null, { id: 'x' });
    expectRefused(doc, 'cycle', () => moveTask(doc, 'a', 'b'));
    expectRefused(doc, 'cycle', () => moveTask(doc, 'a', 'a'));
    expectRefused(doc, 'not-found', () => moveTask(doc, 'ghost', null));
    expectRefused(doc, 'not-found', () => moveTask(doc, 'a', 'ghost'));
    expectRefused(doc, 'invalid-place', () => moveTask(doc, 'x', null, { before: 'x' }));
    expectRefused(doc, 'invalid-place', () => moveTask(doc, 'x', null, { after: 'b' }));
  });

  it('never duplicates or drops a task moved concurrently to two places', () => {
    const [a, b] = peers(2) as [Y.Doc, Y.Doc];
    for (const id of ['p', 'q', 't']) addTask(a, null, { id, title: id });
    syncAll(a, b);
    moveTask(a, 't', 'p');
    moveTask(b, 't', 'q');
    syncAll(a, b);
    const plan = readPlan(a);
    expect(plan).toEqual(readPlan(b));
    const all = JSON.stringify(plan).match(/"id":"t"/g) ?? [];
    expect(all).toHaveLength(1);
  });

  it('resolves concurrent moves that form a cycle to the same tree, losing no task', () => {
    const [a, b] = peers(2) as [Y.Doc, Y.Doc];
    addTask(a, null, { id: 'A', title: 'A' });
    addTask(a, null, { id: 'B', title: 'B' });
    syncAll(a, b);
    moveTask(a, 'A', 'B');
    moveTask(b, 'B', 'A');
    syncAll(a, b);
    const plan = readPlan(a);
    expect(plan).toEqual(readPlan(b));
    // One of the two moves stands: one task is top level with the other under it.
    expect(plan.tasks).toHaveLength(1);
    expect(plan.tasks[0]?.children).toHaveLength(1);
  });

  it('resolves a three-way cycle from three replicas deterministically', () => {
    const docs = peers(3) as [Y.Doc, Y.Doc, Y.Doc];
    const [a, b, c] = docs;
    addTask(a, null, { id: 'root', title: 'R' });
    for (const id of ['A', 'B', 'C']) addTask(a, 'root', { id, title: id });
    syncAll(...docs);
    moveTask(a, 'A', 'B');
    moveTask(b, 'B', 'C');
    moveTask(c, 'C', 'A');
    // Deliver in different orders to different replicas.
    syncAll(c, b);
    syncAll(a, b);
    syncAll(c, a);
    const plan = readPlan(a);
    expect(readPlan(b)).toEqual(plan);
    expect(readPlan(c)).toEqual(plan);
    const ids = JSON.stringify(plan).match(/"id":"[^"]+"/g) ?? [];
    expect(ids.sort()).toEqual(['"id":"A"', '"id":"B"', '"id":"C"', '"id":"root"']);
    // The latest move is undone: its task returns to where it was, under root.
    expect(plan.tasks[0]?.children).toHaveLength(1);
  });

  it('orders tasks inserted concurrently at one spot the same way everywhere', () => {
    const [a, b] = peers(2) as [Y.Doc, Y.Doc];
    addTask(a, null, { id: 'x', title: 'x' });
    syncAll(a, b);
    addTask(a, null, { id: 'from-a', title: 'A' }, { after: 'x' });
    addTask(b, null, { id: 'from-b', title: 'B' }, { after: 'x' });
    syncAll(a, b);
    expect(readPlan(a)).toEqual(readPlan(b));
    // Equal keys: inserting between the tied pair still lands in between.
    addTask(a, null, { id: 'mid', title: 'M' }, { after: 'from-a', before: 'from-b' });
    expect(titles(readPlan(a).tasks)).toEqual(['x', 'A', 'M', 'B']);
  });
});

describe('removeTask and restoreTask', () => {
  it('hides the subtree and brings it back', () => {
    const doc = peer(1);
    addTask(doc, null, { id: 'a', title: 'A' });
    addTask(doc, 'a', { id: 'b', title: 'B' });
    addTask(doc, null, { id: 'c', title: 'C' });
    expect(removeTask(doc, 'a', { actor: { name: '甲', at: '2023-01-01T00:00:00Z' } })).toBe(true);
    expect(titles(readPlan(doc).tasks)).toEqual(['C']);
    expect(readTrash(doc)).toEqual([
      {
        id: 'a',
        title: 'A',
        number: '',
        size: 2,
        deletedBy: '甲',
        deletedAt: '2023-01-01T00:00:00Z',
      },
    ]);
    expect(removeTask(doc, 'a')).toBe(false);
    expect(restoreTask(doc, 'a')).toBe(true);
    expect(titles(readPlan(doc).tasks)).toEqual(['A', 'C']);
    expect(titles(readPlan(doc).tasks[0]?.children ?? [])).toEqual(['B']);
    expect(readTrash(doc)).toEqual([]);
    expect(restoreTask(doc, 'a')).toBe(false);
  });

  it('restoring a task inside a deleted subtree brings back its ancestors', () => {
    const doc = peer(1);
    addTask(doc, null, { id: 'a', title: 'A' });
    addTask(doc, 'a', { id: 'b', title: 'B' });
    removeTask(doc, 'b', { actor: { name: '甲', at: '2023-01-01T00:00:00Z' } });
    removeTask(doc, 'a', { actor: { name: '甲', at: '2023-01-02T00:00:00Z' } });
    expect(readTrash(doc).map((t) => t.id)).toEqual(['a', 'b']);
    restoreTask(doc, 'b');
    expect(titles(readPlan(doc).tasks[0]?.children ?? [])).toEqual(['B']);
  });

  it('keeps an edit made concurrently with the delete, shown after restore', () => {
    const [a, b] = peers(2) as [Y.Doc, Y.Doc];
    addTask(a, null, { id: 't', title: '原' });
    syncAll(a, b);
    removeTask(a, 't');
    updateTask(b, 't', { title: '原文修改', status: 'done' });
    syncAll(a, b);
    expect(readPlan(a).tasks).toEqual([]);
    restoreTask(b, 't');
    syncAll(a, b);
    expect(readTask(a, 't')).toMatchObject({ title: '原文修改', status: 'done' });
    expect(readPlan(a)).toEqual(readPlan(b));
  });

  it('loses no task moved into or out of a subtree while it is deleted', () => {
    const [a, b] = peers(2) as [Y.Doc, Y.Doc];
    addTask(a, null, { id: 'p', title: 'P' });
    addTask(a, 'p', { id: 'out', title: 'OUT' });
    addTask(a, null, { id: 'in', title: 'IN' });
    syncAll(a, b);
    removeTask(a, 'p');
    moveTask(b, 'out', null);
    moveTask(b, 'in', 'p');
    syncAll(a, b);
    expect(readPlan(a)).toEqual(readPlan(b));
    // The task moved out stands where it was moved; the one moved in went with the subtree.
    expect(titles(readPlan(a).tasks)).toEqual(['OUT']);
    for (const entry of readTrash(a)) restoreTask(a, entry.id);
    syncAll(a, b);
    const ids = JSON.stringify(readPlan(b)).match(/"id":"[^"]+"/g) ?? [];
    expect(ids.sort()).toEqual(['"id":"in"', '"id":"out"', '"id":"p"']);
  });

  it('refuses an unknown id', () => {
    const doc = peer(1);
    expectRefused(doc, 'not-found', () => removeTask(doc, 'x'));
    expectRefused(doc, 'not-found', () => restoreTask(doc, 'x'));
  });
});

describe('branches', () => {
  it('adds, renames and removes branches, in order', () => {
    const doc = peer(1);
    const a = addBranch(doc, { name: '机关党支部', secretary: '张三' });
    const b = addBranch(doc, { name: '  第二党支部 ' });
    expect(readPlan(doc).branches).toEqual([
      { id: a, name: '机关党支部', secretary: '张三' },
      { id: b, name: '第二党支部' },
    ]);
    updateBranch(doc, b, { name: '离退休党支部', secretary: '李四' });
    updateBranch(doc, a, { secretary: '' });
    expect(readPlan(doc).branches).toEqual([
      { id: a, name: '机关党支部' },
      { id: b, name: '离退休党支部', secretary: '李四' },
    ]);
    addTask(doc, null, { id: 't', owners: [a, b] });
    removeBranch(doc, a);
    expect(readPlan(doc).branches.map((x) => x.id)).toEqual([b]);
    expect(readTask(doc, 't')?.owners).toEqual([b]);
  });

  it('hides owners that point at a branch removed concurrently', () => {
    const [x, y] = peers(2) as [Y.Doc, Y.Doc];
    const br = addBranch(x, { id: 'br', name: '支部' });
    addTask(x, null, { id: 't' });
    syncAll(x, y);
    removeBranch(x, br);
    updateTask(y, 't', { owners: [br] });
    syncAll(x, y);
    expect(readTask(x, 't')?.owners).toEqual([]);
    expect(readPlan(x)).toEqual(readPlan(y));
  });

  it('refuses bad branch input', () => {
    const doc = peer(1);
    const id = addBranch(doc, { name: '甲' });
    expectRefused(doc, 'invalid-value', () => addBranch(doc, { name: '  ' }));
    expectRefused(doc, 'duplicate-name', () => addBranch(doc, { name: '甲' }));
    expectRefused(doc, 'not-found', () => updateBranch(doc, 'ghost', { name: '乙' }));
    expectRefused(doc, 'not-found', () => removeBranch(doc, 'ghost'));
    addBranch(doc, { name: '乙' });
    expectRefused(doc, 'duplicate-name', () => updateBranch(doc, id, { name: '乙' }));
    removeBranch(doc, id);
    expectRefused(doc, 'not-found', () => removeBranch(doc, id));
  });
});

describe('readPlan on malformed peer data', () => {
  it('reads dangling parents, missing fields and junk values without throwing', () => {
    const doc = peer(1);
    addTask(doc, null, { id: 'ok', title: '正常' });
    doc.transact(() => {
      const tasks = tasksOf(doc);
      const orphan = new Y.Map<unknown>();
      orphan.set('pos', { parent: 'missing', seq: 1, prev: null });
      orphan.set('title', '孤儿');
      tasks.set('orphan', orphan);
      const junk = new Y.Map<unknown>();
      junk.set('pos', 42);
      junk.set('rank', { no: 1 });
      junk.set('status', 'weird');
      junk.set('owners', 'x');
      junk.set('deadline', { date: 'not a date', text: 7 });
      tasks.set('junk', junk);
      const self = new Y.Map<unknown>();
      self.set('pos', { parent: 'self', seq: 1 });
      tasks.set('self', self);
    });
    const plan = readPlan(doc);
    expect(plan.tasks.map((t) => t.id).sort()).toEqual(['junk', 'ok', 'orphan', 'self']);
    expect(plan.tasks.find((t) => t.id === 'junk')).toMatchObject({
      status: 'todo',
      owners: [],
      deadline: {},
      title: '',
    });
    // The API still works on top of it.
    updateTask(doc, 'orphan', { title: '孤儿任务' });
    expect(readTask(doc, 'orphan')?.title).toBe('孤儿任务');
    addTask(doc, null, { id: 'after' }, { after: 'junk' });
    expect(readPlan(doc).tasks.map((t) => t.id)).toContain('after');
  });

  it('skips whatever a peer stored under a task or branch id that is not a map', () => {
    const doc = peer(1);
    addTask(doc, null, { id: 'ok', title: '正常' });
    addTask(doc, 'ok', { id: 'child', title: '子任务' });
    addBranch(doc, { id: 'b1', name: '第一支部' });
    doc.transact(() => {
      const tasks = tasksOf(doc) as unknown as Y.Map<unknown>;
      tasks.set('str', 'a string');
      tasks.set('num', 42);
      tasks.set('text', new Y.Text('文字'));
      tasks.set('arr', Y.Array.from([1, 2]));
      const under = new Y.Map<unknown>();
      under.set('pos', { parent: 'text', seq: 1, prev: 'str' });
      under.set('title', '挂在文字下');
      tasks.set('under', under);
      const branches = branchesOf(doc) as unknown as Y.Map<unknown>;
      branches.set('b-str', 'not a branch');
      branches.set('b-text', new Y.Text('支部'));
    });
    const idsOf = (nodes: readonly TaskNode[]): string[] =>
      nodes.flatMap((n) => [n.id, ...idsOf(n.children)]);
    // Reads see the tasks and branches there are; a task hung under a non-task is top level.
    expect(idsOf(readPlan(doc).tasks).sort()).toEqual(['child', 'ok', 'under']);
    expect(readBranches(doc).map((b) => b.id)).toEqual(['b1']);
    expect(readTask(doc, 'str')).toBeNull();
    expect(readTrash(doc)).toEqual([]);
    // Writes treat the other entries as absent, and work on the rest.
    expectRefused(doc, 'not-found', () => updateTask(doc, 'text', { title: 'x' }));
    expectRefused(doc, 'not-found', () => moveTask(doc, 'ok', 'arr'));
    expectRefused(doc, 'unknown-branch', () => updateTask(doc, 'ok', { owners: ['b-str'] }));
    updateTask(doc, 'under', { owners: ['b1'] });
    removeTask(doc, 'ok');
    expect(readTrash(doc).map((t) => t.id)).toEqual(['ok']);
    restoreTask(doc, 'child');
    addBranch(doc, { name: '第二支部' });
    removeBranch(doc, 'b1');
    expect(readTask(doc, 'under')?.owners).toEqual([]);
  });

  it('lets the user overwrite fields a peer filled with values JSON cannot hold', () => {
    const doc = peer(1);
    addTask(doc, null, { id: 't', title: '任务' });
    addBranch(doc, { id: 'b1', name: '第一支部' });
    doc.transact(() => {
      const task = tasksOf(doc).get('t') as Y.Map<unknown>;
      for (const key of ['number', 'lead', 'assignee', 'status', 'owners', 'deadline'])
        task.set(key, 7n);
    });
    expect(readTask(doc, 't')).toMatchObject({ status: 'todo', owners: [], deadline: {} });
    const fields = {
      number: '一',
      lead: '张三',
      assignee: '李四',
      status: 'done',
      owners: ['b1'],
      deadline: { text: '6月底前' },
    } as const;
    updateTask(doc, 't', fields);
    expect(readTask(doc, 't')).toMatchObject(fields);
  });
});

describe('the cached tree', () => {
  it('is fresh inside observers registered before it, after a remote move', () => {
    const [a, b] = peers(2) as [Y.Doc, Y.Doc];
    for (const id of ['p', 'q', 't']) addTask(a, null, { id, title: id });
    syncAll(a, b);
    const seen: string[][] = [];
    tasksOf(b).observeDeep(() => seen.push(readPlan(b).tasks.map((t) => t.id)));
    expect(readPlan(b).tasks.map((t) => t.id)).toEqual(['p', 'q', 't']);
    moveTask(a, 't', 'p');
    syncAll(a, b);
    expect(seen.at(-1)).toEqual(['p', 'q']);
  });

  it('matches a tree resolved from scratch after many local adds, moves and deletes', () => {
    const doc = peer(1);
    const ids: string[] = [];
    for (let i = 0; i < 60; i += 1) {
      const parent = i % 4 === 0 ? null : (ids[(i * 7) % ids.length] ?? null);
      const sibling = ids[(i * 13) % Math.max(1, ids.length)];
      let place = {};
      if (i % 3 === 0 && sibling !== undefined && readPlan(doc).tasks.some((t) => t.id === sibling))
        place = parent === null ? { before: sibling } : {};
      ids.push(addTask(doc, parent, { title: `t${i}` }, place));
      if (i % 11 === 5) removeTask(doc, ids[i - 3] as string);
      if (i % 17 === 9) restoreTask(doc, ids[i - 3] as string);
    }
    const fresh = new Y.Doc();
    Y.applyUpdate(fresh, Y.encodeStateAsUpdate(doc));
    expect(readPlan(doc)).toEqual(readPlan(fresh));
  });
});
