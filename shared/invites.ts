/**
 * Invite roles, the relay's invite API shapes (`/api/plans/<id>/invites`) and how a token
 * travels in a WebSocket handshake: one definition for the relay that answers and the client
 * that asks.
 */

/** Roles, as the relay names them: admins invite, editors edit, viewers read. */
export const ROLES = ['admin', 'editor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** An invite as the API lists it (never its token). */
export interface Invite {
  readonly id: string;
  readonly plan: string;
  readonly role: Role;
  readonly name: string;
  /** ISO dates. */
  readonly issuedAt: string;
  readonly expiresAt: string;
  readonly revokedAt: string | null;
}

/** A new invite: its link is shown once, to be copied. */
export interface NewInvite extends Invite {
  readonly url: string;
}

/**
 * The WebSocket subprotocol the relay selects when a client offers it. qingdan's client
 * offers it beside {@link TOKEN_SUBPROTOCOL_PREFIX}`<token>`: a browser fails a handshake
 * whose response selects none of the subprotocols it offered. A stock client offers none.
 */
export const APP_SUBPROTOCOL = 'qingdan';
/**
 * A subprotocol `qingdan-token.<token>` carries the invite token in the handshake's
 * `Sec-WebSocket-Protocol` header, not in the URL (`?token=`, still accepted), which reverse
 * proxies write into their access logs. The relay never selects it, so it is not echoed.
 */
export const TOKEN_SUBPROTOCOL_PREFIX = 'qingdan-token.';
