import { expect } from 'vitest';
import type { Page } from 'playwright-core';

/** Answers the first-use question (name and branch) if it is asked. */
export async function answerFirstUse(page: Page, name: string, branch = ''): Promise<void> {
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await dialog.getByLabel('您的姓名').fill(name);
  await dialog.getByLabel('所在支部或科室').fill(branch);
  await dialog.getByRole('button', { name: '确定' }).click();
  await dialog.waitFor({ state: 'detached' });
}

/** Creates a plan from the home page and resolves with its id (the page is on it then). */
export async function createPlan(page: Page, title: string): Promise<string> {
  await page.goto('/');
  await page.getByLabel('标题', { exact: true }).fill(title);
  await page.getByRole('button', { name: '新建' }).click();
  await page.waitForURL(/\/plan\/[A-Za-z0-9_-]+$/);
  await expect.poll(() => page.getByLabel('清单标题').inputValue()).toBe(title);
  return new URL(page.url()).pathname.split('/').pop() as string;
}

/** The sync indicator's text (离线 / 连接中 / 已同步 …). */
export function syncStatus(page: Page): Promise<string> {
  return page.locator('cl-sync-status .s').innerText();
}

/** Waits until the page shows 已同步 (connected and through the sync handshake). */
export async function waitSynced(page: Page, timeout = 15_000): Promise<void> {
  await expect
    .poll(() => page.locator('cl-sync-status .state').innerText(), { timeout })
    .toBe('已同步');
}

/** The number of changes the page says the relay has not confirmed (0 when none shown). */
export async function unconfirmed(page: Page): Promise<number> {
  const text = await syncStatus(page);
  const m = /(\d+) 项更改未同步/.exec(text);
  return m ? Number(m[1]) : 0;
}

/** Adds a top-level task with a title, through the UI, and waits for it to show. */
export async function addTopTask(page: Page, title: string): Promise<void> {
  const before = await page.getByRole('treeitem').count();
  await page.getByRole('button', { name: '添加部分' }).click();
  await expect.poll(() => page.getByRole('treeitem').count()).toBe(before + 1);
  await page.keyboard.type(title);
  await page.keyboard.press('Tab');
  await expect.poll(() => page.getByRole('checkbox', { name: title, exact: true }).count()).toBe(1);
}

/** The title field of the task with this title. */
export function titleField(page: Page, title: string) {
  return page.getByRole('textbox', { name: `${title}的标题`, exact: true });
}

/**
 * Waits until the service worker controls the page (after which it opens offline). The
 * worker claims open pages when it activates; should this page still be uncontrolled after
 * that (Chromium does not always hand over a page loaded while the worker installed), one
 * reload puts it under the active worker, as any later navigation would be.
 */
export async function waitServiceWorker(page: Page): Promise<void> {
  const controlled = (): Promise<boolean> =>
    page.evaluate(() => navigator.serviceWorker?.controller !== null);
  try {
    await expect.poll(controlled, { timeout: 15_000 }).toBe(true);
    return;
  } catch {
    // Not claimed: fall through to a reload once the worker is active.
  }
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  await expect.poll(controlled, { timeout: 15_000 }).toBe(true);
}

/**
 * Waits until a plan page has fetched its parts that load when first used (client/lazy.ts:
 * the versions panel, the print view), after which they open offline.
 */
export async function waitLazyParts(page: Page): Promise<void> {
  await expect
    .poll(
      () =>
        page.evaluate(
          () =>
            customElements.get('cl-versions') !== undefined &&
            customElements.get('cl-print-page') !== undefined,
        ),
      { timeout: 15_000 },
    )
    .toBe(true);
}

/** Every task title in the tree, in order. */
export function treeTitles(page: Page): Promise<string[]> {
  return page
    .getByRole('treeitem')
    .locator('input.title')
    .evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
}

/** The aria-label of the element that has focus, looking through shadow roots. */
export function focusedLabel(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return el?.getAttribute('aria-label') ?? null;
  });
}
