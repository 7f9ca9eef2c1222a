// Kept apart from relay.ts, which the benchmarks import too: this one needs vitest's runner.
import { onTestFinished } from 'vitest';
import type { RelayOptions } from '../../server/relay.ts';
import { makeTempDir, removeDir, startTestRelay, type TestRelay } from './relay.ts';

/**
 * Starts an in-process relay (quiet, 127.0.0.1) on a fresh data dir for the running test;
 * both are gone when the test finishes.
 */
export async function relayForThisTest(
  options: Partial<RelayOptions> = {},
): Promise<TestRelay & { readonly wsUrl: string }> {
  const dir = makeTempDir();
  const relay = await startTestRelay({ dataDir: dir, ...options });
  onTestFinished(async () => {
    await relay.close();
    removeDir(dir);
  });
  return Object.assign(relay, { wsUrl: relay.url.replace('http', 'ws') });
}
