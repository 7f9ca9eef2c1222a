import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { localized, msg } from '@lit/localize';
import { base } from '../styles.ts';
import type { PlanSession } from '../plan-session.ts';
import { EventController, onEvents } from '../controllers/event-controller.ts';
import type { Access } from '../sync/access.ts';
import type { Role } from '../sync/invite.ts';
import './cl-invite-paste.ts';

/** The user's role on the plan, in words. */
export function roleLabel(role: Role): string {
  if (role === 'admin') return msg('管理员', { id: 'access.role-admin' });
  if (role === 'editor') return msg('编辑', { id: 'access.role-editor' });
  return msg('只读', { id: 'access.role-viewer' });
}

/**
 * The user's role on the plan, and what to do when the relay does not let this device in:
 * no invite, an expired or revoked one, one for another plan — with a field to paste a new
 * invite link — or refuses what it sends. Edits stay on this device meanwhile.
 *
 * @fires invite-given - (from cl-invite-paste) a pasted invite's token
 */
@localized()
@customElement('cl-access')
export class ClAccess extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: contents;
      }
      .badge {
        display: inline-block;
        padding: 2px 8px;
        border-radius: 10px;
        border: 1px solid var(--line);
        font-size: 13px;
        color: var(--muted);
        white-space: nowrap;
      }
      .problem {
        flex-basis: 100%;
        margin: 8px 0;
        padding: 8px 12px;
        border: 1px solid var(--warn);
        border-radius: 6px;
        background: #fff8ec;
      }
      .problem p {
        margin: 0 0 8px;
      }
    `,
  ];

  @property({ attribute: false }) session!: PlanSession;

  private readonly _access = new EventController<{ state: Access; role: Role | null }>(
    this,
    () => this.session && { key: this.session, subscribe: onEvents(this.session, 'access') },
    () => ({ state: this.session?.access.state ?? 'ok', role: this.session?.role ?? null }),
    { state: 'ok', role: null },
    (a, b) => a.state === b.state && a.role === b.role,
  );

  override render() {
    const { state, role } = this._access.value;
    return html`
      ${
        role
          ? html`<span class="badge" title=${msg('您在此清单中的权限', { id: 'access.role-title' })}
              >${roleLabel(role)}</span
            >`
          : nothing
      }
      ${state === 'ok' ? nothing : this._problem(state)}
    `;
  }

  private _problem(state: Exclude<Access, 'ok'>) {
    const text =
      state === 'none'
        ? msg('本设备没有此清单的邀请：更改只保存在本设备上。请粘贴邀请链接以便同步。', {
            id: 'access.none',
          })
        : state === 'refused'
          ? msg(
              '您的邀请已过期或已被撤销：请向管理员索取新的邀请链接。您的更改保存在本设备上，使用新链接后会同步。',
              { id: 'access.refused' },
            )
          : state === 'forbidden'
            ? msg('此邀请不适用于这份清单：请向管理员索取这份清单的邀请链接。', {
                id: 'access.forbidden',
              })
            : state === 'rejected'
              ? msg(
                  '服务器拒绝接收本设备发送的数据，本设备上的更改无法同步。请打印或导出清单保存您的更改，并联系管理员。',
                  { id: 'access.rejected' },
                )
              : msg('您只有查看权限：本设备上对此清单的更改不会发送到服务器。', {
                  id: 'access.read-only',
                });
    const invite = state !== 'read-only' && state !== 'rejected';
    return html`<div class="problem" role="alert">
      <p>${text}</p>
      ${invite ? html`<cl-invite-paste></cl-invite-paste>` : nothing}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cl-access': ClAccess;
  }
}
