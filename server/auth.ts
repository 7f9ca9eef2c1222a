/**
 * Access control at the WebSocket upgrade (issue 7): the invite token, its plan, its role,
 * and the Origin of browser requests, checked before any WebSocket exists, so a refused
 * client gets an HTTP 401/403 and no byte of the plan.
 */
import type { IncomingMessage } from 'node:http';
import type { AuthorizeResult } from './http.ts';
import { TOKEN_SUBPROTOCOL_PREFIX } from '../shared/invites.ts';
import { verifyToken, type Claims, type TokenRegistry } from './tokens.ts';

/** Plan id `*` in an admin token: every plan of the relay (the first-start invite). */
export const ALL_PLANS = '*';

export interface AuthDeps {
  readonly registry: TokenRegistry;
  /** Origins a browser may connect from (scheme://host[:port]); other Origins get 403. */
  readonly allowedOrigins: readonly string[];
  /** Milliseconds since the epoch. */
  readonly now: () => number;
}

/** The `token` query parameter of a raw request target, or null. */
export function tokenFromUrl(rawUrl: string | undefined): string | null {
  if (rawUrl === undefined) return null;
  const q = rawUrl.indexOf('?');
  if (q < 0) return null;
  const value = new URLSearchParams(rawUrl.slice(q + 1)).get('token');
  return value === null || value === '' ? null : value;
}

/**
 * The token of a WebSocket upgrade: from a `qingdan-token.<token>` subprotocol (qingdan's
 * client), else from the `token` query parameter (a stock client), else null.
 */
export function tokenFromUpgrade(request: IncomingMessage): string | null {
  const offered = request.headers['sec-websocket-protocol'];
  if (typeof offered === 'string') {
    for (const protocol of offered.split(',')) {
      const p = protocol.trim();
      if (p.startsWith(TOKEN_SUBPROTOCOL_PREFIX) && p.length > TOKEN_SUBPROTOCOL_PREFIX.length)
        return p.slice(TOKEN_SUBPROTOCOL_PREFIX.length);
    }
  }
  return tokenFromUrl(request.url);
}

/** A token given as `Authorization: Bearer <token>` (the HTTP API), or null. */
export function tokenFromHeader(req: IncomingMessage): string | null {
  const h = req.headers.authorization;
  if (typeof h !== 'string') return null;
  const m = /^Bearer\s+(\S+)$/i.exec(h.trim());
  return m ? (m[1] as string) : null;
}

export type CheckResult =
  | { readonly ok: true; readonly claims: Claims }
  | { readonly ok: false; readonly status: 401 | 403; readonly reason: string };

/** True when the claims open `planId` (their own plan, or every plan for a `*` admin). */
export function coversPlan(claims: Claims, planId: string): boolean {
  return claims.plan === planId || (claims.plan === ALL_PLANS && claims.role === 'admin');
}

/**
 * Checks a token for a plan: form, pinned algorithm, signature, expiry, revocation and
 * plan. 401 when the token does not prove who you are, 403 when it does but not for this.
 */
export function checkToken(deps: AuthDeps, token: string | null, planId: string): CheckResult {
  if (token === null) return { ok: false, status: 401, reason: 'missing token' };
  const v = verifyToken(deps.registry.secret, token, Math.floor(deps.now() / 1000));
  if (!v.ok) return { ok: false, status: 401, reason: `token ${v.reason}` };
  if (deps.registry.isRevoked(v.claims.jti))
    return { ok: false, status: 401, reason: 'token revoked' };
  if (!coversPlan(v.claims, planId))
    return { ok: false, status: 403, reason: 'token is for another plan' };
  return { ok: true, claims: v.claims };
}

/**
 * True when a browser's Origin may connect (requests without one are not from a page). An
 * allowed origin ending in `:*` (`--allow-origin http://127.0.0.1:*`) matches any port.
 */
export function originAllowed(deps: AuthDeps, origin: string | undefined): boolean {
  if (origin === undefined) return true;
  return deps.allowedOrigins.some(
    (a) =>
      a === origin ||
      (a.endsWith(':*') &&
        origin.startsWith(a.slice(0, -1)) &&
        /^\d{1,5}$/.test(origin.slice(a.length - 1))),
  );
}

/**
 * The relay's upgrade check: token, plan, role → read-only for viewers; Origin. Synchronous,
 * so an accepted upgrade becomes a connection in the same turn.
 */
export function createAuthorize(
  deps: AuthDeps,
): (request: IncomingMessage, planId: string) => AuthorizeResult {
  return (request: IncomingMessage, planId: string): AuthorizeResult => {
    if (!originAllowed(deps, request.headers.origin))
      return { ok: false, status: 403, reason: 'origin not allowed' };
    const r = checkToken(deps, tokenFromUpgrade(request), planId);
    if (!r.ok) return r;
    return {
      ok: true,
      readOnly: r.claims.role === 'viewer',
      // Never the token itself: the principal is logged. `exp` lets the relay close the
      // connection when the token expires.
      principal: {
        jti: r.claims.jti,
        role: r.claims.role,
        name: r.claims.name,
        exp: r.claims.exp,
      },
    };
  };
}
