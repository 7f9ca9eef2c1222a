import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  REPO_ROOT,
  makeTempDir,
  removeDir,
  spawnRelay,
  type SpawnedRelay,
} from '../helpers/relay.ts';

let dir: string;
let relay: SpawnedRelay | undefined;

beforeEach(() => {
  dir = makeTempDir();
});

afterEach(async () => {
  await relay?.kill();
  relay = undefined;
  removeDir(dir);
});

function qingdan(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ['bin/qingdan.js', ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 15_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('qingdan serve', () => {
  test('prints the URL with the real port, answers /healthz, and writes only its store into the data dir', async () => {
    relay = await spawnRelay(dir);
    expect(relay.port).toBeGreaterThan(0);
    expect((await relay.health()).ok).toBe(true);
    expect(await relay.stop()).toBe(0);
    // The store, and the invite tokens' secret and registry (issue 7).
    expect(
      readdirSync(dir).every(
        (f) => f.startsWith('qingdan.db') || f === 'secret.key' || f.startsWith('auth.db'),
      ),
    ).toBe(true);
  }, 60_000);

  test('usage errors exit 2 with a message; a port in use exits 1', async () => {
    expect(qingdan('serve', '--bogus')).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('--bogus'),
    });
    expect(qingdan('serve', '--durability', 'maybe')).toMatchObject({ status: 2 });
    expect(qingdan('serve', '--port', '70000')).toMatchObject({ status: 2 });
    expect(qingdan('serve', '--help')).toMatchObject({
      status: 0,
      stdout: expect.stringContaining('--max-db-mb'),
    });
    relay = await spawnRelay(dir);
    const busy = qingdan('serve', '--port', String(relay.port), '--data', `${dir}/other`);
    expect(busy.status).toBe(1);
    expect(busy.stderr).toContain('EADDRINUSE');
    // Refused before its data dir was made.
    expect(existsSync(`${dir}/other`)).toBe(false);
  }, 60_000);

  test('a second relay on a data dir another relay serves exits 1 naming that relay; once it is killed, a relay starts there at once', async () => {
    relay = await spawnRelay(dir);
    const second = qingdan('serve', '--port', '0', '--data', dir);
    expect(second.status).toBe(1);
    expect(second.stderr).toMatch(
      /^qingdan serve: the data dir .+ is already served by another relay/,
    );
    expect(second.stderr).toContain(`pid ${relay.pid}, http://127.0.0.1:${relay.port}`);
    expect(second.stderr).not.toMatch(/\n\s+at /);
    expect(second.stdout).toBe('');
    // The first goes on serving.
    expect((await relay.health()).ok).toBe(true);
    // Killed (SIGKILL): its claim goes with it.
    await relay.kill();
    relay = await spawnRelay(dir);
    expect((await relay.health()).ok).toBe(true);
  }, 60_000);

  test('a data dir that is a file, or inside one, exits 1 naming it, not a stack trace, for every verb', () => {
    const file = join(dir, 'not-a-dir');
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, 'a file where the data dir should be\n');
    const runs = [
      qingdan('serve', '--port', '0', '--data', file),
      qingdan('serve', '--port', '0', '--data', join(file, 'data')),
      qingdan('tokens', '--data', file),
      qingdan('invite', '--plan', 'p1', '--role', 'editor', '--name', '张三', '--data', file),
    ];
    for (const run of runs) {
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/^qingdan (serve|tokens|invite): cannot use the data dir /);
      expect(run.stderr).toContain(file);
      expect(run.stderr).toContain('must be a directory this user can write to');
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
    // Nothing was written: the file is as it was, and no directory appeared beside it.
    expect(readdirSync(dir)).toEqual(['not-a-dir']);
  }, 60_000);

  test('a damaged secret or database in the data dir exits 1 with what to do, not a stack trace', () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'secret.key'), 'not a secret\n');
    const secret = qingdan('serve', '--port', '0', '--data', dir);
    expect(secret.status).toBe(1);
    expect(secret.stderr).toContain('secret.key is damaged');
    expect(secret.stderr).not.toMatch(/\n\s+at /);
    expect(qingdan('tokens', '--data', dir)).toMatchObject({
      status: 1,
      stderr: expect.stringContaining('secret.key is damaged'),
    });

    rmSync(join(dir, 'secret.key'));
    writeFileSync(join(dir, 'qingdan.db'), 'this is not a database, it is a note'.repeat(200));
    const db = qingdan('serve', '--port', '0', '--data', dir);
    expect(db.status).toBe(1);
    expect(db.stderr).toContain('damaged');
    expect(db.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
