// Two people on one plan, against the real relay and the built client in real Chromium.
import { afterAll, beforeAll, describe, expect, onTestFinished, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, openPage } from './helpers/browser.ts';
import { startRelay, type RelayProcess } from './helpers/relay.ts';
import { startProxy, type CuttableProxy } from './helpers/proxy.ts';
import { addTopTask, answerFirstUse, createPlan, titleField, waitSynced } from './helpers/app.ts';

let browser: Browser;
let relay: RelayProcess;
let proxy: CuttableProxy;

beforeAll(async () => {
  relay = await startRelay();
  proxy = await startProxy(relay.port);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await proxy?.close();
  await relay?.dispose();
});

async function person(name: string, branch = '机关党支部') {
  const w = await openPage(browser, { name, baseURL: proxy.url });
  onTestFinished(() => {
    expect(w.errors).toEqual([]);
  });
  await w.page.goto('/');
  await answerFirstUse(w.page, name, branch);
  return w;
}

describe('two people on one plan', () => {
  test('each sees the other’s edit', async () => {
    const a = await person('张三');
    const id = await createPlan(a.page, '2023年工作要点');
    await addTopTask(a.page, '加强理论武装');
    await waitSynced(a.page);

    const b = await person('李四', '第二党支部');
    await b.page.goto(`/plan/${id}`);
    const inB = b.page.getByRole('checkbox', { name: '加强理论武装', exact: true });
    await inB.waitFor();
    await inB.check();
    await expect
      .poll(() => a.page.getByRole('checkbox', { name: '加强理论武装', exact: true }).isChecked())
      .toBe(true);

    await titleField(a.page, '加强理论武装').fill('加强理论武装学习');
    await expect
      .poll(() => b.page.getByRole('checkbox', { name: '加强理论武装学习', exact: true }).count())
      .toBe(1);
  });
});
