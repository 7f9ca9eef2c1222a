import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TokenRegistry, loadOrCreateSecret, signToken, verifyToken } from '../../server/tokens.ts';

const dirs: string[] = [];
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'qingdan-auth-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const NOW = Date.UTC(2023, 3, 1);
const nowSec = NOW / 1000;

function forge(header: object, claims: object, signature = ''): string {
  const enc = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${enc(header)}.${enc(claims)}.${signature}`;
}

describe('invite tokens', () => {
  it('creates one secret per data dir, readable only by its owner, and keeps it', () => {
    const dir = dataDir();
    const a = loadOrCreateSecret(dir);
    const b = loadOrCreateSecret(dir);
    expect(a.equals(b)).toBe(true);
    expect(a.length).toBe(32);
    expect(statSync(join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
    expect(loadOrCreateSecret(dataDir()).equals(a)).toBe(false);
  });

  it('verifies a token it issued, with its claims', () => {
    const reg = TokenRegistry.open(dataDir());
    const { token, claims } = reg.issue({
      plan: 'p1',
      role: 'editor',
      name: '李四',
      days: 7,
      now: NOW,
    });
    expect(verifyToken(reg.secret, token, nowSec)).toEqual({ ok: true, claims });
    expect(claims).toMatchObject({
      plan: 'p1',
      role: 'editor',
      name: '李四',
      exp: nowSec + 7 * 86400,
    });
    expect(reg.isRevoked(claims.jti)).toBe(false);
    reg.close();
  });

  it('refuses alg none, another algorithm, a bad signature, a tampered role, expiry and junk', () => {
    const reg = TokenRegistry.open(dataDir());
    const { token, claims } = reg.issue({
      plan: 'p1',
      role: 'viewer',
      name: '甲',
      days: 1,
      now: NOW,
    });
    const [head, , sig] = token.split('.') as [string, string, string];
    const tampered = `${head}.${Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url')}.${sig}`;
    expect(verifyToken(reg.secret, tampered, nowSec)).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    expect(verifyToken(reg.secret, forge({ alg: 'none', typ: 'JWT' }, claims), nowSec)).toEqual({
      ok: false,
      reason: 'unsupported-alg',
    });
    expect(verifyToken(reg.secret, forge({ alg: 'HS512' }, claims, sig), nowSec)).toEqual({
      ok: false,
      reason: 'unsupported-alg',
    });
    const other = signToken(loadOrCreateSecret(dataDir()), claims);
    expect(verifyToken(reg.secret, other, nowSec)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyToken(reg.secret, token, claims.exp)).toEqual({ ok: false, reason: 'expired' });
    for (const junk of ['', 'a.b', 'a.b.c', '...', `${head}.!!.${sig}`, 'x'.repeat(5000)])
      expect(verifyToken(reg.secret, junk, nowSec).ok).toBe(false);
    reg.close();
  });

  it('revokes, lists and reports revocations; works across two handles on one data dir', () => {
    const dir = dataDir();
    const relay = TokenRegistry.open(dir);
    const cli = TokenRegistry.open(dir);
    const a = cli.issue({ plan: 'p1', role: 'editor', name: '甲', days: 30, now: NOW });
    cli.issue({ plan: 'p2', role: 'viewer', name: '乙', days: 30, now: NOW + 1000 });
    expect(relay.list('p1').map((t) => [t.name, t.role, t.revokedAt])).toEqual([
      ['甲', 'editor', null],
    ]);
    expect(relay.list().map((t) => t.plan)).toEqual(['p2', 'p1']);
    expect(cli.revoke(a.claims.jti, NOW + 5000)).toBe(true);
    expect(cli.revoke(a.claims.jti, NOW + 6000)).toBe(false);
    expect(cli.revoke('nope', NOW)).toBe(false);
    expect(relay.isRevoked(a.claims.jti)).toBe(true);
    expect(relay.revokedSince(nowSec)).toEqual([a.claims.jti]);
    expect(relay.isRevoked('never-issued')).toBe(true);
    relay.close();
    cli.close();
  });

  it('refuses to issue a token with a bad plan id, role, name or duration', () => {
    const reg = TokenRegistry.open(dataDir());
    const base = { plan: 'p1', role: 'editor' as const, name: '甲', days: 7, now: NOW };
    expect(() => reg.issue({ ...base, plan: '../x' })).toThrow(/plan id/);
    expect(() => reg.issue({ ...base, role: 'root' as 'admin' })).toThrow(/role/);
    expect(() => reg.issue({ ...base, name: ' ' })).toThrow(/name/);
    expect(() => reg.issue({ ...base, days: 0 })).toThrow(/days/);
    expect(reg.list()).toEqual([]);
    reg.close();
  });
});
