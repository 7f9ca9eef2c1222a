import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { localized, msg } from '@lit/localize';
import { base } from '../styles.ts';
import { colorFor, type Peer } from '../plan-session.ts';
import type { Profile } from '../storage/device.ts';

/** Who is on this plan now: name, branch and colour of each person (this user first). */
@localized()
@customElement('cl-presence-list')
export class ClPresenceList extends LitElement {
  static override styles = [
    base,
    css`
      ul {
        display: flex;
        gap: 6px;
        margin: 0;
        padding: 0;
        list-style: none;
      }
      li {
        display: inline-flex;
        align-items: center;
        gap: 4px;
        padding: 0 8px;
        border-radius: 10px;
        font-size: 13px;
        background: var(--soft);
        border-left: 4px solid var(--c);
      }
      .branch {
        color: var(--muted);
      }
    `,
  ];

  @property({ attribute: false }) peers: readonly Peer[] = [];
  @property({ attribute: false }) me: Profile | null = null;

  override render() {
    const me = this.me;
    return html`<ul aria-label=${msg('在线人员', { id: 'presence.label' })}>
      ${
        me
          ? html`<li style="--c:${colorFor(me.name)}">
              ${me.name}（${msg('我', { id: 'presence.you' })}）
            </li>`
          : ''
      }
      ${this.peers.map(
        (p) =>
          html`<li class="peer" style="--c:${p.color}">
            ${p.name} <span class="branch">${p.branch}</span>
          </li>`,
      )}
    </ul>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cl-presence-list': ClPresenceList;
  }
}
