// Import through the UI in real Chromium: the seed document, pasted or chosen as a file
// (.txt, and a .docx built here with the docx library), becomes a new plan whose 13 tasks are
// in the checklist — on this device and, through the relay, for the next person.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, onTestFinished, test } from 'vitest';
import type { Page } from 'playwright-core';
import { Document, Packer, Paragraph } from 'docx';
import { answerFirstUse, openPage, ROOT, useRelayAndBrowser, waitSynced } from './helpers/index.ts';
import {
  chooseFileForImport,
  createFromImport,
  importCounts,
  openImportDialog,
  dropFileForImport,
  pasteForImport,
} from './helpers/import.ts';

/** An attribute of the element that has the focus, looking through shadow roots. */
function focusedAttribute(page: Page, name: string): Promise<string | null> {
  return page.evaluate((n) => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return el?.getAttribute(n) ?? null;
  }, name);
}
const focusedRole = (page: Page) => focusedAttribute(page, 'role');
const focusedType = (page: Page) => focusedAttribute(page, 'type');

const SEED_FILE = join(ROOT, 'test/fixtures/import/2023-party-conduct-implementation-opinions.txt');
const SEED = readFileSync(SEED_FILE, 'utf8');
const TITLE = '2023年关于加强党风廉政建设和反腐败工作的实施意见';

const TASKS = [
  '加强理论武装',
  '强化廉政教育',
  '严肃党内政治生活',
  '强化主体责任落实',
  '严格落实“一岗双责”',
  '压实管党治党职责',
  '深化作风突出问题集中整治行动成果',
  '持续开展党风廉政建设活动',
  '健全完善监督管理体系',
  '切实抓好巡察反馈问题整改',
  '加强组织领导',
  '细化工作措施',
  '抓好督促检查',
];

const suite = useRelayAndBrowser();

async function person(name: string): Promise<Page> {
  const w = await openPage(suite.browser, { name, baseURL: suite.relay.url });
  onTestFinished(() => {
    expect(w.errors).toEqual([]);
  });
  await w.page.goto('/');
  await answerFirstUse(w.page, name, '机关党支部');
  return w.page;
}

/** Every one of the 13 tasks is a checkbox named exactly by its title. */
async function expectSeedTasks(page: Page): Promise<void> {
  const tree = page.getByRole('tree', { name: '任务' });
  for (const title of TASKS)
    await expect
      .poll(() => tree.getByRole('checkbox', { name: title, exact: true }).count(), {
        timeout: 15_000,
      })
      .toBe(1);
}

describe('import in the app', () => {
  test('imports the pasted seed into a new plan that shows its 13 tasks and syncs', async () => {
    const page = await person('张三');
    const dialog = await openImportDialog(page);
    await pasteForImport(dialog, SEED);
    await expect.poll(() => importCounts(dialog)).toBe('3 个部分 · 6 项 · 13 项任务');
    await expect.poll(() => dialog.getByLabel('清单标题').inputValue()).toBe(TITLE);
    const id = await createFromImport(page, dialog);
    await expect.poll(() => page.getByLabel('清单标题').inputValue()).toBe(TITLE);
    await expectSeedTasks(page);
    await waitSynced(page);

    // The plan went to the relay: someone else opening its link gets all of it.
    const other = await person('李四');
    await other.goto(`/plan/${id}`);
    await expectSeedTasks(other);
  });

  test('imports the seed chosen as a .txt file, fixing a split before creating', async () => {
    const page = await person('王五');
    const dialog = await openImportDialog(page);
    await expect.poll(() => focusedType(page)).toBe('file');
    await chooseFileForImport(dialog, SEED_FILE);
    await expect.poll(() => importCounts(dialog)).toBe('3 个部分 · 6 项 · 13 项任务');
    // Keyboard only: the preview has the focus on its first row; select 强化廉政教育,
    // indent it, and outdent it again.
    await expect.poll(() => focusedRole(page)).toBe('treeitem');
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Alt+ArrowRight');
    await expect.poll(() => importCounts(dialog)).toBe('3 个部分 · 6 项 · 12 项任务');
    await page.keyboard.press('Alt+ArrowLeft');
    await expect.poll(() => importCounts(dialog)).toBe('3 个部分 · 6 项 · 13 项任务');
    await createFromImport(page, dialog);
    await expectSeedTasks(page);
  });

  test('imports the seed as a .docx file built with the docx library', async () => {
    const doc = new Document({
      sections: [
        {
          children: SEED.split(/\r?\n/).map((line) => new Paragraph({ text: line })),
        },
      ],
    });
    const buffer = await Packer.toBuffer(doc);
    const page = await person('赵六');
    const dialog = await openImportDialog(page);
    await chooseFileForImport(dialog, {
      name: '实施意见.docx',
      mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      buffer,
    });
    await expect
      .poll(() => importCounts(dialog), { timeout: 15_000 })
      .toBe('3 个部分 · 6 项 · 13 项任务');
    await createFromImport(page, dialog);
    await expectSeedTasks(page);
  });

  test('creates a plan from text that does not read like a work plan only once confirmed', async () => {
    const page = await person('周八');
    const dialog = await openImportDialog(page);
    await pasteForImport(
      dialog,
      readFileSync(join(ROOT, 'test/fixtures/import/recipe.txt'), 'utf8'),
    );
    const create = dialog.getByRole('button', { name: '创建清单', exact: true });
    await expect.poll(() => create.isDisabled()).toBe(true);
    await dialog.getByRole('checkbox', { name: '已核对，仍按此创建清单' }).check();
    await expect.poll(() => create.isDisabled()).toBe(false);
    await createFromImport(page, dialog);
    await expect
      .poll(() => page.getByRole('checkbox', { name: '炖煮', exact: true }).count())
      .toBe(1);
  });

  test('reads a dropped file, refusing a binary one; cancelling creates nothing', async () => {
    const page = await person('孙七');
    const dialog = await openImportDialog(page);
    const binary = Array.from({ length: 512 }, (_, i) => (i * 37) % 9);
    await dropFileForImport(dialog, '图片.txt', binary);
    await expect.poll(() => dialog.getByRole('alert').innerText()).toContain('这不是文本文件');
    await dropFileForImport(dialog, '意见.txt', [...Buffer.from(SEED, 'utf8')]);
    await expect.poll(() => importCounts(dialog)).toBe('3 个部分 · 6 项 · 13 项任务');
    await dialog.getByRole('button', { name: '取消', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByText('还没有清单。').count()).toBe(1);
  });
});
