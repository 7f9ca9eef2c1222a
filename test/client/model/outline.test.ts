import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addBranch, addTask, createPlan, removeTask, updateTask } from '../../../shared/index.ts';
import {
  NO_FILTER,
  outlineRelevant,
  progressOf,
  readOutline,
  sameOutline,
  visibleRows,
} from '../../../client/model/outline.ts';
import { dropFor, moveFor } from '../../../client/model/tree-moves.ts';
import { treeKeyAction } from '../../../client/model/tree-keys.ts';

function plan() {
  const doc = new Y.Doc();
  createPlan(doc, { title: '实施意见' });
  const b1 = addBranch(doc, { id: 'b1', name: '机关党支部' });
  const b2 = addBranch(doc, { id: 'b2', name: '第二党支部' });
  addTask(doc, null, { id: 's1', number: '一、', title: '总体思路' });
  addTask(doc, null, { id: 's2', number: '二、', title: '工作要求' });
  addTask(doc, 's2', { id: 'i1', number: '（一）', title: '忠诚拥护' });
  addTask(doc, 'i1', {
    id: 'p1',
    number: '一是',
    title: '加强理论武装',
    owners: [b1],
    status: 'done',
  });
  addTask(doc, 'i1', {
    id: 'p2',
    number: '二是',
    title: '强化廉政教育',
    owners: [b2, b1],
    deadline: { date: '2023-06-30' },
  });
  addTask(doc, 's2', { id: 'i2', title: '' });
  return doc;
}

const me = { name: '张三', branch: '第二党支部' };

describe('readOutline', () => {
  it('lists visible tasks in outline order with depth and computed numbers', () => {
    const o = readOutline(plan());
    expect(o.entries.map((e) => [e.id, e.depth, e.number, e.childCount])).toEqual([
      ['s1', 0, '一、', 0],
      ['s2', 0, '二、', 2],
      ['i1', 1, '（一）', 2],
      ['p1', 2, '一是', 0],
      ['p2', 2, '二是', 0],
      ['i2', 1, '2.2', 0],
    ]);
  });

  it('is unchanged by typing in a title, and the events say so', () => {
    const doc = plan();
    const before = readOutline(doc);
    const seen: boolean[] = [];
    const tasks = doc.getMap('tasks');
    tasks.observeDeep((events) => seen.push(outlineRelevant(events)));
    updateTask(
      doc,
      'p1',
      { title: '加强理论武装学习' },
      { actor: { name: 'x', at: '2023-01-01T00:00:00Z' } },
    );
    expect(seen).toEqual([false]);
    expect(sameOutline(before, readOutline(doc))).toBe(true);
    removeTask(doc, 'p2');
    expect(seen).toEqual([false, true]);
    expect(sameOutline(before, readOutline(doc))).toBe(false);
  });
});

describe('visibleRows', () => {
  it('leaves collapsed subtrees out and numbers siblings', () => {
    const rows = visibleRows(readOutline(plan()), new Set(['i1']), NO_FILTER, me, '2023-07-01');
    expect(rows.map((r) => [r.entry.id, r.expanded, r.posinset, r.setsize])).toEqual([
      ['s1', true, 1, 2],
      ['s2', true, 2, 2],
      ['i1', false, 1, 2],
      ['i2', true, 2, 2],
    ]);
  });

  it('filters by my branch, status and overdue, keeping ancestors as context', () => {
    const o = readOutline(plan());
    const ids = (f: typeof NO_FILTER) =>
      visibleRows(o, new Set(), f, me, '2023-07-01').map(
        (r) => `${r.entry.id}${r.context ? '*' : ''}`,
      );
    expect(ids({ ...NO_FILTER, mine: 'owner' })).toEqual(['s2*', 'i1*', 'p2']);
    expect(ids({ ...NO_FILTER, mine: 'lead' })).toEqual(['s2*', 'i1*', 'p2']);
    expect(ids({ ...NO_FILTER, status: 'done' })).toEqual(['s2*', 'i1*', 'p1']);
    expect(ids({ ...NO_FILTER, overdue: true })).toEqual(['s2*', 'i1*', 'p2']);
    expect(visibleRows(o, new Set(), { ...NO_FILTER, overdue: true }, me, '2023-06-01')).toEqual(
      [],
    );
  });
});

describe('progressOf', () => {
  it('counts done / total of leaf tasks per section and per branch', () => {
    const p = progressOf(readOutline(plan()));
    expect(p.sections.map((s) => [s.id, s.done, s.total])).toEqual([
      ['s1', 0, 1],
      ['s2', 1, 3],
    ]);
    expect(p.branches.map((b) => [b.label, b.done, b.total])).toEqual([
      ['机关党支部', 1, 2],
      ['第二党支部', 0, 1],
    ]);
  });
});

describe('moves', () => {
  it('moves by keyboard among siblings, in and out', () => {
    const o = readOutline(plan());
    expect(moveFor(o, 'p2', 'up')).toEqual({ parent: 'i1', place: { before: 'p1' } });
    expect(moveFor(o, 'p1', 'up')).toBeNull();
    expect(moveFor(o, 'p1', 'down')).toEqual({ parent: 'i1', place: { after: 'p2' } });
    expect(moveFor(o, 'i2', 'indent')).toEqual({ parent: 'i1', place: { after: 'p2' } });
    expect(moveFor(o, 'p1', 'outdent')).toEqual({ parent: 's2', place: { after: 'i1' } });
    expect(moveFor(o, 's1', 'outdent')).toBeNull();
  });

  it('refuses to drop a task into its own subtree', () => {
    const o = readOutline(plan());
    expect(dropFor(o, 's2', 'p1', 'inside')).toBeNull();
    expect(dropFor(o, 'p1', 'p1', 'after')).toBeNull();
    expect(dropFor(o, 'p1', 's1', 'inside')).toEqual({ parent: 's1', place: {} });
    expect(dropFor(o, 'p1', 's1', 'before')).toEqual({ parent: null, place: { before: 's1' } });
  });
});

describe('treeKeyAction', () => {
  const rows = () => visibleRows(readOutline(plan()), new Set(), NO_FILTER, me, '2023-07-01');
  it('follows the tree pattern on a row and moves with Alt', () => {
    const r = rows();
    expect(treeKeyAction('ArrowDown', false, true, r, 's1')).toEqual({ kind: 'focus', id: 's2' });
    expect(treeKeyAction('ArrowUp', false, true, r, 's1')).toBeNull();
    expect(treeKeyAction('ArrowRight', false, true, r, 's2')).toEqual({ kind: 'focus', id: 'i1' });
    expect(treeKeyAction('ArrowLeft', false, true, r, 's2')).toEqual({
      kind: 'expand',
      id: 's2',
      expanded: false,
    });
    expect(treeKeyAction('ArrowLeft', false, true, r, 'p1')).toEqual({ kind: 'focus', id: 'i1' });
    expect(treeKeyAction('End', false, true, r, 's1')).toEqual({ kind: 'focus', id: 'i2' });
    expect(treeKeyAction('ArrowUp', true, false, r, 'p2')).toEqual({ kind: 'move', command: 'up' });
    expect(treeKeyAction('ArrowDown', false, false, r, 'p2')).toBeNull();
    expect(treeKeyAction(' ', false, true, r, 'p2')).toEqual({ kind: 'tick' });
  });

  it('expands a collapsed row with →', () => {
    const r = visibleRows(readOutline(plan()), new Set(['s2']), NO_FILTER, me, '2023-07-01');
    expect(treeKeyAction('ArrowRight', false, true, r, 's2')).toEqual({
      kind: 'expand',
      id: 's2',
      expanded: true,
    });
  });
});
