import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import { base } from '../styles.ts';
import type { PlanSession, SyncState } from '../plan-session.ts';
import { EventController, onEvents } from '../controllers/event-controller.ts';

/** Sync state always visible: 离线 / 连接中 / 已同步, and the changes not yet confirmed. */
@localized()
@customElement('cl-sync-status')
export class ClSyncStatus extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: inline-flex;
        align-items: center;
        gap: 8px;
        font-size: 14px;
      }
      .dot {
        width: 8px;
        height: 8px;
        border-radius: 50%;
        background: #9aa1a9;
      }
      .synced .dot {
        background: var(--ok);
      }
      .connecting .dot {
        background: var(--warn);
      }
      .pending {
        color: var(--warn);
      }
    `,
  ];

  @property({ attribute: false }) session: PlanSession | null = null;

  private readonly _state = new EventController(
    this,
    () => this.session && { key: this.session, subscribe: onEvents(this.session, 'sync') },
    () => ({
      state: this.session?.state ?? ('offline' as SyncState),
      count: this.session?.unconfirmed ?? 0,
    }),
    { state: 'offline' as SyncState, count: 0 },
    (a, b) => a.state === b.state && a.count === b.count,
  );

  override render() {
    const { state, count } = this._state.value;
    const label =
      state === 'synced'
        ? msg('已同步', { id: 'sync.synced' })
        : state === 'connecting'
          ? msg('连接中', { id: 'sync.connecting' })
          : msg('离线', { id: 'sync.offline' });
    return html`<span class="s ${state}" role="status" aria-live="polite" aria-atomic="true"
      ><span class="dot" aria-hidden="true"></span> <span class="state">${label}</span> ${
        count > 0
          ? html`<span class="pending"
              >${msg(str`${count} 项更改未同步`, { id: 'sync.unconfirmed' })}</span
            >`
          : nothing
      }</span
    >`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cl-sync-status': ClSyncStatus;
  }
}
