// bin/client-build.js: when `npm start` builds the client again. A pull or an edit makes a
// source newer than dist/client/index.html; so does deleting a source (its directory changes).
import { mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { clientBuildState } from '../../bin/client-build.js';
import { makeTempDir, removeDir } from '../helpers/relay.ts';

let root: string;
const HOUR = 3600;
const now = Date.now() / 1000;

/** Writes `path` under the root with the given modification time (seconds ago). */
function write(path: string, secondsAgo: number): void {
  const file = join(root, path);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, path);
  utimesSync(file, now - secondsAgo, now - secondsAgo);
}

/** Sets a directory's modification time (seconds ago). */
function age(path: string, secondsAgo: number): void {
  utimesSync(join(root, path), now - secondsAgo, now - secondsAgo);
}

beforeEach(() => {
  root = makeTempDir();
  write('client/index.html', 3 * HOUR);
  write('client/app.ts', 3 * HOUR);
  write('shared/plan.ts', 3 * HOUR);
  write('vite.config.ts', 3 * HOUR);
  write('tsconfig.json', 3 * HOUR);
  write('package-lock.json', 3 * HOUR);
  for (const dir of ['client', 'shared']) age(dir, 3 * HOUR);
});

afterEach(() => removeDir(root));

test('a client that was never built is missing', () => {
  expect(clientBuildState(root)).toBe('missing');
});

test('a build newer than every source is current', () => {
  write('dist/client/index.html', HOUR);
  expect(clientBuildState(root)).toBe('current');
});

test('a build older than any one source is stale, whichever source it is', () => {
  write('dist/client/index.html', HOUR);
  const sources = ['client/app.ts', 'shared/plan.ts', 'vite.config.ts', 'tsconfig.json'];
  for (const source of [...sources, 'package-lock.json']) {
    write(source, 0);
    expect({ source, state: clientBuildState(root) }).toEqual({ source, state: 'stale' });
    write(source, 3 * HOUR);
    for (const dir of ['client', 'shared']) age(dir, 3 * HOUR);
    expect(clientBuildState(root)).toBe('current');
  }
});

test('a source deleted since the build makes it stale', () => {
  write('dist/client/index.html', HOUR);
  rmSync(join(root, 'client/app.ts'));
  expect(clientBuildState(root)).toBe('stale');
});

test('a source changed in a nested directory makes it stale', () => {
  write('client/components/old.ts', 3 * HOUR);
  age('client/components', 3 * HOUR);
  age('client', 3 * HOUR);
  write('dist/client/index.html', HOUR);
  expect(clientBuildState(root)).toBe('current');
  write('client/components/new.ts', 0);
  expect(clientBuildState(root)).toBe('stale');
});
