/**
 * Invite links and tokens on the client (issue 7). An invite link is
 * `https://HOST/plan/<plan-id>#token=<token>` (or `/#token=` for every plan): the token is in
 * the fragment, which the browser never sends to the server. The client reads the claims
 * only to show them (role, name, plan); the relay is what checks the signature.
 */

import type { Role } from '../../shared/invites.ts';

export type { Role };

/** What the client reads from a token (unverified: for display and routing only). */
export interface InviteClaims {
  /** A plan id, or `*` for every plan. */
  readonly plan: string;
  readonly role: Role;
  readonly name: string;
  /** Token id. */
  readonly jti: string;
  /** Expiry, seconds since the epoch. */
  readonly exp: number;
}

const PLAN = /^([A-Za-z0-9_-]{1,64}|\*)$/;
const TOKEN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

function base64UrlJson(part: string): unknown {
  const b64 = part.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

/** The claims of a token, or null when it is not one. */
export function decodeInvite(token: string): InviteClaims | null {
  if (!TOKEN.test(token)) return null;
  try {
    const c = base64UrlJson(token.split('.')[1] as string) as Record<string, unknown>;
    if (
      typeof c['plan'] !== 'string' ||
      !PLAN.test(c['plan']) ||
      (c['role'] !== 'admin' && c['role'] !== 'editor' && c['role'] !== 'viewer') ||
      typeof c['name'] !== 'string' ||
      typeof c['jti'] !== 'string' ||
      typeof c['exp'] !== 'number'
    )
      return null;
    return { plan: c['plan'], role: c['role'], name: c['name'], jti: c['jti'], exp: c['exp'] };
  } catch {
    return null;
  }
}

/** A token from an invite link, a `#token=…` fragment or a bare token; null if none. */
export function tokenFromText(text: string): string | null {
  const t = text.trim();
  const hash = /#(?:.*&)?token=([A-Za-z0-9_.-]+)/.exec(t);
  const token = hash ? (hash[1] as string) : t;
  return decodeInvite(token) ? token : null;
}

/**
 * Takes the token out of the address bar: returns it and removes the fragment
 * (history.replaceState), so it is not left in the history, a bookmark or a screenshot.
 */
export function takeTokenFromLocation(
  loc: Pick<Location, 'hash' | 'pathname' | 'search'> = location,
  hist: Pick<History, 'replaceState' | 'state'> = history,
): string | null {
  if (!/(^#|&)token=/.test(loc.hash)) return null;
  const token = tokenFromText(loc.hash);
  hist.replaceState(hist.state, '', loc.pathname + loc.search);
  return token;
}

/** What the relay says about a token for a plan. */
export type TokenCheck = 'ok' | 'refused' | 'forbidden' | 'held-back' | 'unreachable';

/**
 * Asks the relay whether a token opens a plan (`GET /api/me`): a browser cannot read the
 * HTTP status of a refused WebSocket upgrade, so after a failed connection this tells a
 * revoked or expired token (`refused`, 401) or one for another plan (`forbidden`, 403), or a
 * device the relay holds back for a while because it refused its updates again and again
 * (`held-back`: 200 with `heldBackSeconds`), from a relay that is just not reachable.
 */
export async function checkToken(
  token: string,
  plan: string,
  fetchFn: typeof fetch = fetch,
): Promise<TokenCheck> {
  try {
    const res = await fetchFn(`/api/me?plan=${encodeURIComponent(plan)}`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    });
    if (res.status === 401) return 'refused';
    if (res.status === 403) return 'forbidden';
    if (!res.ok) return 'unreachable';
    const body: unknown = await res.json().catch(() => null);
    const held =
      typeof body === 'object' && body !== null
        ? (body as { heldBackSeconds?: unknown }).heldBackSeconds
        : undefined;
    return typeof held === 'number' && held > 0 ? 'held-back' : 'ok';
  } catch {
    return 'unreachable';
  }
}
