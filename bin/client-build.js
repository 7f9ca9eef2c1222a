// Whether dist/client is older than what it is built from, and the build itself. `npm start`
// (bin/start.js) builds the client when it is missing or out of date, so a clone that has
// pulled new client code serves that code; the end-to-end tests' setup does the same.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** What `vite build` reads, relative to the repository root. */
const CLIENT_SOURCES = ['client', 'shared', 'vite.config.ts', 'tsconfig.json', 'package-lock.json'];

/** The newest modification time under `path` (0 when it does not exist). */
function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const name of readdirSync(path)) max = Math.max(max, newest(join(path, name)));
  return max;
}

/**
 * 'missing' when `root`/dist/client has no index.html, 'stale' when a source is newer than it
 * (a pull, an edit), otherwise 'current'.
 */
export function clientBuildState(root) {
  const index = join(root, 'dist/client/index.html');
  if (!existsSync(index)) return 'missing';
  const sources = Math.max(...CLIENT_SOURCES.map((p) => newest(join(root, p))));
  return statSync(index).mtimeMs > sources ? 'current' : 'stale';
}

/**
 * Runs `vite build` in `root`. `quiet` prints errors only; otherwise vite's output goes to the
 * terminal. Returns vite's exit status and what it printed (empty when not quiet).
 */
export function buildClient(root, { quiet = false } = {}) {
  const run = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules/vite/bin/vite.js'),
      'build',
      ...(quiet ? ['--logLevel', 'error'] : []),
    ],
    { cwd: root, encoding: 'utf8', stdio: quiet ? 'pipe' : 'inherit' },
  );
  return { ok: run.status === 0, output: `${run.stdout ?? ''}${run.stderr ?? ''}` };
}
