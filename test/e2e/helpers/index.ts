/**
 * End-to-end test helpers, shared by every test under test/e2e/ (this issue's and later
 * ones': import, print, invite links). Import from here.
 *
 * The e2e Vitest project (vitest.config.ts) runs `global-setup.ts` once per run, which
 * builds the client into dist/client unless it is newer than its sources
 * (`ensureClientBuilt`), runs test files one at a time, and gives tests 90 s.
 *
 * A typical file:
 *
 *   let browser: Browser; let relay: RelayProcess;
 *   beforeAll(async () => { relay = await startRelay(); browser = await launchBrowser(); });
 *   afterAll(async () => { await browser?.close(); await relay?.dispose(); });
 *
 *   test('…', async () => {
 *     const proxy = await startProxy(relay.port);          // only to cut the network for real
 *     onTestFinished(() => proxy.close());
 *     const { page, context, errors } = await openPage(browser, { name: 'A', baseURL: proxy.url });
 *     onTestFinished(() => { expect(errors).toEqual([]); }); // console errors fail the test
 *     await page.goto('/');
 *     await answerFirstUse(page, '张三', '机关党支部');
 *     const planId = await createPlan(page, '2023年工作要点');
 *     await addTopTask(page, '加强理论武装');
 *     proxy.cut(); … proxy.restore();                      // open WebSockets really close
 *     await context.setOffline(true); await page.reload();  // served by the service worker
 *   });
 *
 * - `startRelay({ dataDir?, args? })`: `qingdan serve --port 0` as a child process on a temp
 *   data dir; `url`, `port`, `stop()`, `restart()` (same port and data), `dispose()`.
 *   `args` are passed to `qingdan serve` (e.g. `--public-url` once the relay checks Origin).
 * - `startProxy(targetPort)`: loopback TCP proxy; `cut()`, `restore()`, `setTarget()`.
 * - `launchBrowser()`: Debian's Chromium (`CHROMIUM_PATH` overrides /usr/bin/chromium).
 * - `openPage(browser, { name, baseURL })`: one browser context = one person (own
 *   IndexedDB, service worker); screenshot into test-results/ when the test fails; the
 *   context closes when the test finishes.
 * - app.ts: `answerFirstUse`, `createPlan`, `addTopTask`, `titleField`, `treeTitles`,
 *   `syncStatus`, `waitSynced`, `unconfirmed`, `waitServiceWorker`, `focusedLabel`.
 */
export * from './build.ts';
export * from './relay.ts';
export * from './proxy.ts';
export * from './browser.ts';
export * from './app.ts';
