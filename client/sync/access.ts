import type { WebsocketProvider } from 'y-websocket';
import { APP_SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX } from '../../shared/invites.ts';
import { checkToken, decodeInvite, type InviteClaims, type Role } from './invite.ts';

/**
 * What the relay lets this device do with a plan:
 * - `ok`: the token was accepted, or has not been refused yet (offline counts as ok);
 * - `none`: no token on this device: the plan stays local until an invite is given;
 * - `refused`: expired or revoked (HTTP 401 / close 4401): ask for a new invite;
 * - `forbidden`: the token is for another plan (403);
 * - `read-only`: a viewer's device holds changes the relay will not take (close 4403);
 * - `rejected`: the relay refuses what this device sends (close 1007, or 1009 for a message
 *   over its size limit, again on every reconnect; or it holds the device back for a while
 *   after such refusals, which `GET /api/me` tells): its copy holds an update the relay will
 *   never take (a damaged local store, a fault, or offline work too large to send at once),
 *   and every later edit of this device would go with it and be refused too.
 */
export type Access = 'ok' | 'none' | 'refused' | 'forbidden' | 'read-only' | 'rejected';

/** Close codes of the relay (server/protocol.ts). */
const CLOSE_UNAUTHORIZED = 4401;
const CLOSE_FORBIDDEN = 4403;
const CLOSE_INVALID_PAYLOAD = 1007;
const CLOSE_MESSAGE_TOO_BIG = 1009;

/**
 * The provider resends the same data on every reconnect, so a refusal that comes back this
 * many times in a row, each within `REJECTED_WITHIN_MS` of the connection opening, will not
 * go away by retrying.
 */
const REJECTIONS_BEFORE_STOP = 3;
const REJECTED_WITHIN_MS = 10_000;

/**
 * Watches a plan's connection for refusals. A browser cannot read the status of a refused
 * WebSocket upgrade (it only sees a close, 1006), so when an attempt closes without ever
 * opening, one cheap `GET /api/me` tells a refused token from an unreachable relay; a
 * refused token stops the provider from retrying. Dispatches `access` on `target`.
 */
export class AccessWatch {
  state: Access = 'ok';
  claims: InviteClaims | null = null;
  private _token: string | null = null;
  private _provider: WebsocketProvider | null = null;
  private _opened = false;
  private _openedAt = 0;
  /** 1007 or 1009 closes in a row, each soon after the connection opened. */
  private _rejections = 0;
  private _checking = false;
  private _disposed = false;
  private readonly _target: EventTarget & { readonly planId: string };
  private readonly _off: (() => void)[] = [];

  private readonly _now: () => number;

  constructor(target: EventTarget & { readonly planId: string }, now: () => number = Date.now) {
    this._target = target;
    this._now = now;
  }

  /** The token in use (the invite panel calls the relay's API with it). */
  get token(): string | null {
    return this._token;
  }

  /** The role the token gives, for display (the relay enforces it). */
  get role(): Role | null {
    return this.claims?.role ?? null;
  }

  /** Takes the token; false when the plan must not connect (none, or expired already). */
  begin(token: string | null, nowMs = Date.now()): boolean {
    this._token = token;
    this.claims = token === null ? null : decodeInvite(token);
    if (token === null || this.claims === null) this._set('none');
    else if (this.claims.exp * 1000 <= nowMs) this._set('refused');
    else this._set('ok');
    return this.state === 'ok';
  }

  /**
   * The provider's WebSocket subprotocols: the token goes in the handshake's
   * `Sec-WebSocket-Protocol` header, not in the URL, where a reverse proxy's access log would
   * keep it (shared/invites.ts). `qingdan` is the one the relay selects.
   */
  protocols(): { protocols?: string[] } {
    return this._token === null
      ? {}
      : { protocols: [APP_SUBPROTOCOL, `${TOKEN_SUBPROTOCOL_PREFIX}${this._token}`] };
  }

  watch(provider: WebsocketProvider): void {
    this._provider = provider;
    const onStatus = ({ status }: { status: string }): void => {
      if (status === 'connected') {
        this._opened = true;
        this._openedAt = this._now();
        if (this.state !== 'ok') this._set('ok');
      }
    };
    const onClose = (event: { readonly code: number } | null): void => {
      const opened = this._opened;
      this._opened = false;
      const code = event?.code;
      if (code === CLOSE_INVALID_PAYLOAD || code === CLOSE_MESSAGE_TOO_BIG) {
        const soon = this._now() - this._openedAt < REJECTED_WITHIN_MS;
        this._rejections = soon ? this._rejections + 1 : 1;
        if (this._rejections >= REJECTIONS_BEFORE_STOP) this._stop('rejected');
        return;
      }
      if (opened) this._rejections = 0;
      if (!opened) void this._check();
    };
    const onClosed = ({ code }: { code: number }): void => {
      if (code === CLOSE_UNAUTHORIZED) this._stop('refused');
      else if (code === CLOSE_FORBIDDEN) this._stop('read-only');
    };
    provider.on('status', onStatus);
    provider.on('connection-close', onClose);
    provider.on('closed', onClosed);
    this._off.push(
      () => provider.off('status', onStatus),
      () => provider.off('connection-close', onClose),
      () => provider.off('closed', onClosed),
    );
  }

  dispose(): void {
    this._disposed = true;
    for (const off of this._off.splice(0)) off();
    this._provider = null;
  }

  private async _check(): Promise<void> {
    if (this._checking || this._token === null) return;
    this._checking = true;
    try {
      const r = await checkToken(this._token, this._target.planId);
      if (this._disposed) return;
      if (r === 'refused' || r === 'forbidden') this._stop(r);
      // Held back after refused data: the same data would be refused again once let in. A
      // viewer's is its own changes, which the relay never takes (the read-only state says so).
      else if (r === 'held-back') this._stop(this.role === 'viewer' ? 'read-only' : 'rejected');
    } finally {
      this._checking = false;
    }
  }

  private _stop(state: Access): void {
    // Retrying cannot help; the device keeps its edits until a new invite is given.
    this._provider?.disconnect();
    this._set(state);
  }

  private _set(state: Access): void {
    if (this.state === state) return;
    this.state = state;
    this._target.dispatchEvent(new Event('access'));
  }
}
