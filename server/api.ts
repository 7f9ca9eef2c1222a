/**
 * The relay's small HTTP API for the client (issue 7), authenticated by
 * `Authorization: Bearer <token>` — never a cookie, so another site cannot make a browser
 * call it (no CSRF), and never the query string, so a token does not end up in access logs.
 *
 *   GET    /api/me?plan=ID                  the presented token's claims, checked for a plan;
 *                                            `heldBackSeconds` when this sender may not connect
 *                                            to it for now (refusals.ts)
 *   GET    /api/plans                       the plans the token covers, with titles
 *   GET    /api/plans/ID/invites            the invites of a plan            (its admins)
 *   POST   /api/plans/ID/invites            {role, name, days} → a new invite (its admins)
 *   DELETE /api/plans/ID/invites/TOKEN-ID   revokes one                      (its admins)
 *
 * Refusals: 401 when the token does not prove who you are (missing, bad, expired,
 * revoked: ask for a new invite), 403 when it does but not for this.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as Y from 'yjs';
import { readPlan } from '../shared/index.ts';
import { ALL_PLANS, checkToken, coversPlan, originAllowed, tokenFromHeader } from './auth.ts';
import type { AuthDeps } from './auth.ts';
import { inviteUrl } from './auth-command.ts';
import { PLAN_ID_PATTERN } from './http.ts';
import { errorFields, type Logger } from './log.ts';
import type { Store } from './store.ts';
import type { Invite, NewInvite } from '../shared/invites.ts';
import { ROLES, verifyToken, type Claims, type Role, type TokenInfo } from './tokens.ts';

/** Dependencies of the API. */
export interface ApiDeps extends AuthDeps {
  readonly store: Pick<Store, 'listPlans' | 'loadState'>;
  /** Base of the invite links the API hands out (the public URL, or the relay's own). */
  readonly publicUrl: () => string;
  readonly logger: Logger;
  /**
   * Milliseconds a sender (plan, token id, address) is still held back after refused updates
   * (refusals.ts); absent: never.
   */
  readonly heldBack?: (planId: string, tokenId: string, address: string) => number;
}

/** Handles the API's requests; returns false for any other path. */
export type ApiHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

const MAX_BODY = 4096;

const iso = (s: number): string => new Date(s * 1000).toISOString();
const inviteJson = (t: TokenInfo): Invite => ({
  id: t.id,
  plan: t.plan,
  role: t.role,
  name: t.name,
  issuedAt: iso(t.issuedAt),
  expiresAt: iso(t.expiresAt),
  revokedAt: t.revokedAt === null ? null : iso(t.revokedAt),
});

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        resolve(undefined);
      }
    });
    req.on('error', () => resolve(undefined));
  });
}

/** Whoever the bearer token proves, without a plan to check it against. */
function identify(
  deps: AuthDeps,
  req: IncomingMessage,
): { ok: true; claims: Claims } | { ok: false; reason: string } {
  const token = tokenFromHeader(req);
  if (token === null) return { ok: false, reason: 'missing token' };
  const v = verifyToken(deps.registry.secret, token, Math.floor(deps.now() / 1000));
  if (!v.ok) return { ok: false, reason: `token ${v.reason}` };
  if (deps.registry.isRevoked(v.claims.jti)) return { ok: false, reason: 'token revoked' };
  return { ok: true, claims: v.claims };
}

async function planTitle(store: ApiDeps['store'], id: string): Promise<string> {
  const state = await store.loadState(id).catch(() => null);
  if (state === null) return '';
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, state);
    return readPlan(doc).title;
  } catch {
    return '';
  } finally {
    doc.destroy();
  }
}

/** Creates the `/api/` handler. */
export function createApi(deps: ApiDeps): ApiHandler {
  // Titles read from the store, kept while the plan's log is unchanged (a commit adds a row,
  // a compaction changes updatedAt), so listing every plan does not rebuild each one.
  const titles = new Map<string, { key: string; title: string }>();
  const plans = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const who = identify(deps, req);
    if (!who.ok) return send(res, 401, { error: who.reason });
    const all = await deps.store.listPlans();
    const infos =
      who.claims.plan === ALL_PLANS
        ? all
        : [all.find((p) => p.id === who.claims.plan) ?? { id: who.claims.plan }];
    const out = [];
    for (const info of infos) {
      const key = 'logLength' in info ? `${info.logLength}:${info.updatedAt}` : '';
      let hit = titles.get(info.id);
      if (hit === undefined || hit.key !== key || key === '') {
        hit = { key, title: await planTitle(deps.store, info.id) };
        if (key !== '') titles.set(info.id, hit);
      }
      out.push({ id: info.id, title: hit.title });
    }
    for (const id of titles.keys()) if (!all.some((p) => p.id === id)) titles.delete(id);
    send(res, 200, out);
  };

  const me = (req: IncomingMessage, res: ServerResponse, plan: string | null): void => {
    if (plan === null || (plan !== ALL_PLANS && !PLAN_ID_PATTERN.test(plan)))
      return send(res, 400, { error: 'name a plan: /api/me?plan=ID' });
    const r = checkToken(deps, tokenFromHeader(req), plan);
    if (!r.ok) return send(res, r.status, { error: r.reason });
    const c = r.claims;
    // A browser cannot read the 429 of a refused upgrade: this is how its page learns of it.
    const wait = deps.heldBack?.(plan, c.jti, req.socket.remoteAddress ?? '') ?? 0;
    send(res, 200, {
      id: c.jti,
      plan: c.plan,
      role: c.role,
      name: c.name,
      expiresAt: iso(c.exp),
      ...(wait > 0 ? { heldBackSeconds: Math.ceil(wait / 1000) } : {}),
    });
  };

  const invites = async (
    req: IncomingMessage,
    res: ServerResponse,
    plan: string,
    tokenId: string | undefined,
  ): Promise<void> => {
    const r = checkToken(deps, tokenFromHeader(req), plan);
    if (!r.ok) return send(res, r.status, { error: r.reason });
    if (r.claims.role !== 'admin' || !coversPlan(r.claims, plan))
      return send(res, 403, { error: 'only an admin of the plan manages its invites' });
    if (req.method === 'GET' && tokenId === undefined)
      return send(res, 200, deps.registry.list(plan).map(inviteJson));
    if (req.method === 'POST' && tokenId === undefined) {
      const body = (await readBody(req)) as Record<string, unknown> | undefined;
      const role = body?.['role'];
      const name = body?.['name'];
      const days = body?.['days'] ?? 30;
      if (
        typeof role !== 'string' ||
        !(ROLES as readonly string[]).includes(role) ||
        typeof name !== 'string' ||
        typeof days !== 'number'
      )
        return send(res, 400, {
          error: 'expected {"role": "admin|editor|viewer", "name", "days"}',
        });
      try {
        const { token, claims } = deps.registry.issue({
          plan,
          role: role as Role,
          name,
          days,
          now: deps.now(),
        });
        const created: NewInvite = {
          ...inviteJson({
            id: claims.jti,
            plan,
            role: claims.role,
            name: claims.name,
            issuedAt: claims.iat,
            expiresAt: claims.exp,
            revokedAt: null,
          }),
          url: inviteUrl(deps.publicUrl(), plan, token),
        };
        return send(res, 201, created);
      } catch (e) {
        return send(res, 400, { error: (e as Error).message });
      }
    }
    if (req.method === 'DELETE' && tokenId !== undefined) {
      // Only an invite of this plan: a plan's admin cannot revoke another plan's tokens.
      const known = deps.registry.list(plan).find((t) => t.id === tokenId);
      if (known === undefined) return send(res, 404, { error: 'no such invite' });
      deps.registry.revoke(tokenId, deps.now());
      res.writeHead(204, { 'cache-control': 'no-store' }).end();
      return;
    }
    res.setHeader('allow', tokenId === undefined ? 'GET, POST' : 'DELETE');
    send(res, 405, { error: 'method not allowed' });
  };

  return (req, res) => {
    const raw = req.url ?? '/';
    if (!raw.startsWith('/api/')) return false;
    const q = raw.indexOf('?');
    const path = q < 0 ? raw : raw.slice(0, q);
    const query = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
    const fail = (error: unknown): void => {
      deps.logger.error({ event: 'api_failed', path, ...errorFields(error) }, 'api failed');
      if (!res.headersSent) send(res, 500, { error: 'internal error' });
      else res.destroy();
    };
    const m = /^\/api\/plans\/([A-Za-z0-9_-]{1,64})\/invites(?:\/([A-Za-z0-9-]{1,64}))?$/.exec(
      path,
    );
    // Other paths are not ours: the relay's other routes (or its static files) answer them.
    if (path !== '/api/plans' && path !== '/api/me' && m === null) return false;
    // A browser sends Origin on every cross-origin request and on same-origin writes.
    if (!originAllowed(deps, req.headers.origin)) {
      send(res, 403, { error: 'origin not allowed' });
      return true;
    }
    if (m !== null) {
      invites(req, res, m[1] as string, m[2]).catch(fail);
      return true;
    }
    if (req.method !== 'GET') {
      res.setHeader('allow', 'GET');
      send(res, 405, { error: 'method not allowed' });
    } else if (path === '/api/plans') plans(req, res).catch(fail);
    else me(req, res, query.get('plan'));
    return true;
  };
}
