/**
 * Invite roles and the relay's invite API shapes (`/api/plans/<id>/invites`): one definition
 * for the relay that answers and the client that asks.
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
