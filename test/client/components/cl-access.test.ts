// @vitest-environment happy-dom
import '../lit-quiet.ts';
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { addTask, createPlan } from '../../../shared/index.ts';
import { PlanSession } from '../../../client/plan-session.ts';
import { readOutline } from '../../../client/model/outline.ts';
import { ClAccess } from '../../../client/components/cl-access.ts';
import { ClInvitePaste, type InviteGiven } from '../../../client/components/cl-invite-paste.ts';
import { ClTaskTree } from '../../../client/components/cl-task-tree.ts';
import type { ClTaskRow } from '../../../client/components/cl-task-row.ts';

const enc = (o: object): string =>
  btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(o))))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const token = (role: string, exp = 4e9): string =>
  `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc({ plan: 'p1', role, name: '王五', jti: 'j', iat: 1, exp })}.c2ln`;

const sessions: PlanSession[] = [];
afterEach(async () => {
  document.body.replaceChildren();
  for (const s of sessions.splice(0)) await s.dispose();
});

async function session(tok: string | null): Promise<PlanSession> {
  const s = new PlanSession(`plan-${Math.random().toString(36).slice(2)}`, {
    name: '王五',
    branch: '',
  });
  sessions.push(s);
  await s.open({ connect: false, token: tok });
  return s;
}

async function mount(s: PlanSession): Promise<ClAccess> {
  const el = document.createElement('cl-access') as ClAccess;
  el.session = s;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

describe('cl-access', () => {
  it('shows the role, and what to do when the relay refuses the invite', async () => {
    const s = await session(token('editor'));
    const el = await mount(s);
    expect(el.shadowRoot!.querySelector('.badge')!.textContent!.trim()).toBe('编辑');
    expect(el.shadowRoot!.querySelector('[role=alert]')).toBeNull();

    // As after a 4401 close: the page says to ask for a new invite, with a paste field.
    s.access.state = 'refused';
    s.dispatchEvent(new Event('access'));
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[role=alert]')!.textContent).toContain('新的邀请链接');
    expect(el.shadowRoot!.querySelector('cl-invite-paste')).not.toBeNull();

    // Detached, it stops listening; re-attached, it catches up.
    el.remove();
    s.access.state = 'ok';
    s.dispatchEvent(new Event('access'));
    document.body.append(el);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[role=alert]')).toBeNull();
  });

  it('tells a device whose data the relay refuses to keep its changes by exporting them', async () => {
    const s = await session(token('editor'));
    const el = await mount(s);
    // As after three 1007 closes in a row: no paste field, a new invite would not help.
    s.access.state = 'rejected';
    s.dispatchEvent(new Event('access'));
    await el.updateComplete;
    const alert = el.shadowRoot!.querySelector('[role=alert]')!;
    expect(alert.textContent).toContain('服务器拒绝接收本设备发送的数据');
    expect(alert.textContent).toContain('导出');
    expect(el.shadowRoot!.querySelector('cl-invite-paste')).toBeNull();
  });

  it('tells a device without an invite that its edits stay here', async () => {
    const el = await mount(await session(null));
    expect(el.shadowRoot!.querySelector('.badge')).toBeNull();
    expect(el.shadowRoot!.querySelector('[role=alert]')!.textContent).toContain('只保存在本设备上');
  });
});

describe('cl-invite-paste', () => {
  it('gives the token of a pasted link and refuses anything else', async () => {
    const el = document.createElement('cl-invite-paste') as ClInvitePaste;
    document.body.append(el);
    await el.updateComplete;
    const given: string[] = [];
    el.addEventListener('invite-given', (e) => given.push((e as InviteGiven).token));
    const input = el.shadowRoot!.querySelector('input')!;
    const form = el.shadowRoot!.querySelector('form')!;
    input.value = 'https://example/plan/p1';
    form.requestSubmit();
    await el.updateComplete;
    expect(given).toEqual([]);
    expect(el.shadowRoot!.querySelector('[role=alert]')).not.toBeNull();
    const t = token('viewer');
    input.value = `https://example/plan/p1#token=${t}`;
    form.requestSubmit();
    await el.updateComplete;
    expect(given).toEqual([t]);
    expect(el.shadowRoot!.querySelector('[role=alert]')).toBeNull();
  });
});

describe('a viewer’s checklist', () => {
  it('has no editing control enabled', async () => {
    const s = await session(token('viewer'));
    createPlan(s.doc, { title: '清单' });
    addTask(s.doc, null, { id: 's1', number: '一、', title: '总体要求' });
    const tree = document.createElement('cl-task-tree') as ClTaskTree;
    tree.session = s;
    tree.outline = readOutline(s.doc);
    document.body.append(tree);
    await tree.updateComplete;
    const row = tree.shadowRoot!.querySelector<ClTaskRow>('cl-task-row')!;
    await row.updateComplete;
    const root = row.shadowRoot!;
    expect(root.querySelector<HTMLInputElement>('input[type=checkbox]')!.disabled).toBe(true);
    expect(root.querySelector<HTMLInputElement>('input.title')!.readOnly).toBe(true);
    expect(root.querySelector<HTMLSelectElement>('select.status')!.disabled).toBe(true);
    const add = [...tree.shadowRoot!.querySelectorAll('button')].find((b) =>
      b.textContent?.includes('添加部分'),
    );
    expect(add?.disabled).toBe(true);
  });
});
