import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect, onTestFinished } from 'vitest';
import { ROOT } from './build.ts';
import { adminTokenFor } from './relay.ts';

/** Debian's Chromium; never `npx playwright install`. */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Console errors a page may log when the network is cut on purpose: the browser itself
 * reports failed WebSocket and fetch attempts. Anything else is a bug in the app.
 */
const EXPECTED_NETWORK_ERRORS = [
  /WebSocket connection to .* failed/,
  /Failed to load resource/,
  /net::ERR_/,
];

/** A page whose console errors and uncaught exceptions fail the test. */
export interface WatchedPage {
  readonly page: Page;
  readonly context: BrowserContext;
  /** Errors seen so far (checked by `expectNoErrors`, and at the end of the test). */
  readonly errors: string[];
}

/**
 * Opens a new context (one "person": its own IndexedDB, service worker and cookies) and a
 * page in it. Console errors (other than expected network failures) and page errors are
 * collected and turn into a failure of the test; a failing test leaves a screenshot of
 * the page in test-results/. The context is closed when the test finishes.
 */
export async function openPage(
  browser: Browser,
  opts: {
    name: string;
    baseURL: string;
    /**
     * The invite token this person's browser gets first (issue 7): default, the relay's admin
     * token for every plan; null for none.
     */
    token?: string | null;
    /** `block`: no service worker ever controls the page (a first visit, before it installs). */
    serviceWorkers?: 'allow' | 'block';
  },
): Promise<WatchedPage> {
  const context = await browser.newContext({
    baseURL: opts.baseURL,
    locale: 'zh-CN',
    serviceWorkers: opts.serviceWorkers ?? 'allow',
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const text = m.text();
    if (!EXPECTED_NETWORK_ERRORS.some((re) => re.test(text))) errors.push(`console: ${text}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  // One hook, so the screenshot is taken before the context closes.
  onTestFinished(async ({ task }) => {
    if (task.result?.state === 'fail' && !page.isClosed()) {
      const dir = join(ROOT, 'test-results');
      mkdirSync(dir, { recursive: true });
      const file = `${task.name.replace(/[^\w\u4e00-\u9fff-]+/g, '_').slice(0, 80)}-${opts.name}.png`;
      await page.screenshot({ path: join(dir, file), fullPage: true }).catch(() => undefined);
    }
    await context.close().catch(() => undefined);
  });
  const token = opts.token === undefined ? adminTokenFor(opts.baseURL) : opts.token;
  if (token) await acceptInvite(page, `/#token=${token}`);
  return { page, context, errors };
}

/**
 * Opens an invite link the way a person does, and waits until the app has taken the token
 * out of the address bar and stored it (the app renders its page only after that).
 */
export async function acceptInvite(page: Page, url: string): Promise<void> {
  const token = /#token=(\S+)/.exec(url)?.[1] ?? '';
  await page.goto(url);
  await expect
    .poll(() => page.evaluate(() => location.hash), { timeout: 15_000 })
    .not.toContain('token=');
  // The app's token store (client/storage/stores.ts), read as the app would.
  await expect
    .poll(
      () =>
        page.evaluate(
          (t) =>
            new Promise<boolean>((resolve) => {
              const open = indexedDB.open('qingdan-tokens');
              // Not there yet: do not create it (the app's createStore must make its store).
              open.onupgradeneeded = () => open.transaction?.abort();
              open.onerror = () => resolve(false);
              open.onsuccess = () => {
                const db = open.result;
                if (!db.objectStoreNames.contains('tokens')) {
                  db.close();
                  resolve(false);
                  return;
                }
                const all = db.transaction('tokens').objectStore('tokens').getAll();
                all.onsuccess = () => {
                  db.close();
                  resolve((all.result as unknown[]).includes(t));
                };
                all.onerror = () => {
                  db.close();
                  resolve(false);
                };
              };
            }),
          token,
        ),
      { timeout: 15_000 },
    )
    .toBe(true);
}
