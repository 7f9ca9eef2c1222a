/**
 * Invite tokens: HS256 JWTs signed with a secret kept in the data dir, and a registry of
 * the tokens issued and revoked (`<data>/auth.db`, SQLite in WAL mode, so `qingdan invite`,
 * `revoke` and `tokens` work whether or not a relay is running on the same data dir).
 *
 * The algorithm is pinned: a token whose header is anything but `{"alg":"HS256",...}` is
 * refused (no `alg: none`, no key confusion). Signatures are compared in constant time.
 * Tokens are secrets: never log one; log the token id (`jti`).
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

import { ROLES, type Role } from '../shared/invites.ts';

export { ROLES, type Role };

/** The claims an invite token carries. */
export interface Claims {
  /** Plan id. */
  readonly plan: string;
  readonly role: Role;
  /** Who the invite is for (shown to others). */
  readonly name: string;
  /** Token id, for listing and revoking. */
  readonly jti: string;
  /** Issued at, seconds since the epoch. */
  readonly iat: number;
  /** Expires at, seconds since the epoch. */
  readonly exp: number;
}

export type VerifyFailure = 'malformed' | 'unsupported-alg' | 'bad-signature' | 'expired';

export type VerifyResult =
  | { readonly ok: true; readonly claims: Claims }
  | { readonly ok: false; readonly reason: VerifyFailure };

export const SECRET_FILE = 'secret.key';
export const AUTH_DB_FILE = 'auth.db';
const HEADER = { alg: 'HS256', typ: 'JWT' } as const;
const PLAN_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** The plan of an admin token that covers every plan (the first-start invite). */
const EVERY_PLAN = '*';

/** A token's plan: a plan id, or `*` — which only an admin token may carry. */
const planAllowed = (plan: unknown, role: unknown): boolean =>
  typeof plan === 'string' && (PLAN_ID.test(plan) || (plan === EVERY_PLAN && role === 'admin'));

const b64url = (buf: Buffer): string => buf.toString('base64url');

/** The data dir holds something the relay cannot use: said plainly, never as a stack trace. */
export class DataDirError extends Error {
  override readonly name = 'DataDirError';
}

/** Errors of a data dir that cannot be written at all (not a directory, not ours, full). */
const UNUSABLE =
  /^(EACCES|EPERM|EROFS|ENOTDIR|EEXIST|EISDIR|ENOSPC|SQLITE_(CANTOPEN|READONLY|PERM|FULL|IOERR)\w*)$/;

/**
 * A DataDirError naming the dir, for an error that says the data dir cannot be used at all
 * (opening or creating what is in it); any other error as it was.
 */
export function asDataDirError(dataDir: string, error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !UNUSABLE.test(code)) return error;
  const full = code === 'ENOSPC' || code.startsWith('SQLITE_FULL');
  return new DataDirError(
    `cannot use the data dir ${dataDir}: ${(error as Error).message} (${code}). ` +
      (full ? 'The disk is full.' : 'It must be a directory this user can write to.'),
  );
}

/**
 * The data dir's signing secret, created (32 random bytes, mode 0600) on first use. Two
 * processes starting at once cannot both create it: the file is written with `wx`, and the
 * loser reads the winner's.
 */
export function loadOrCreateSecret(dataDir: string): Buffer {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, SECRET_FILE);
  try {
    writeFileSync(file, randomBytes(32).toString('hex') + '\n', { flag: 'wx', mode: 0o600 });
    chmodSync(file, 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const hex = readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(hex))
    throw new DataDirError(
      `${file} is damaged (a qingdan secret is 64 hex characters). Restore it from a backup; ` +
        'or delete it to make a new one, after which every invite link given so far stops working.',
    );
  return Buffer.from(hex, 'hex');
}

function sign(secret: Buffer, input: string): Buffer {
  return createHmac('sha256', secret).update(input).digest();
}

/** Signs claims into a compact JWT. */
export function signToken(secret: Buffer, claims: Claims): string {
  const head = b64url(Buffer.from(JSON.stringify(HEADER)));
  const body = b64url(Buffer.from(JSON.stringify(claims)));
  return `${head}.${body}.${b64url(sign(secret, `${head}.${body}`))}`;
}

/** Verifies a token's form, algorithm, signature and expiry (not revocation, not plan). */
export function verifyToken(secret: Buffer, token: string, nowSeconds: number): VerifyResult {
  if (typeof token !== 'string' || token.length > 4096) return { ok: false, reason: 'malformed' };
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'malformed' };
  const [head, body, sig] = parts as [string, string, string];
  const header = parseJson(head);
  if (header === null) return { ok: false, reason: 'malformed' };
  if (header['alg'] !== 'HS256' || (header['typ'] !== undefined && header['typ'] !== 'JWT'))
    return { ok: false, reason: 'unsupported-alg' };
  const expected = sign(secret, `${head}.${body}`);
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'bad-signature' };
  const c = parseJson(body);
  if (
    c === null ||
    typeof c['plan'] !== 'string' ||
    !planAllowed(c['plan'], c['role']) ||
    !(ROLES as readonly unknown[]).includes(c['role']) ||
    typeof c['name'] !== 'string' ||
    typeof c['jti'] !== 'string' ||
    typeof c['iat'] !== 'number' ||
    typeof c['exp'] !== 'number'
  )
    return { ok: false, reason: 'malformed' };
  if (c['exp'] <= nowSeconds) return { ok: false, reason: 'expired' };
  return {
    ok: true,
    claims: {
      plan: c['plan'],
      role: c['role'] as Role,
      name: c['name'],
      jti: c['jti'],
      iat: c['iat'],
      exp: c['exp'],
    },
  };
}

function parseJson(part: string): Record<string, unknown> | null {
  if (!/^[A-Za-z0-9_-]+$/.test(part)) return null;
  try {
    const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** A token as `qingdan tokens` lists it (never the token itself). */
export interface TokenInfo {
  readonly id: string;
  readonly plan: string;
  readonly role: Role;
  readonly name: string;
  /** Seconds since the epoch. */
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly revokedAt: number | null;
}

interface Row {
  id: string;
  plan: string;
  role: Role;
  name: string;
  issued_at: number;
  expires_at: number;
  revoked_at: number | null;
}

const toInfo = (r: Row): TokenInfo => ({
  id: r.id,
  plan: r.plan,
  role: r.role,
  name: r.name,
  issuedAt: r.issued_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
});

/**
 * The tokens issued for a data dir and their revocations. Safe to use from several
 * processes at once (WAL; writers wait for each other).
 */
export class TokenRegistry {
  readonly secret: Buffer;
  private readonly _db: Database.Database;
  // Prepared once: the relay checks revocation at every upgrade and polls revokedSince.
  private readonly _isRevoked: Database.Statement<[string], { revoked_at: number | null }>;
  private readonly _revokedSince: Database.Statement<[number], { id: string }>;

  private constructor(secret: Buffer, db: Database.Database) {
    this.secret = secret;
    this._db = db;
    this._isRevoked = db.prepare('SELECT revoked_at FROM tokens WHERE id = ?');
    this._revokedSince = db.prepare('SELECT id FROM tokens WHERE revoked_at >= ?');
  }

  /** Opens (creating if needed) the data dir's secret and registry. */
  static open(dataDir: string): TokenRegistry {
    let db: Database.Database | undefined;
    try {
      const secret = loadOrCreateSecret(dataDir);
      db = new Database(join(dataDir, AUTH_DB_FILE));
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 5000');
      db.exec(`CREATE TABLE IF NOT EXISTS tokens (
        id TEXT PRIMARY KEY,
        plan TEXT NOT NULL,
        role TEXT NOT NULL,
        name TEXT NOT NULL,
        issued_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        revoked_at INTEGER
      ) STRICT`);
      db.exec('CREATE INDEX IF NOT EXISTS tokens_plan ON tokens(plan)');
      return new TokenRegistry(secret, db);
    } catch (error) {
      db?.close();
      throw asDataDirError(dataDir, error);
    }
  }

  /** Issues a token for a plan and records it. */
  issue(input: {
    readonly plan: string;
    readonly role: Role;
    readonly name: string;
    readonly days: number;
    readonly now: number;
  }): { readonly token: string; readonly claims: Claims } {
    if (!(ROLES as readonly string[]).includes(input.role))
      throw new Error(`role must be one of ${ROLES.join(', ')}`);
    if (!planAllowed(input.plan, input.role))
      throw new Error(
        input.plan === EVERY_PLAN
          ? 'only an admin token can cover every plan'
          : `bad plan id “${input.plan}”`,
      );
    const name = input.name.trim();
    if (name === '' || name.length > 100)
      throw new Error('an invite needs a name (1–100 characters)');
    if (!Number.isFinite(input.days) || input.days <= 0 || input.days > 3650)
      throw new Error('days must be between 1 and 3650');
    const iat = Math.floor(input.now / 1000);
    const claims: Claims = {
      plan: input.plan,
      role: input.role,
      name,
      jti: randomUUID(),
      iat,
      exp: iat + Math.round(input.days * 86400),
    };
    this._db
      .prepare(
        'INSERT INTO tokens (id, plan, role, name, issued_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(claims.jti, claims.plan, claims.role, claims.name, claims.iat, claims.exp);
    return { token: signToken(this.secret, claims), claims };
  }

  /** Revokes a token; false when there is no such token or it was already revoked. */
  revoke(id: string, now: number): boolean {
    const r = this._db
      .prepare('UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL')
      .run(Math.floor(now / 1000), id);
    return r.changes > 0;
  }

  /** True when the token was revoked — or was never issued here (a forged jti). */
  isRevoked(id: string): boolean {
    const row = this._isRevoked.get(id);
    return row === undefined || row.revoked_at !== null;
  }

  /** The tokens of a plan (or of every plan), newest first. */
  list(plan?: string): TokenInfo[] {
    const rows = (
      plan === undefined
        ? this._db.prepare('SELECT * FROM tokens ORDER BY issued_at DESC, id')
        : this._db.prepare('SELECT * FROM tokens WHERE plan = ? ORDER BY issued_at DESC, id')
    ).all(...(plan === undefined ? [] : [plan])) as Row[];
    return rows.map(toInfo);
  }

  /** Ids of tokens revoked at or after `since` (seconds), to close their connections. */
  revokedSince(since: number): string[] {
    return this._revokedSince.all(since).map((r) => r.id);
  }

  close(): void {
    if (this._db.open) this._db.close();
  }
}
