/**
 * Access control wired into a running relay (issue 7): the token registry of the data dir,
 * the upgrade check, the Origins a browser may connect from, and a watcher that closes the
 * connections of a token once it is revoked (by `qingdan revoke` in another process, or the
 * HTTP API) or expired.
 */
import type { Logger } from './log.ts';
import { ALL_PLANS, createAuthorize } from './auth.ts';
import type { Authorize } from './http.ts';
import { inviteUrl } from './auth-command.ts';
import { CLOSE_UNAUTHORIZED } from './protocol.ts';
import type { ConnectionContext, RoomRegistry } from './rooms.ts';
import { TokenRegistry } from './tokens.ts';

/** How often the watcher looks for revoked tokens: “closed within about a second”. */
export const REVOCATION_POLL_MS = 250;

/** Close reasons a client can show; the close code is 4401 for both. */
export const REASON_REVOKED = 'token revoked: ask for a new invite';
export const REASON_EXPIRED = 'token expired: ask for a new invite';

/**
 * The Origins a browser page may connect from: the configured public URL's, or — with none —
 * the relay's own `http://HOST:PORT`. On a loopback host the other loopback spellings of the
 * same port are accepted too (a browser opened on `localhost` sends that, not `127.0.0.1`).
 */
export function allowedOriginsFor(
  publicUrl: string | undefined,
  host: string,
  port: number,
): string[] {
  if (publicUrl !== undefined) return [new URL(publicUrl).origin];
  const loopback = ['127.0.0.1', 'localhost', '::1', '[::1]'];
  const hosts = loopback.includes(host) ? ['127.0.0.1', 'localhost', '[::1]'] : [host];
  return hosts.map((h) => `http://${h.includes(':') && !h.startsWith('[') ? `[${h}]` : h}:${port}`);
}

/** The access layer of one relay. */
export interface RelayAccess {
  readonly registry: TokenRegistry;
  readonly authorize: Authorize;
  /** Origins accepted; filled in once the relay knows its port. */
  readonly allowedOrigins: string[];
  /** Starts closing revoked and expired tokens' connections. */
  watch(rooms: RoomRegistry): void;
  /** Stops the watcher and closes the registry. Idempotent. */
  close(): void;
}

/** Opens the data dir's token registry and builds the relay's upgrade check. */
export function openAccess(deps: {
  readonly dataDir: string;
  readonly logger: Logger;
  readonly now?: () => number;
  readonly pollMs?: number;
}): RelayAccess {
  const now = deps.now ?? Date.now;
  const registry = TokenRegistry.open(deps.dataDir);
  const allowedOrigins: string[] = [];
  const check = createAuthorize({ registry, allowedOrigins, now });
  // The earliest `exp` (in seconds) of any open connection, so a poll only walks the
  // connections when one of them is due: walking them all four times a second cost 0.3 ms
  // per poll at 500 connections, held the event loop, and grows with every connection. An
  // accepted upgrade becomes a connection in the same turn (the check is synchronous), so no
  // poll can run between the two.
  let nextExpiry = Infinity;
  const authorize: Authorize = (request, planId) => {
    const result = check(request, planId);
    const exp = result.ok ? result.principal?.['exp'] : undefined;
    if (typeof exp === 'number' && exp < nextExpiry) nextExpiry = exp;
    return result;
  };
  let timer: ReturnType<typeof setInterval> | undefined;
  let closed = false;
  return {
    registry,
    authorize,
    allowedOrigins,
    watch(rooms) {
      if (timer !== undefined || closed) return;
      // Revocations are stamped in whole seconds by whichever process revoked: look back a
      // little past the previous poll so none falls between two polls.
      let since = Math.floor(now() / 1000) - 2;
      const tick = (): void => {
        const nowSec = Math.floor(now() / 1000);
        let revoked: Set<string>;
        try {
          revoked = new Set(registry.revokedSince(since));
        } catch (error) {
          // A busy or briefly locked registry: try again at the next poll.
          deps.logger.warn({ event: 'revocation_poll_failed', err: String(error) }, 'poll failed');
          return;
        }
        since = nowSec - 2;
        const jtiOf = (ctx: ConnectionContext): unknown => ctx.principal?.['jti'];
        const expOf = (ctx: ConnectionContext): unknown => ctx.principal?.['exp'];
        if (revoked.size > 0) {
          const n = rooms.closeConnections(
            (ctx) => revoked.has(jtiOf(ctx) as string),
            CLOSE_UNAUTHORIZED,
            REASON_REVOKED,
          );
          if (n > 0)
            deps.logger.info({ event: 'revoked_closed', connections: n }, 'closed revoked');
        }
        if (nowSec < nextExpiry) return;
        let earliest = Infinity;
        rooms.closeConnections(
          (ctx) => {
            const exp = expOf(ctx);
            if (typeof exp !== 'number') return false;
            if (exp <= nowSec) return true;
            if (exp < earliest) earliest = exp;
            return false;
          },
          CLOSE_UNAUTHORIZED,
          REASON_EXPIRED,
        );
        nextExpiry = earliest;
      };
      timer = setInterval(tick, deps.pollMs ?? REVOCATION_POLL_MS);
      timer.unref();
    },
    close() {
      if (closed) return;
      closed = true;
      if (timer !== undefined) clearInterval(timer);
      registry.close();
    },
  };
}

/** Days the first-start admin invite is valid. */
export const FIRST_INVITE_DAYS = 365;

/**
 * On a data dir where no token was ever issued, issues one admin invite for every plan and
 * returns its link (shown once: afterwards the registry is no longer empty); else null.
 */
export function firstStartInvite(
  registry: TokenRegistry,
  publicUrl: string,
  now: number,
): string | null {
  if (registry.list().length > 0) return null;
  const { token } = registry.issue({
    plan: ALL_PLANS,
    role: 'admin',
    name: 'admin',
    days: FIRST_INVITE_DAYS,
    now,
  });
  return inviteUrl(publicUrl, ALL_PLANS, token);
}
