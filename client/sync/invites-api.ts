import type { Invite, NewInvite, Role } from '../../shared/invites.ts';

export type { Invite, NewInvite };

/** The relay's `/api/plans/<id>/invites`, called with an admin's token. */
export class InvitesApi {
  private readonly _plan: string;
  private readonly _token: string;
  private readonly _fetch: typeof fetch;

  constructor(plan: string, token: string, fetchFn: typeof fetch = fetch.bind(globalThis)) {
    this._plan = plan;
    this._token = token;
    this._fetch = fetchFn;
  }

  /** The plan's invites, newest first; null when the relay cannot be asked. */
  async list(): Promise<Invite[] | null> {
    const res = await this._call('GET', '').catch(() => null);
    if (res === null || !res.ok) return null;
    return (await res.json()) as Invite[];
  }

  /** Creates an invite; null when the relay refused or cannot be reached. */
  async create(role: Role, name: string, days: number): Promise<NewInvite | null> {
    const res = await this._call('POST', '', { role, name, days }).catch(() => null);
    if (res === null || res.status !== 201) return null;
    return (await res.json()) as NewInvite;
  }

  /** Revokes an invite: its open connections close within about a second. */
  async revoke(id: string): Promise<boolean> {
    const res = await this._call('DELETE', `/${encodeURIComponent(id)}`).catch(() => null);
    return res !== null && res.status === 204;
  }

  private _call(method: string, tail: string, body?: unknown): Promise<Response> {
    return this._fetch(`/api/plans/${encodeURIComponent(this._plan)}/invites${tail}`, {
      method,
      headers: {
        authorization: `Bearer ${this._token}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }
}
