import { ensureClientBuilt } from './build.ts';

/** Vitest globalSetup for test/e2e: build the client once per run. */
export default function setup(): void {
  ensureClientBuilt();
}
