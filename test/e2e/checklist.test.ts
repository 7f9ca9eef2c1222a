// One person working the checklist in real Chromium: keyboard and drag-and-drop ordering,
// delete and restore, branches and filters, and what is remembered across reloads.
import { describe, expect, onTestFinished, test } from 'vitest';
import type { Page } from 'playwright-core';
import { openPage } from './helpers/browser.ts';
import { useRelayAndBrowser } from './helpers/suite.ts';
import {
  addTopTask,
  answerFirstUse,
  createPlan,
  focusedLabel,
  titleField,
  treeTitles,
} from './helpers/app.ts';

const suite = useRelayAndBrowser();

async function start(): Promise<Page> {
  const w = await openPage(suite.browser, { name: 'solo', baseURL: suite.relay.url });
  onTestFinished(() => {
    expect(w.errors).toEqual([]);
  });
  await w.page.goto('/');
  await answerFirstUse(w.page, '张三', '第二党支部');
  return w.page;
}

const levels = (page: Page) =>
  page.getByRole('treeitem').evaluateAll((els) => els.map((e) => e.getAttribute('aria-level')));

describe('the checklist', () => {
  test('reorders, indents and outdents by keyboard and by dragging', async () => {
    const page = await start();
    await createPlan(page, '顺序');
    for (const t of ['甲', '乙', '丙']) await addTopTask(page, t);

    await titleField(page, '丙').focus();
    await page.keyboard.press('Alt+ArrowUp');
    await expect.poll(() => treeTitles(page)).toEqual(['甲', '丙', '乙']);
    await page.keyboard.press('Alt+ArrowRight');
    await expect.poll(() => levels(page)).toEqual(['1', '2', '1']);
    await page.keyboard.press('Alt+ArrowLeft');
    await expect.poll(() => levels(page)).toEqual(['1', '1', '1']);

    // The tree itself: arrows move between rows, Alt+↓ moves the focused row.
    await page.getByRole('treeitem', { name: '甲' }).focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => focusedLabel(page)).toBe('2 丙');
    await page.keyboard.press('Alt+ArrowDown');
    await expect.poll(() => treeTitles(page)).toEqual(['甲', '乙', '丙']);

    const handle = page.getByRole('button', { name: '拖动以移动 甲' });
    const target = page.getByRole('treeitem', { name: '丙' });
    const box = await target.boundingBox();
    if (!box) throw new Error('no box');
    await handle.dragTo(target, { targetPosition: { x: 200, y: box.height - 3 } });
    await expect.poll(() => treeTitles(page)).toEqual(['乙', '丙', '甲']);
  });

  test('deletes a task into the trash and restores it with its children', async () => {
    const page = await start();
    await createPlan(page, '回收');
    await addTopTask(page, '工作要求');
    await page.getByRole('button', { name: '在 工作要求 下添加子项' }).click();
    await page.keyboard.type('加强理论武装');
    await page.keyboard.press('Tab');
    await expect.poll(() => treeTitles(page)).toEqual(['工作要求', '加强理论武装']);

    await page.getByRole('button', { name: '删除 工作要求' }).click();
    await expect.poll(() => treeTitles(page)).toEqual([]);
    await page.getByRole('button', { name: '回收站' }).click();
    await page.getByRole('button', { name: '恢复 工作要求' }).click();
    await expect.poll(() => treeTitles(page)).toEqual(['工作要求', '加强理论武装']);
  });

  test('filters by branch and shows progress per branch', async () => {
    const page = await start();
    await createPlan(page, '筛选');
    await page.getByRole('button', { name: '支部', exact: true }).click();
    for (const b of ['机关党支部', '第二党支部']) {
      await page.getByLabel('新支部名称').fill(b);
      await page.getByRole('button', { name: '添加支部' }).click();
    }
    await page.getByRole('button', { name: '支部', exact: true }).click();
    for (const t of ['甲', '乙']) await addTopTask(page, t);
    await page.getByRole('button', { name: '乙的详情' }).click();
    await page.getByRole('checkbox', { name: '第二党支部' }).check();
    await page.getByRole('checkbox', { name: '乙', exact: true }).check();

    await page.getByLabel('支部', { exact: true }).selectOption('owner');
    await expect.poll(() => treeTitles(page)).toEqual(['乙']);
    await expect
      .poll(() => page.getByRole('progressbar', { name: /^第二党支部/ }).getAttribute('aria-label'))
      .toBe('第二党支部：已完成 1 / 1');
  });

  test('remembers the profile and the language across a reload', async () => {
    const page = await start();
    await createPlan(page, '语言');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: 'Undo' }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Undo' }).waitFor();
    expect(await page.getByRole('dialog').count()).toBe(0);
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('button', { name: '撤销' }).waitFor();
  });

  test('lists the plans of this device on the home page', async () => {
    const page = await start();
    const id = await createPlan(page, '2023年工作要点');
    await page.getByRole('link', { name: '清单' }).click();
    const link = page.getByRole('link', { name: '2023年工作要点' });
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe(`/plan/${id}`);
    await link.click();
    await page.waitForURL(`**/plan/${id}`);
    await expect.poll(() => page.getByLabel('清单标题').inputValue()).toBe('2023年工作要点');
  });
});
