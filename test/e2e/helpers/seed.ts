import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import type { Page } from 'playwright-core';
import { openStore } from '../../../server/store.ts';
import { startRelay, type RelayProcess } from './relay.ts';

/** A plan to put in the relay's store before it starts. */
export interface SeededPlan {
  readonly id: string;
  /** Builds the plan in a fresh doc (the plan API, e.g. `buildSeedPlan`). */
  readonly build: (doc: Y.Doc) => void;
}

/**
 * Starts a relay whose store already holds these plans, written through the store's own
 * `createPlan` as `qingdan import` does, so a page can open them at once. Dispose it like
 * any relay: the temporary data dir goes with it.
 */
export async function startSeededRelay(
  plans: readonly SeededPlan[],
  opts: { args?: readonly string[] } = {},
): Promise<RelayProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'qingdan-e2e-'));
  const store = openStore(dataDir);
  try {
    for (const p of plans) {
      const doc = new Y.Doc();
      p.build(doc);
      const done = await store.createPlan(p.id, Y.encodeStateAsUpdate(doc));
      doc.destroy();
      if (!done.ok) throw new Error(`cannot seed ${p.id}: ${done.message}`);
    }
  } finally {
    await store.close();
  }
  const relay = await startRelay({ dataDir, ...(opts.args ? { args: opts.args } : {}) });
  return {
    ...relay,
    get url() {
      return relay.url;
    },
    get port() {
      return relay.port;
    },
    async dispose() {
      await relay.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Opens a plan's page (`/plan/<id>`) or a page under it (`/print`, `?version=…`) in `page`.
 * One place to change when opening a plan needs more than its URL (an invite token).
 */
export async function gotoPlan(page: Page, planId: string, rest = ''): Promise<void> {
  await page.goto(`/plan/${planId}${rest}`);
}
