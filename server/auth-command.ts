/**
 * `qingdan invite`, `qingdan revoke` and `qingdan tokens`: issue, revoke and list invite
 * tokens in a data dir, whether or not a relay is running on it (the registry is SQLite in
 * WAL mode; a running relay sees a revocation within a second and closes its connections).
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { ALL_PLANS } from './auth.ts';
import { ROLES, TokenRegistry, type Role } from './tokens.ts';

export interface CommandIo {
  readonly stdout: { write(s: string): unknown };
  readonly stderr: { write(s: string): unknown };
}

export const DEFAULT_PUBLIC_URL = 'http://127.0.0.1:8080';

/** The link that opens a plan with a token, carried in the fragment (never sent to a server). */
export function inviteUrl(publicUrl: string, plan: string, token: string): string {
  const base = publicUrl.replace(/\/+$/, '');
  const path = plan === ALL_PLANS ? '/' : `/plan/${plan}`;
  return `${base}${path}#token=${token}`;
}

const INVITE_USAGE = `usage: qingdan invite --plan ID --role admin|editor|viewer --name NAME [--days N] [--data DIR] [--public-url URL]
  prints an invite link; --plan '*' with --role admin opens every plan
`;

function fail(io: CommandIo, message: string, usage = ''): number {
  io.stderr.write(`qingdan: ${message}\n${usage}`);
  return 2;
}

async function invite(args: readonly string[], io: CommandIo, now: () => number): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      strict: true,
      options: {
        plan: { type: 'string' },
        role: { type: 'string' },
        name: { type: 'string' },
        days: { type: 'string', default: '30' },
        data: { type: 'string', default: './data' },
        'public-url': { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (e) {
    return fail(io, (e as Error).message, INVITE_USAGE);
  }
  if (values.help) {
    io.stdout.write(INVITE_USAGE);
    return 0;
  }
  const { plan, role, name } = values;
  if (plan === undefined || role === undefined || name === undefined)
    return fail(io, '--plan, --role and --name are required', INVITE_USAGE);
  if (!(ROLES as readonly string[]).includes(role))
    return fail(io, `--role must be one of ${ROLES.join(', ')}`);
  if (plan === ALL_PLANS && role !== 'admin')
    return fail(io, `only an admin invite can cover every plan (--plan '*')`);
  const days = Number(values.days);
  const publicUrl = values['public-url'] ?? process.env['QINGDAN_PUBLIC_URL'] ?? DEFAULT_PUBLIC_URL;
  try {
    new URL(publicUrl);
  } catch {
    return fail(io, `--public-url “${publicUrl}” is not a URL`);
  }
  const registry = TokenRegistry.open(resolve(values.data));
  try {
    const { token, claims } = registry.issue({ plan, role: role as Role, name, days, now: now() });
    io.stdout.write(`${inviteUrl(publicUrl, plan, token)}\n`);
    io.stderr.write(
      `invite ${claims.jti}: ${claims.role} “${claims.name}” on ${plan}, until ${new Date(claims.exp * 1000).toISOString()}\n`,
    );
    return 0;
  } catch (e) {
    return fail(io, (e as Error).message);
  } finally {
    registry.close();
  }
}

async function revoke(args: readonly string[], io: CommandIo, now: () => number): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: true,
      options: { data: { type: 'string', default: './data' } },
    });
  } catch (e) {
    return fail(io, (e as Error).message, 'usage: qingdan revoke TOKEN-ID [--data DIR]\n');
  }
  const [id] = parsed.positionals;
  if (id === undefined || parsed.positionals.length !== 1)
    return fail(io, 'name one token id', 'usage: qingdan revoke TOKEN-ID [--data DIR]\n');
  const registry = TokenRegistry.open(resolve(parsed.values.data));
  try {
    if (!registry.revoke(id, now())) {
      const known = registry.list().some((t) => t.id === id);
      return fail(io, known ? `token ${id} is already revoked` : `no token ${id}`);
    }
    io.stdout.write(`revoked ${id}\n`);
    return 0;
  } finally {
    registry.close();
  }
}

async function tokens(args: readonly string[], io: CommandIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      strict: true,
      options: {
        plan: { type: 'string' },
        data: { type: 'string', default: './data' },
        json: { type: 'boolean' },
      },
    }));
  } catch (e) {
    return fail(
      io,
      (e as Error).message,
      'usage: qingdan tokens [--plan ID] [--data DIR] [--json]\n',
    );
  }
  const registry = TokenRegistry.open(resolve(values.data));
  try {
    const list = registry.list(values.plan);
    if (values.json) {
      io.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
      return 0;
    }
    const iso = (s: number): string => new Date(s * 1000).toISOString().slice(0, 10);
    for (const t of list)
      io.stdout.write(
        `${t.id}\t${t.plan}\t${t.role}\t${t.name}\t${iso(t.issuedAt)}\t${iso(t.expiresAt)}\t${t.revokedAt === null ? 'active' : `revoked ${iso(t.revokedAt)}`}\n`,
      );
    if (list.length === 0) io.stderr.write('no tokens\n');
    return 0;
  } finally {
    registry.close();
  }
}

/** Runs `invite`, `revoke` or `tokens`; returns the exit code. */
export async function runAuthCommand(
  verb: 'invite' | 'revoke' | 'tokens',
  args: readonly string[],
  io: CommandIo,
  now: () => number = Date.now,
): Promise<number> {
  if (verb === 'invite') return invite(args, io, now);
  if (verb === 'revoke') return revoke(args, io, now);
  return tokens(args, io);
}
