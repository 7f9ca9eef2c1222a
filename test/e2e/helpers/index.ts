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
 *   const suite = useRelayAndBrowser();                    // beforeAll/afterAll of the file
 *
 *   test('…', async () => {
 *     const proxy = await startProxy(suite.relay.port);    // only to cut the network for real
 *     onTestFinished(() => proxy.close());
 *     const { page, context, errors } = await openPage(suite.browser, { name: 'A', baseURL: proxy.url });
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
 *   `args` are passed to `qingdan serve` (e.g. `--public-url`; `--allow-origin
 *   http://127.0.0.1:*` is always given, for the proxies). Auth is on (issue 7): `adminToken`
 *   is the first-start admin invite for every plan; `invite(plan, role, name)` makes more
 *   (`{ url, id }`).
 * - `startProxy(targetPort)`: loopback TCP proxy; `cut()`, `restore()`, `setTarget()`.
 * - `launchBrowser()`: Debian's Chromium (`CHROMIUM_PATH` overrides /usr/bin/chromium).
 * - `openPage(browser, { name, baseURL })`: one browser context = one person (own
 *   IndexedDB, service worker); screenshot into test-results/ when the test fails; the
 *   context closes when the test finishes. It first opens the relay's admin invite (found
 *   by baseURL, proxies included); `token: null` for a person with no invite, then
 *   `acceptInvite(page, url)` to open theirs.
 * - app.ts: `answerFirstUse`, `createPlan`, `addTopTask`, `titleField`, `treeTitles`,
 *   `syncStatus`, `waitSynced`, `unconfirmed`, `waitServiceWorker`, `focusedLabel`.
 */
export * from './build.ts';
export * from './relay.ts';
export * from './proxy.ts';
export * from './browser.ts';
export * from './app.ts';
export * from './suite.ts';
