// A device whose data the relay refuses on every connection, in real Chromium against the real
// relay: the stock provider would resend the same data for ever; the page says so and stops.
// The relay here refuses the page's awareness state (over a small --max-awareness-bytes), which
// it closes with 1007 as it does an update it refuses.
import { expect, onTestFinished, test } from 'vitest';
import { fetchMetric } from '../helpers/relay.ts';
import { openPage } from './helpers/browser.ts';
import { answerFirstUse, createPlan } from './helpers/app.ts';
import { startRelay } from './helpers/relay.ts';
import { useRelayAndBrowser } from './helpers/suite.ts';

// The smallest limit the relay takes; the profile below makes the page's state longer.
const suite = useRelayAndBrowser(() => startRelay({ args: ['--max-awareness-bytes', '64'] }));
const BRANCH = '中共某县机关事务管理局第一党支部委员会办公室综合科室联络组';

const refusals = (): Promise<number> =>
  fetchMetric(suite.relay.url, 'qingdan_errors_total{kind="bad_frame"}');

test('a device whose data the relay refuses again and again says so and stops retrying', async () => {
  const w = await openPage(suite.browser, { name: 'refused', baseURL: suite.relay.url });
  onTestFinished(() => {
    expect(w.errors).toEqual([]);
  });
  await w.page.goto('/');
  await answerFirstUse(w.page, '张三', BRANCH);
  await createPlan(w.page, '2023年工作要点');

  const alert = w.page.locator('cl-access [role=alert]');
  await expect
    .poll(() => alert.textContent(), { timeout: 20_000 })
    .toContain('服务器拒绝接收本设备发送的数据');
  expect(await w.page.locator('cl-access cl-invite-paste').count()).toBe(0);
  // It stopped: three refusals, and no more attempts after them.
  const after = await refusals();
  expect(after).toBe(3);
  await new Promise((resolve) => setTimeout(resolve, 3000));
  expect(await refusals()).toBe(after);
  // The edits stay on the device.
  expect(await w.page.getByLabel('清单标题').inputValue()).toBe('2023年工作要点');
});
