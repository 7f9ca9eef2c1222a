import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The built client the relay serves. */
export const DIST = join(ROOT, 'dist/client');

function newest(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = 0;
  for (const name of readdirSync(path)) max = Math.max(max, newest(join(path, name)));
  return max;
}

/**
 * Builds the client (`vite build`) unless dist/client is newer than every source it is
 * made from. Called once per run from the e2e global setup.
 */
export function ensureClientBuilt(): void {
  const index = join(DIST, 'index.html');
  const sources = ['client', 'shared', 'vite.config.ts', 'package-lock.json'].map((p) =>
    newest(join(ROOT, p)),
  );
  if (existsSync(index) && statSync(index).mtimeMs > Math.max(...sources)) return;
  const run = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  if (run.status !== 0) throw new Error(`vite build failed:\n${run.stdout}\n${run.stderr}`);
}
