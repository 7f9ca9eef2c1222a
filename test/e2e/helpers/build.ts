import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildClient, clientBuildState } from '../../../bin/client-build.js';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The built client the relay serves. */
export const DIST = join(ROOT, 'dist/client');

/**
 * Builds the client (`vite build`) unless dist/client is newer than every source it is
 * made from, as `npm start` does. Called once per run from the e2e global setup.
 */
export function ensureClientBuilt(): void {
  if (clientBuildState(ROOT) === 'current') return;
  const run = buildClient(ROOT, { quiet: true });
  if (!run.ok) throw new Error(`vite build failed:\n${run.output}`);
}
