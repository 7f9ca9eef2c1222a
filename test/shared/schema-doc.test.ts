import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { generateKeyBetween } from 'fractional-indexing';
import { addTask, createPlan, readPlan, updateTask } from '../../shared/index.ts';
import { peers, syncAll } from '../helpers/peers.ts';

// A program that follows docs/schema.md with plain yjs must interoperate with qingdan.

it('a plan written with yjs alone, as docs/schema.md describes, reads back in qingdan', () => {
  const [tool, app] = peers(2) as [Y.Doc, Y.Doc];
  tool.transact(() => {
    const meta = tool.getMap('meta');
    meta.set('schema', 1);
    meta.set('title', '2023年工作要点');
    meta.set('year', 2023);
    const branch = new Y.Map<unknown>();
    branch.set('name', '机关党支部');
    branch.set('rank', generateKeyBetween(null, null));
    branch.set('deleted', false);
    tool.getMap('branches').set('b1', branch);
    let rank: string | null = null;
    for (const [id, parent, title] of [
      ['s1', null, '工作要求'],
      ['p1', 's1', '加强理论武装'],
      ['p2', 's1', '强化廉政教育'],
    ] as const) {
      const t = new Y.Map<unknown>();
      rank = generateKeyBetween(parent === null ? null : rank, null);
      t.set('pos', { parent, seq: 1, prev: null });
      t.set('rank', rank);
      t.set('number', parent === null ? '二、' : '一是');
      t.set('title', new Y.Text(title));
      t.set('measures', new Y.Text());
      t.set('notes', new Y.Text());
      t.set('lead', '');
      t.set('owners', parent === null ? [] : ['b1']);
      t.set('assignee', '');
      t.set('deadline', { text: '长期坚持' });
      t.set('status', 'todo');
      t.set('deleted', false);
      tool.getMap('tasks').set(id, t);
    }
  });
  syncAll(tool, app);
  expect(createPlan(app, { title: 'other' })).toBe(false);
  const plan = readPlan(app);
  expect(plan.title).toBe('2023年工作要点');
  expect(plan.branches).toEqual([{ id: 'b1', name: '机关党支部' }]);
  expect(plan.tasks.map((t) => t.title)).toEqual(['工作要求']);
  expect(plan.tasks[0]?.children.map((t) => [t.title, t.owners, t.deadline])).toEqual([
    ['加强理论武装', ['b1'], { text: '长期坚持' }],
    ['强化廉政教育', ['b1'], { text: '长期坚持' }],
  ]);
  // And qingdan's edits read back with yjs alone, through the documented keys.
  addTask(app, 's1', { id: 'p3', title: '严格落实“一岗双责”' });
  updateTask(app, 'p1', { title: '全面加强理论武装' });
  syncAll(tool, app);
  const tasks = tool.getMap<Y.Map<unknown>>('tasks');
  expect(String(tasks.get('p1')?.get('title'))).toBe('全面加强理论武装');
  expect(tasks.get('p3')?.get('pos')).toMatchObject({ parent: 's1' });
  const ranks = ['p1', 'p2', 'p3'].map((id) => tasks.get(id)?.get('rank') as string);
  expect([...ranks].sort()).toEqual(ranks);
});
