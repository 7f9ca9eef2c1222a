// @vitest-environment happy-dom
import '../lit-quiet.ts';
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  addTask,
  agreeVersion,
  createPlan,
  readVersions,
  updateTask,
} from '../../../shared/index.ts';
import { PlanSession } from '../../../client/plan-session.ts';
import { ClVersions, CompareSelect } from '../../../client/versions/cl-versions.ts';
import type { ClAgreeDialog } from '../../../client/versions/cl-agree-dialog.ts';
import type { ClChanges } from '../../../client/versions/cl-changes.ts';
import { CompareController } from '../../../client/versions/compare-controller.ts';

let session: PlanSession | null = null;
afterEach(async () => {
  document.body.replaceChildren();
  await session?.dispose();
  session = null;
});

async function mount(): Promise<{ el: ClVersions; s: PlanSession }> {
  const s = new PlanSession(`plan-${Math.random().toString(36).slice(2)}`, {
    name: '张三',
    branch: '',
  });
  session = s;
  await s.open({ connect: false });
  createPlan(s.doc, { title: '清单' });
  addTask(s.doc, null, { id: 's1', number: '一、', title: '工作要求' });
  addTask(s.doc, 's1', { id: 't1', number: '一是', title: '加强理论武装' });
  const el = document.createElement('cl-versions') as ClVersions;
  el.session = s;
  document.body.append(el);
  await el.updateComplete;
  return { el, s };
}

const items = (el: ClVersions) =>
  [...el.shadowRoot!.querySelectorAll('li .name')].map((n) => n.textContent);

describe('cl-versions', () => {
  it('agrees the plan through the dialog, with the user as the default who', async () => {
    const { el, s } = await mount();
    const picked: (string | null)[] = [];
    el.addEventListener('compare-select', (e) => picked.push((e as CompareSelect).version));
    el.shadowRoot!.querySelector<HTMLButtonElement>('button.primary')!.click();
    await el.updateComplete;
    const dialog = el.shadowRoot!.querySelector<ClAgreeDialog>('cl-agree-dialog')!;
    await dialog.updateComplete;
    const form = dialog.shadowRoot!.querySelector('form')!;
    expect(form.querySelector<HTMLInputElement>('input[name=by]')!.value).toBe('张三');
    form.querySelector<HTMLInputElement>('input[name=name]')!.value = '2023年4月党组会审定稿';
    form.querySelector<HTMLInputElement>('input[name=at]')!.value = '2023-04-10';
    form.requestSubmit();
    await el.updateComplete;

    expect(readVersions(s.doc)).toMatchObject([
      { name: '2023年4月党组会审定稿', by: '张三', at: '2023-04-10', taskCount: 1 },
    ]);
    expect(items(el)).toEqual(['2023年4月党组会审定稿']);
    expect(el.shadowRoot!.querySelector('cl-agree-dialog')).toBeNull();
    // The new version is picked for comparing at once.
    expect(picked).toEqual([readVersions(s.doc)[0]!.id]);
    // Agreeing is not an undoable edit: Ctrl+Z must not take a frozen version back.
    expect(s.undo.canUndo()).toBe(false);
  });

  it('lists versions agreed elsewhere, and again after a detach and re-attach', async () => {
    const { el, s } = await mount();
    agreeVersion(s.doc, { id: 'v1', name: '初稿', by: '李四', at: '2023-03-01' });
    await el.updateComplete;
    expect(items(el)).toEqual(['初稿']);
    const link = el.shadowRoot!.querySelector('a')!;
    expect(link.getAttribute('href')).toBe(`/plan/${s.planId}/print?version=v1`);

    el.remove();
    agreeVersion(s.doc, { id: 'v2', name: '审定稿', by: '李四', at: '2023-04-10' });
    document.body.append(el);
    await el.updateComplete;
    expect(items(el)).toEqual(['审定稿', '初稿']);
  });

  it('shows the changes since the version compared with', async () => {
    const { el, s } = await mount();
    agreeVersion(s.doc, { id: 'v1', name: '审定稿', by: '李四', at: '2023-04-10' });
    updateTask(s.doc, 't1', { lead: '局长' });
    addTask(s.doc, 's1', { id: 't2', title: '新任务' });
    // The page's controller computes the comparison; the panel shows it.
    const ctl = new CompareController({
      addController: () => undefined,
      requestUpdate: () => undefined,
      removeController: () => undefined,
      updateComplete: Promise.resolve(true),
    });
    ctl.hostConnected();
    ctl.set(s, 'v1');
    expect([...ctl.value.marks]).toEqual([
      ['t1', 'changed'],
      ['t2', 'added'],
    ]);
    const marks = ctl.value.marks;
    updateTask(s.doc, 't1', { notes: '进展顺利' });
    await expect.poll(() => JSON.stringify(ctl.value.changes)).toContain('进展顺利');
    // Same marks, same Map: the tree does not re-render for a keystroke.
    expect(ctl.value.marks).toBe(marks);

    el.base = 'v1';
    el.changes = ctl.value.changes;
    await el.updateComplete;
    const changes = el.shadowRoot!.querySelector<ClChanges>('cl-changes')!;
    await changes.updateComplete;
    const text = changes.shadowRoot!.textContent!.replace(/\s+/g, ' ');
    expect(text).toContain('修改 加强理论武装');
    expect(text).toContain('牵头领导 （空） → 局长');
    expect(text).toContain('新增 新任务');
    // Detached, it stops listening; re-attached, it catches up at once.
    ctl.hostDisconnected();
    updateTask(s.doc, 't1', { lead: '书记' });
    expect(JSON.stringify(ctl.value.changes)).not.toContain('书记');
    ctl.hostConnected();
    expect(JSON.stringify(ctl.value.changes)).toContain('书记');
    ctl.hostDisconnected();
  });
});
