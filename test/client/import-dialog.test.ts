// @vitest-environment happy-dom
import './lit-quiet.ts';
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import * as Y from 'yjs';
import { keys } from 'idb-keyval';
import { readPlan, type TaskNode } from '../../shared/index.ts';
import { ClImportDialog } from '../../client/components/cl-import-dialog.ts';
import { ClImportPreview } from '../../client/components/cl-import-preview.ts';
import { ClImportSource } from '../../client/components/cl-import-source.ts';
import { ClHome } from '../../client/components/cl-home.ts';
import { loadDocState } from '../../client/storage/doc-persistence.ts';
import { setLocale } from '../../client/i18n.ts';
import { docsStore } from '../../client/storage/stores.ts';

// happy-dom replaces the global URL, so the fixtures are found by path.
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/import');
const SEED = readFileSync(join(FIXTURES, '2023-party-conduct-implementation-opinions.txt'), 'utf8');
const RECIPE = readFileSync(join(FIXTURES, 'recipe.txt'), 'utf8');

afterEach(() => {
  document.body.replaceChildren();
  history.replaceState(null, '', '/nowhere');
});

async function mount(): Promise<ClImportDialog> {
  history.replaceState(null, '', '/nowhere');
  const el = document.createElement('cl-import-dialog');
  document.body.append(el);
  await el.updateComplete;
  return el;
}

const root = (el: ClImportDialog) => el.shadowRoot!;
const preview = (el: ClImportDialog) =>
  root(el).querySelector<ClImportPreview>('cl-import-preview');

function buttonIn(r: ShadowRoot, name: string): HTMLButtonElement {
  const b = [...r.querySelectorAll('button')].find((x) => x.textContent?.trim() === name);
  if (!b) throw new Error(`no button ${name}`);
  return b;
}

async function settle(el: ClImportDialog): Promise<void> {
  await el.updateComplete;
  const p = preview(el);
  if (p) await p.updateComplete;
}

const source = (el: ClImportDialog) => root(el).querySelector('cl-import-source')!.shadowRoot!;

async function paste(el: ClImportDialog, text: string): Promise<void> {
  await root(el).querySelector('cl-import-source')!.updateComplete;
  source(el).querySelector('textarea')!.value = text;
  source(el).querySelector('form')!.requestSubmit();
  await settle(el);
  await root(el).querySelector('cl-import-source')?.updateComplete;
}

const counts = (el: ClImportDialog) => root(el).querySelector('.counts')?.textContent?.trim();
const alertText = (el: ClImportDialog) =>
  source(el).querySelector('[role=alert]')?.textContent?.trim() ?? '';
const rows = (el: ClImportDialog) => [
  ...preview(el)!.shadowRoot!.querySelectorAll<HTMLElement>('[role=treeitem]'),
];

async function select(el: ClImportDialog, title: string): Promise<HTMLElement> {
  const row = rows(el).find((r) => r.textContent?.includes(title));
  if (!row) throw new Error(`no row ${title}`);
  row.click();
  await settle(el);
  return row;
}

async function edit(el: ClImportDialog, name: string): Promise<void> {
  buttonIn(preview(el)!.shadowRoot!, name).click();
  await settle(el);
}

async function storedPlans(): Promise<number> {
  return (await keys(docsStore())).length;
}

function titles(nodes: readonly TaskNode[]): string[] {
  return nodes.flatMap((n) => [n.title, ...titles(n.children)]);
}

describe('the import dialog', () => {
  it('previews pasted text, lets the split be fixed, and creates a new plan from it', async () => {
    const el = await mount();
    expect(root(el).querySelector('dialog')!.open).toBe(true);
    expect(root(el).querySelector('dialog')!.getAttribute('aria-labelledby')).toBe('t');
    await paste(el, SEED);
    expect(counts(el)).toBe('3 个部分 · 6 项 · 13 项任务');
    expect(root(el).querySelector<HTMLInputElement>('.title input')!.value).toBe(
      '2023年关于加强党风廉政建设和反腐败工作的实施意见',
    );
    expect(rows(el)).toHaveLength(19);
    expect(rows(el)[3]!.getAttribute('aria-level')).toBe('3');
    expect(rows(el)[3]!.textContent).toContain('一是');
    expect(rows(el)[3]!.textContent).toContain('加强理论武装');

    // Level: 强化廉政教育 under 加强理论武装, then back.
    await select(el, '强化廉政教育');
    await edit(el, '降一级');
    expect(rows(el)[4]!.getAttribute('aria-level')).toBe('4');
    expect(counts(el)).toBe('3 个部分 · 6 项 · 12 项任务');
    await edit(el, '升一级');
    expect(rows(el)[4]!.getAttribute('aria-level')).toBe('3');
    expect(counts(el)).toBe('3 个部分 · 6 项 · 13 项任务');

    // Merge it into 加强理论武装, then split it out again at its label.
    await edit(el, '并入上一项');
    expect(counts(el)).toBe('3 个部分 · 6 项 · 12 项任务');
    expect(rows(el)[3]!.getAttribute('aria-selected')).toBe('true');
    const body = preview(el)!.shadowRoot!.querySelector('textarea')!;
    body.setSelectionRange(0, 0);
    await edit(el, '在光标处拆分');
    expect(preview(el)!.shadowRoot!.querySelector('.split [role=status]')?.textContent).toContain(
      '请先把光标放在',
    );
    expect(counts(el)).toBe('3 个部分 · 6 项 · 12 项任务');
    const at = body.value.indexOf('二是强化廉政教育');
    expect(at).toBeGreaterThan(0);
    body.setSelectionRange(at, at);
    await edit(el, '在光标处拆分');
    expect(counts(el)).toBe('3 个部分 · 6 项 · 13 项任务');
    expect(rows(el)[4]!.textContent).toContain('强化廉政教育');

    // Drop the last task.
    await select(el, '抓好督促检查');
    await edit(el, '删除此项');
    expect(counts(el)).toBe('3 个部分 · 5 项 · 12 项任务');

    // Correct a title.
    await select(el, '细化工作措施');
    const title = preview(el)!.shadowRoot!.querySelector<HTMLInputElement>('.selected input')!;
    expect(title.value).toBe('细化工作措施');
    title.value = '细化工作措施和分工';
    title.dispatchEvent(new Event('change'));
    await settle(el);
    expect(rows(el)[17]!.textContent).toContain('细化工作措施和分工');

    const before = await storedPlans();
    buttonIn(root(el), '创建清单').click();
    buttonIn(root(el), '创建清单').click();
    await expect.poll(() => location.pathname).toMatch(/^\/plan\/[0-9a-f]{20}$/);
    const id = location.pathname.split('/').pop()!;
    expect(await storedPlans()).toBe(before + 1);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, (await loadDocState(id))!);
    const plan = readPlan(doc);
    expect(plan.title).toBe('2023年关于加强党风廉政建设和反腐败工作的实施意见');
    expect(plan.year).toBe(2023);
    const all = titles(plan.tasks);
    expect(all).toContain('强化廉政教育');
    expect(all).toContain('细化工作措施和分工');
    expect(all).not.toContain('抓好督促检查');
    expect(all).toHaveLength(18);
    doc.destroy();
  });

  it('is usable from the keyboard: arrows select, Alt+arrows change the level, Delete drops', async () => {
    const el = await mount();
    await paste(el, SEED);
    const row = await select(el, '加强理论武装');
    const key = (k: string, alt = false) =>
      row.parentElement!.dispatchEvent(
        new KeyboardEvent('keydown', { key: k, altKey: alt, bubbles: true, composed: true }),
      );
    key('ArrowDown');
    await settle(el);
    expect(rows(el)[4]!.getAttribute('aria-selected')).toBe('true');
    expect(rows(el)[4]!.tabIndex).toBe(0);
    key('ArrowRight', true);
    await settle(el);
    expect(rows(el)[4]!.getAttribute('aria-level')).toBe('4');
    key('ArrowLeft', true);
    await settle(el);
    expect(rows(el)[4]!.getAttribute('aria-level')).toBe('3');
    key('Delete');
    await settle(el);
    expect(counts(el)).toBe('3 个部分 · 6 项 · 12 项任务');
    expect(rows(el).some((r) => r.textContent?.includes('强化廉政教育'))).toBe(false);
  });

  it('shows the responsibility annotations of each row', async () => {
    const el = await mount();
    await paste(
      el,
      [
        '2024年安全生产工作要点',
        '一、夯实安全基础',
        '（一）开展隐患排查。全面排查各类隐患。',
        '牵头单位：安全股',
        '责任单位：安全股、办公室',
        '完成时限：2024年6月底前',
        '（二）加强应急演练。每季度演练一次。',
        '二、强化责任落实',
        '（一）签订责任书。逐级签订安全生产责任书。',
      ].join('\n'),
    );
    const row = rows(el).find((r) => r.textContent?.includes('开展隐患排查'))!;
    expect(row.textContent).toContain('牵头：安全股');
    expect(row.textContent).toContain('责任单位：安全股、办公室');
    expect(row.textContent).toContain('时限：2024年6月底前');
    expect(row.getAttribute('aria-label')).toContain('责任单位：安全股、办公室');
  });

  it.each([
    ['empty', '   \n  ', '文件是空的'],
    ['binary', 'PK\u0003\u0004\u0000\u0000\u0001\u0002\u0000\u0007'.repeat(20), '二进制'],
    ['without an outline', '今天开会，大家讨论了很多事情，没有结论。', '没有找到提纲'],
    ['oversized', '一、'.repeat(600_000), '文件太大'],
  ])('shows the importer message for %s text and creates nothing', async (_name, text, message) => {
    const before = await storedPlans();
    const el = await mount();
    await paste(el, text);
    expect(alertText(el)).toContain(message);
    // The English half of the importer's message is for the English interface.
    expect(alertText(el)).not.toMatch(/ \([A-Z]/);
    expect(preview(el)).toBeNull();
    expect(root(el).querySelector('dialog')!.open).toBe(true);
    expect(await storedPlans()).toBe(before);
  });

  it('reads a chosen or dropped file, and refuses a .pdf with the importer message', async () => {
    const el = await mount();
    const reader = root(el).querySelector<ClImportSource>('cl-import-source')!;
    await reader.updateComplete;
    await reader.readFile(new File(['%PDF-1.7'], '意见.pdf', { type: 'application/pdf' }));
    await settle(el);
    expect(alertText(el)).toContain('只支持 .txt 和 .docx 文件');
    expect(preview(el)).toBeNull();

    const utf16 = new Uint8Array([
      0xff,
      0xfe,
      ...new Uint8Array(new Uint16Array([...SEED].map((c) => c.charCodeAt(0))).buffer),
    ]);
    await reader.readFile(new File([utf16], '意见.txt', { type: 'text/plain' }));
    await expect
      .poll(async () => (await settle(el), counts(el)))
      .toBe('3 个部分 · 6 项 · 13 项任务');
  });

  it('moves the focus into the preview tree, and back to the file input on 重新选择', async () => {
    const el = await mount();
    await paste(el, SEED);
    await expect
      .poll(() => preview(el)?.shadowRoot!.activeElement?.getAttribute('role'))
      .toBe('treeitem');
    buttonIn(root(el), '重新选择').click();
    await settle(el);
    await expect
      .poll(() =>
        root(el).querySelector('cl-import-source')?.shadowRoot!.activeElement?.getAttribute('type'),
      )
      .toBe('file');
  });

  it('needs an explicit confirmation for text that does not read like a work plan', async () => {
    const el = await mount();
    await paste(el, RECIPE);
    expect(root(el).querySelector('.warn')?.textContent).toContain('不像工作计划');
    const create = buttonIn(root(el), '创建清单');
    expect(create.disabled).toBe(true);
    const before = await storedPlans();
    create.click();
    await settle(el);
    expect(await storedPlans()).toBe(before);
    expect(location.pathname).toBe('/nowhere');

    const confirm = root(el).querySelector<HTMLInputElement>('.warn input[type=checkbox]')!;
    confirm.click();
    await settle(el);
    expect(create.disabled).toBe(false);
    create.click();
    await expect.poll(() => location.pathname).toMatch(/^\/plan\//);
    expect(await storedPlans()).toBe(before + 1);
  });

  it('goes back to choosing, and cancelling closes without creating anything', async () => {
    const el = await mount();
    await paste(el, SEED);
    buttonIn(root(el), '重新选择').click();
    await settle(el);
    expect(preview(el)).toBeNull();
    let closed = 0;
    el.addEventListener('import-close', () => closed++);
    const before = await storedPlans();
    buttonIn(root(el), '取消').click();
    await settle(el);
    expect(closed).toBe(1);
    expect(await storedPlans()).toBe(before);
  });
});

describe('导入 on the home page', () => {
  it('opens the dialog and, when it is cancelled, removes it and returns the focus', async () => {
    history.replaceState(null, '', '/');
    // No relay here: the home page's list of the relay's plans finds none.
    vi.stubGlobal('fetch', () => Promise.resolve(new Response('', { status: 404 })));
    onTestFinished(() => void vi.unstubAllGlobals());
    const home = document.createElement('cl-home') as ClHome;
    document.body.append(home);
    await home.updateComplete;
    const button = buttonIn(home.shadowRoot!, '导入');
    button.click();
    await home.updateComplete;
    const dialog = home.shadowRoot!.querySelector('cl-import-dialog')!;
    expect(dialog).not.toBeNull();
    await dialog.updateComplete;
    buttonIn(dialog.shadowRoot!, '取消').click();
    await expect.poll(() => home.shadowRoot!.querySelector('cl-import-dialog')).toBeNull();
    await expect.poll(() => home.shadowRoot!.activeElement).toBe(button);
  });
});

describe('the import dialog in English', () => {
  it('says the counts and the importer messages in English', async () => {
    await setLocale('en');
    onTestFinished(() => setLocale('zh-CN'));
    const el = await mount();
    expect(root(el).querySelector('h2')?.textContent).toBe('Import a plan');
    await paste(el, '今天开会，大家讨论了很多事情。');
    expect(alertText(el)).toMatch(/^No outline found/);
    await paste(el, SEED);
    expect(counts(el)).toBe('3 sections · 6 items · 13 tasks');
    buttonIn(root(el), 'Choose again').click();
    await settle(el);
    await paste(el, RECIPE);
    expect(root(el).querySelector('.warn li')?.textContent).toMatch(/^This text does not read/);
  });
});
