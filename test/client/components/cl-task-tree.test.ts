// @vitest-environment happy-dom
import '../lit-quiet.ts';
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { addTask, createPlan, updateTask } from '../../../shared/index.ts';
import { PlanSession } from '../../../client/plan-session.ts';
import { readOutline } from '../../../client/model/outline.ts';
import { ClTaskRow } from '../../../client/components/cl-task-row.ts';
import { ClTaskTree } from '../../../client/components/cl-task-tree.ts';

let session: PlanSession | null = null;
afterEach(async () => {
  document.body.replaceChildren();
  await session?.dispose();
  session = null;
});

async function mountTree() {
  session = new PlanSession(`plan-${Math.random().toString(36).slice(2)}`, {
    name: '张三',
    branch: '',
  });
  await session.open({ connect: false });
  const doc = session.doc;
  createPlan(doc, { title: '清单' });
  addTask(doc, null, { id: 's1', number: '一、', title: '总体要求' });
  addTask(doc, 's1', { id: 't1', number: '一是', title: '加强理论武装' });
  addTask(doc, 's1', { id: 't2', number: '二是', title: '强化廉政教育' });
  const tree = document.createElement('cl-task-tree') as ClTaskTree;
  tree.session = session;
  tree.outline = readOutline(doc);
  document.body.append(tree);
  await tree.updateComplete;
  const rows = [...tree.shadowRoot!.querySelectorAll<ClTaskRow>('cl-task-row')];
  await Promise.all(rows.map((r) => r.updateComplete));
  return { tree, rows, doc, session };
}

describe('cl-task-tree', () => {
  it('is a tree of treeitems, expanded, whose checkboxes are named exactly by the titles', async () => {
    const { tree, rows } = await mountTree();
    expect(tree.shadowRoot!.querySelector('[role=tree]')).not.toBeNull();
    expect(rows.map((r) => r.getAttribute('role'))).toEqual(['treeitem', 'treeitem', 'treeitem']);
    expect(rows.map((r) => r.getAttribute('aria-level'))).toEqual(['1', '2', '2']);
    expect(rows[0]!.getAttribute('aria-expanded')).toBe('true');
    const names = rows.map((r) =>
      r.shadowRoot!.querySelector('input[type=checkbox]')!.getAttribute('aria-label'),
    );
    expect(names).toEqual(['总体要求', '加强理论武装', '强化廉政教育']);
    const numbers = rows.map((r) => r.shadowRoot!.querySelector('.number')!.textContent);
    expect(numbers).toEqual(['一、', '一是', '二是']);
    for (const r of rows)
      for (const b of r.shadowRoot!.querySelectorAll('button'))
        expect(b.getAttribute('aria-label') ?? b.textContent?.trim()).toBeTruthy();
  });

  it('re-renders only the row of a task whose title changes', async () => {
    const { tree, rows, doc } = await mountTree();
    const counts = new Map<unknown, number>();
    const count = (el: { updateComplete: Promise<boolean> } & HTMLElement) => {
      const orig = (el as unknown as { update: (c: unknown) => void }).update.bind(el);
      (el as unknown as { update: (c: unknown) => void }).update = (c) => {
        counts.set(el, (counts.get(el) ?? 0) + 1);
        orig(c);
      };
    };
    for (const el of [tree, ...rows]) count(el);
    updateTask(
      doc,
      't1',
      { title: '加强理论武装学习' },
      { actor: { name: '张三', at: '2023-01-01T00:00:00Z' } },
    );
    await Promise.all([tree.updateComplete, ...rows.map((r) => r.updateComplete)]);
    expect(counts.get(rows[1])).toBe(1);
    expect(counts.get(tree)).toBeUndefined();
    expect(counts.get(rows[0])).toBeUndefined();
    expect(counts.get(rows[2])).toBeUndefined();
    expect(
      rows[1]!.shadowRoot!.querySelector('input[type=checkbox]')!.getAttribute('aria-label'),
    ).toBe('加强理论武装学习');
  });

  it('ticks a task done from its checkbox, and undo takes it back', async () => {
    const { rows, doc, session } = await mountTree();
    const box = rows[1]!.shadowRoot!.querySelector<HTMLInputElement>('input[type=checkbox]')!;
    box.click();
    expect(doc.getMap('tasks').get('t1')).toBeDefined();
    const status = () =>
      (doc.getMap('tasks').get('t1') as import('yjs').Map<unknown>).get('status');
    expect(status()).toBe('done');
    session.undo.undo();
    expect(status()).toBe('todo');
  });

  it("keeps each row's fields in a form of their own that never submits", async () => {
    const { rows, doc } = await mountTree();
    const forms = rows.map(
      (r) => r.shadowRoot!.querySelector<HTMLInputElement>('input.title')!.form,
    );
    expect(forms.every((f) => f !== null)).toBe(true);
    expect(new Set(forms).size).toBe(rows.length);
    // Buttons in a form submit by default; the row's buttons are plain buttons, and a submit
    // (Enter in a field) is cancelled, so nothing navigates away from the plan.
    for (const r of rows)
      for (const b of r.shadowRoot!.querySelectorAll('button')) expect(b.type).toBe('button');
    const submit = new Event('submit', { cancelable: true });
    forms[1]!.dispatchEvent(submit);
    expect(submit.defaultPrevented).toBe(true);
    expect(doc.getMap('tasks').size).toBe(3);
  });

  it('keeps a row (so its focus and caret) while tasks are added around it; off-screen skipping goes per item', async () => {
    const { tree, rows, doc } = await mountTree();
    const actor = { actor: { name: '李四', at: '2023-01-01T00:00:00Z' } };
    addTask(doc, 't1', { id: 'p1', title: '每月集中学习' }, {}, actor);
    addTask(doc, 's1', { id: 't3', title: '严明纪律' }, {}, actor);
    addTask(doc, null, { id: 's2', title: '主要任务' }, {}, actor);
    tree.outline = readOutline(doc);
    await tree.updateComplete;
    const after = [...tree.shadowRoot!.querySelectorAll<ClTaskRow>('cl-task-row')];
    await Promise.all(after.map((r) => r.updateComplete));
    expect(after.map((r) => r.dataset['id'])).toEqual(['s1', 't1', 'p1', 't2', 't3', 's2']);
    // The same element: a re-created one would lose what the user was typing in it.
    expect(after[1]).toBe(rows[1]);
    expect(after[3]).toBe(rows[2]);
    // Sections hold one box per item; an item's box holds it and everything under it.
    const box = (id: string) => after.find((r) => r.dataset['id'] === id)!.parentElement!;
    expect(box('t1')).toBe(box('p1'));
    expect(box('t1')).not.toBe(box('t2'));
    expect(box('t1').parentElement).toBe(box('t2').parentElement);
    expect(box('s2').parentElement).not.toBe(box('t1').parentElement);
    expect(getComputedStyle(box('t1')).getPropertyValue('content-visibility')).toBe('auto');
  });
});
