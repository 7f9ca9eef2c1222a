// Two people on one plan, against the real relay and the built client in real Chromium.
// Each person reaches the relay through their own cuttable proxy, so one can lose the
// relay for real while the other stays online.
import { describe, expect, onTestFinished, test } from 'vitest';
import { openPage, type WatchedPage } from './helpers/browser.ts';
import { useRelayAndBrowser } from './helpers/suite.ts';
import { startProxy, type CuttableProxy } from './helpers/proxy.ts';
import {
  addTopTask,
  answerFirstUse,
  createPlan,
  titleField,
  treeTitles,
  unconfirmed,
  waitServiceWorker,
  waitSynced,
} from './helpers/app.ts';

const suite = useRelayAndBrowser();

interface Person extends WatchedPage {
  readonly proxy: CuttableProxy;
}

async function person(name: string, branch = '机关党支部'): Promise<Person> {
  const proxy = await startProxy(suite.relay.port);
  onTestFinished(() => proxy.close());
  const w = await openPage(suite.browser, { name, baseURL: proxy.url });
  onTestFinished(() => {
    expect(w.errors).toEqual([]);
  });
  await w.page.goto('/');
  await answerFirstUse(w.page, name, branch);
  return { ...w, proxy };
}

const box = (p: Person, title: string) =>
  p.page.getByRole('checkbox', { name: title, exact: true });

/** A plan made by `a` with these top-level tasks, opened by `b` too. */
async function sharedPlan(a: Person, b: Person, titles: string[]): Promise<string> {
  const id = await createPlan(a.page, '2023年工作要点');
  for (const t of titles) await addTopTask(a.page, t);
  await waitSynced(a.page);
  await expect.poll(() => unconfirmed(a.page), { timeout: 15_000 }).toBe(0);
  await b.page.goto(`/plan/${id}`);
  for (const t of titles) await box(b, t).waitFor();
  await waitSynced(b.page);
  return id;
}

describe('two people on one plan', () => {
  test('each sees the other’s edit', async () => {
    const a = await person('张三');
    const b = await person('李四', '第二党支部');
    await sharedPlan(a, b, ['加强理论武装']);
    await box(b, '加强理论武装').check();
    await expect.poll(() => box(a, '加强理论武装').isChecked()).toBe(true);
    await titleField(a.page, '加强理论武装').fill('加强理论武装学习');
    await expect.poll(() => box(b, '加强理论武装学习').count()).toBe(1);
  });

  test('edits made without the relay survive an offline reload and reach the other person', async () => {
    const a = await person('张三');
    const b = await person('李四');
    await sharedPlan(a, b, ['任务一', '任务二', '任务三']);
    await waitServiceWorker(a.page);

    a.proxy.cut();
    await expect.poll(() => a.page.locator('cl-sync-status .state').innerText()).not.toBe('已同步');
    for (const t of ['任务一', '任务二', '任务三'])
      await titleField(a.page, t).fill(`${t}（离线修改）`);
    await expect.poll(() => unconfirmed(a.page)).toBeGreaterThanOrEqual(3);

    await a.context.setOffline(true);
    await a.page.reload();
    for (const t of ['任务一', '任务二', '任务三']) await box(a, `${t}（离线修改）`).waitFor();
    expect(await a.page.locator('cl-sync-status .state').innerText()).not.toBe('已同步');

    await a.context.setOffline(false);
    a.proxy.restore();
    await expect
      .poll(() => treeTitles(b.page), { timeout: 20_000 })
      .toEqual(['任务一（离线修改）', '任务二（离线修改）', '任务三（离线修改）']);
    await waitSynced(a.page, 20_000);
    await expect.poll(() => unconfirmed(a.page), { timeout: 20_000 }).toBe(0);
  });

  test('both edit one title offline at different places and keep both edits', async () => {
    const a = await person('张三');
    const b = await person('李四');
    await sharedPlan(a, b, ['强化廉政教育']);
    a.proxy.cut();
    b.proxy.cut();
    await expect.poll(() => a.page.locator('cl-sync-status .state').innerText()).toBe('离线');
    await expect.poll(() => b.page.locator('cl-sync-status .state').innerText()).toBe('离线');

    const ta = titleField(a.page, '强化廉政教育');
    await ta.focus();
    await a.page.keyboard.press('Home');
    await a.page.keyboard.type('持续');
    await a.page.keyboard.press('Tab');
    const tb = titleField(b.page, '强化廉政教育');
    await tb.focus();
    await b.page.keyboard.press('End');
    await b.page.keyboard.type('工作');
    await b.page.keyboard.press('Tab');

    a.proxy.restore();
    b.proxy.restore();
    const merged = '持续强化廉政教育工作';
    await expect.poll(() => treeTitles(a.page), { timeout: 20_000 }).toEqual([merged]);
    await expect.poll(() => treeTitles(b.page), { timeout: 20_000 }).toEqual([merged]);
  });

  test('presence shows who edits which task, and clears when they leave', async () => {
    const a = await person('张三');
    const b = await person('李四', '第二党支部');
    await sharedPlan(a, b, ['加强理论武装', '强化廉政教育']);
    await b.page
      .getByRole('treeitem', { name: '强化廉政教育' })
      .getByLabel('强化廉政教育的标题')
      .focus();

    const itemInA = a.page.getByRole('treeitem', { name: '强化廉政教育' });
    await expect.poll(() => itemInA.locator('.editor').allInnerTexts()).toEqual(['李四']);
    const other = a.page.getByRole('treeitem', { name: '加强理论武装' });
    expect(await other.locator('.editor').count()).toBe(0);
    await expect
      .poll(() => a.page.locator('cl-presence-list li.peer').allInnerTexts())
      .toEqual([expect.stringContaining('李四')]);

    await b.page.close();
    await expect.poll(() => itemInA.locator('.editor').count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => a.page.locator('cl-presence-list li.peer').count()).toBe(0);
  });

  test('undo in one window undoes only that person’s edit', async () => {
    const a = await person('张三');
    const b = await person('李四');
    await sharedPlan(a, b, ['任务甲', '任务乙']);
    await titleField(a.page, '任务甲').fill('任务甲（张三改）');
    await titleField(a.page, '任务甲（张三改）').blur();
    await expect.poll(() => box(b, '任务甲（张三改）').count()).toBe(1);
    await titleField(b.page, '任务乙').fill('任务乙（李四改）');
    await expect.poll(() => box(a, '任务乙（李四改）').count()).toBe(1);

    await a.page.getByRole('button', { name: '撤销' }).click();
    const expected = ['任务甲', '任务乙（李四改）'];
    await expect.poll(() => treeTitles(a.page)).toEqual(expected);
    await expect.poll(() => treeTitles(b.page)).toEqual(expected);

    await a.page.keyboard.press('Control+Shift+Z');
    await expect.poll(() => treeTitles(b.page)).toEqual(['任务甲（张三改）', '任务乙（李四改）']);
  });

  test('nothing is lost when the relay stops and restarts while both edit', async () => {
    const a = await person('张三');
    const b = await person('李四');
    const id = await sharedPlan(a, b, ['一', '二']);
    await titleField(a.page, '一').fill('一甲');
    await titleField(b.page, '二').fill('二乙');
    await suite.relay.stop();
    await titleField(a.page, '一甲').fill('一甲甲');
    await addTopTask(b.page, '三');
    await suite.relay.restart();
    await titleField(a.page, '一甲甲').fill('一甲甲甲');

    const all = ['一甲甲甲', '二乙', '三'];
    await expect.poll(() => treeTitles(a.page), { timeout: 20_000 }).toEqual(all);
    await expect.poll(() => treeTitles(b.page), { timeout: 20_000 }).toEqual(all);
    await waitSynced(a.page, 20_000);
    await waitSynced(b.page, 20_000);

    // A third person, fresh from the relay only, gets everything.
    const c = await person('王五');
    await c.page.goto(`/plan/${id}`);
    await expect.poll(() => treeTitles(c.page), { timeout: 20_000 }).toEqual(all);
  });
});
