import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import { base, fieldLabels, fieldRow } from '../styles.ts';
import type { PlanSession } from '../plan-session.ts';
import { InvitesApi, type Invite, type NewInvite } from '../sync/invites-api.ts';
import type { Role } from '../sync/invite.ts';
import { roleLabel } from './cl-access.ts';

/**
 * The admin's invite panel: make an invite (role, name, days → a link to copy) and revoke
 * the plan's invites. The relay checks that the token is an admin's of this plan.
 */
@localized()
@customElement('cl-invites')
export class ClInvites extends LitElement {
  static override styles = [
    base,
    fieldLabels,
    fieldRow,
    css`
      :host {
        display: block;
        margin: 8px 0;
        padding: 12px;
        background: #fff;
        border: 1px solid var(--line);
        border-radius: 6px;
      }
      h2 {
        font-size: 16px;
        margin: 0 0 8px;
      }
      .link input {
        width: min(560px, 80vw);
      }
      ul {
        list-style: none;
        padding: 0;
        margin: 12px 0 0;
      }
      li {
        display: flex;
        gap: 12px;
        align-items: center;
        padding: 4px 0;
        border-bottom: 1px solid var(--line);
      }
      .meta {
        color: var(--muted);
        font-size: 13px;
      }
    `,
  ];

  @property({ attribute: false }) session!: PlanSession;
  @state() private _invites: Invite[] | null = [];
  @state() private _made: NewInvite | null = null;
  @state() private _failed = false;

  private _api(): InvitesApi | null {
    const token = this.session?.access.token;
    return token ? new InvitesApi(this.session.planId, token) : null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('session')) void this._refresh();
  }

  override render() {
    const list = this._invites;
    return html`
      <h2>${msg('邀请', { id: 'invites.title' })}</h2>
      <form
        class="field-row"
        @submit=${this._create}
        aria-label=${msg('新建邀请', { id: 'invites.create' })}
      >
        <label
          >${msg('权限', { id: 'invites.role' })}
          <select name="role">
            <option value="editor">${roleLabel('editor')}</option>
            <option value="viewer">${roleLabel('viewer')}</option>
            <option value="admin">${roleLabel('admin')}</option>
          </select></label
        >
        <label
          >${msg('受邀人', { id: 'invites.name' })} <input name="name" required maxlength="100"
        /></label>
        <label
          >${msg('有效天数', { id: 'invites.days' })}
          <input name="days" type="number" min="1" max="3650" value="30" required
        /></label>
        <button class="primary" type="submit">
          ${msg('生成邀请链接', { id: 'invites.create-button' })}
        </button>
      </form>
      ${
        this._failed
          ? html`<p role="alert">
              ${msg('无法完成：请检查网络连接和您的权限。', { id: 'invites.failed' })}
            </p>`
          : nothing
      }
      ${
        this._made
          ? html`<div class="field-row link">
              <label
                >${msg(str`给${this._made.name}的邀请链接（只显示这一次）`, {
                  id: 'invites.link',
                })} <input readonly .value=${this._made.url} @focus=${this._select}
              /></label>
              <button @click=${this._copy}>${msg('复制', { id: 'invites.copy' })}</button>
            </div>`
          : nothing
      }
      ${
        list === null
          ? html`<p class="meta">${msg('无法连接服务器。', { id: 'invites.offline' })}</p>`
          : html`<ul aria-label=${msg('已发出的邀请', { id: 'invites.list' })}>
              ${list.map(
                (t) =>
                  html`<li>
                    <span>${t.name}</span>
                    <span class="meta">${roleLabel(t.role)}</span>
                    <span class="meta"
                      >${
                        t.revokedAt
                          ? msg('已撤销', { id: 'invites.revoked' })
                          : msg(str`有效期至 ${t.expiresAt.slice(0, 10)}`, { id: 'invites.until' })
                      }</span
                    >
                    ${
                      t.revokedAt
                        ? nothing
                        : html`<button @click=${() => void this._revoke(t.id)}>
                            ${msg(str`撤销${t.name}的邀请`, { id: 'invites.revoke' })}
                          </button>`
                    }
                  </li>`,
              )}
            </ul>`
      }
    `;
  }

  private async _refresh(): Promise<void> {
    this._invites = (await this._api()?.list()) ?? null;
  }

  private async _create(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    // Taken now: once the event is dispatched, its target is retargeted to null.
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const made = await this._api()?.create(
      String(data.get('role')) as Role,
      String(data.get('name') ?? '').trim(),
      Number(data.get('days')),
    );
    this._failed = !made;
    if (!made) return;
    this._made = made;
    form.reset();
    await this._refresh();
  }

  private async _revoke(id: string): Promise<void> {
    const ok = (await this._api()?.revoke(id)) ?? false;
    this._failed = !ok;
    await this._refresh();
  }

  private readonly _select = (e: FocusEvent): void => (e.target as HTMLInputElement).select();

  private readonly _copy = (): void => {
    if (this._made) void navigator.clipboard?.writeText(this._made.url).catch(() => undefined);
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'cl-invites': ClInvites;
  }
}
