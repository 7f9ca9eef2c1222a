import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { CLOSE_UNAUTHORIZED } from '../../server/protocol.ts';
import {
  closed,
  connectClient,
  makeTempDir,
  openRawSocket,
  REPO_ROOT,
  removeDir,
  spawnRelay,
  type SpawnedRelay,
} from '../helpers/relay.ts';

let dir: string;
const relays: SpawnedRelay[] = [];

beforeEach(() => {
  dir = makeTempDir();
});

afterEach(async () => {
  for (const r of relays.splice(0)) await r.kill();
  removeDir(dir);
});

/** Runs `node bin/qingdan.js ARGS` to its end. */
function qingdan(
  args: readonly string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/qingdan.js', ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function invite(plan: string, role: string, name: string, publicUrl = 'http://127.0.0.1:8080') {
  return qingdan([
    'invite',
    '--plan',
    plan,
    '--role',
    role,
    '--name',
    name,
    '--data',
    dir,
    '--public-url',
    publicUrl,
  ]);
}

const tokenOf = (url: string): string => /#token=(\S+)/.exec(url)?.[1] ?? '';

describe('qingdan invite / tokens / revoke', () => {
  test('work on a data dir with no relay running', async () => {
    const made = await invite('p1', 'editor', '李四', 'https://qingdan.example.gov.cn');
    expect(made.code).toBe(0);
    expect(made.stdout).toMatch(/^https:\/\/qingdan\.example\.gov\.cn\/plan\/p1#token=\S+\n$/);
    const id = /invite ([0-9a-f-]{36})/.exec(made.stderr)?.[1];
    expect(id).toBeDefined();
    // The list names the token by id, never the token.
    const list = await qingdan(['tokens', '--plan', 'p1', '--data', dir]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(`${id}\tp1\teditor\t李四`);
    expect(list.stdout).toContain('active');
    expect(list.stdout).not.toContain(tokenOf(made.stdout));
    const revoked = await qingdan(['revoke', id!, '--data', dir]);
    expect(revoked).toMatchObject({ code: 0, stdout: `revoked ${id}\n` });
    expect((await qingdan(['tokens', '--plan', 'p1', '--data', dir])).stdout).toContain('revoked');
    expect((await qingdan(['revoke', id!, '--data', dir])).code).toBe(2);
    expect((await qingdan(['revoke', 'no-such-id', '--data', dir])).code).toBe(2);
    // Bad input.
    expect((await invite('p1', 'owner', 'x')).code).toBe(2);
    expect((await invite('*', 'editor', 'x')).code).toBe(2);
    expect((await invite('../x', 'editor', 'x')).code).toBe(2);
  });

  test('work while a relay runs on the data dir: the invite opens the plan, revoking closes it', async () => {
    const relay = await spawnRelay(dir);
    relays.push(relay);
    const made = await invite('p1', 'editor', '李四', relay.url);
    expect(made.code).toBe(0);
    const token = tokenOf(made.stdout);
    const editor = connectClient(relay.wsUrl, 'p1', { token });
    try {
      await editor.synced();
      const ws = await openRawSocket(relay.wsUrl, '/p1', 5000, { token });
      const bye = closed(ws);
      const id = /invite ([0-9a-f-]{36})/.exec(made.stderr)?.[1];
      expect((await qingdan(['revoke', id!, '--data', dir])).code).toBe(0);
      const { code, reason } = await bye;
      expect(code).toBe(CLOSE_UNAUTHORIZED);
      expect(reason).toMatch(/revoked/);
      await expect(openRawSocket(relay.wsUrl, '/p1', 5000, { token })).rejects.toThrow(/401/);
    } finally {
      editor.destroy();
    }
    // Tokens never reach the log.
    expect(relay.stderr()).not.toContain(token);
    expect(relay.stderr()).not.toContain(relay.token);
  });
});

describe('the first start', () => {
  test('prints one admin invite for every plan, once', async () => {
    const relay = await spawnRelay(dir, [], { adminToken: 'first-start' });
    relays.push(relay);
    expect(relay.stdout()).toMatch(
      new RegExp(`First start.*\\n.*\\n\\s+${relay.url}/#token=\\S+\\n`),
    );
    expect(relay.token).not.toBe('');
    for (const plan of ['any', 'other']) {
      const ws = await openRawSocket(relay.wsUrl, `/${plan}`, 5000, { token: relay.token });
      ws.terminate();
    }
    const list = await qingdan(['tokens', '--data', dir, '--json']);
    expect(JSON.parse(list.stdout)).toMatchObject([{ plan: '*', role: 'admin' }]);
    expect(relay.stderr()).not.toContain(relay.token);
    expect(await relay.stop()).toBe(0);

    const again = await spawnRelay(dir, [], { adminToken: 'first-start' });
    relays.push(again);
    expect(again.stdout()).not.toContain('#token=');
    expect(again.token).toBe('');
    // The first link still works after the restart.
    const ws = await openRawSocket(again.wsUrl, '/any', 5000, { token: relay.token });
    ws.terminate();
  });

  test('serve refuses a bad --public-url', async () => {
    const r = await qingdan(['serve', '--port', '0', '--data', dir, '--public-url', 'nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/public-url/);
  });
});
