import { afterAll, beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser.ts';
import { startRelay, type RelayProcess } from './relay.ts';

/** The relay and the browser that a test file's tests share. */
export interface Suite {
  readonly relay: RelayProcess;
  readonly browser: Browser;
}

/**
 * Starts a relay (`startRelay()`, or `start` for one made differently) and Chromium before the
 * file's tests and closes both after them. Read `relay` and `browser` inside tests and hooks:
 * they exist only once the file's `beforeAll` has run.
 */
export function useRelayAndBrowser(start: () => Promise<RelayProcess> = startRelay): Suite {
  let relay: RelayProcess | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    relay = await start();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await relay?.dispose();
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the suite's ${what} is not started yet`);
    return value;
  };
  return {
    get relay() {
      return started(relay, 'relay');
    },
    get browser() {
      return started(browser, 'browser');
    },
  };
}
