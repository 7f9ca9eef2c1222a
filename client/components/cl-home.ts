import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import * as Y from 'yjs';
import { createPlan } from '../../shared/index.ts';
import { base, fieldLabels, fieldRow } from '../styles.ts';
import { listDevicePlans, rememberPlan, type DevicePlan } from '../storage/device.ts';
import { saveDocState } from '../storage/doc-persistence.ts';
import { storageProblem } from '../storage/errors.ts';
import { fetchRelayPlans, type RelayPlan } from '../sync/relay-plans.ts';
import { navigate, newPlanId, planPath } from '../router.ts';
import { relayPlansForDevice } from '../sync/device-relay-plans.ts';
import { keepInvite } from '../sync/take-invite.ts';
import type { InviteGiven } from './cl-invite-paste.ts';
import './cl-invite-paste.ts';

/**
 * Home: the plans on this device and on the relay, and creating a plan. The toolbar
 * (`.actions`) is where the import button of issue 5 goes.
 */
@localized()
@customElement('cl-home')
export class ClHome extends LitElement {
  static override styles = [
    base,
    fieldLabels,
    fieldRow,
    css`
      h1 {
        font-size: 22px;
        margin: 8px 0 16px;
      }
      h2 {
        font-size: 16px;
        margin: 24px 0 8px;
        color: var(--muted);
      }
      ul {
        list-style: none;
        padding: 0;
        margin: 0;
        border-top: 1px solid var(--line);
      }
      li {
        display: flex;
        justify-content: space-between;
        gap: 12px;
        padding: 10px 4px;
        border-bottom: 1px solid var(--line);
      }
      a {
        color: var(--ink);
        font-weight: 600;
        text-decoration: none;
      }
      a:hover {
        color: var(--accent);
        text-decoration: underline;
      }
      .meta {
        color: var(--muted);
        font-size: 13px;
      }
      .actions {
        gap: 12px;
        padding: 12px;
        background: #fff;
        border: 1px solid var(--line);
        border-radius: 6px;
      }
      .title-input {
        width: min(480px, 70vw);
      }
      .error {
        color: var(--accent);
        margin: 8px 0 0;
      }
    `,
  ];

  @state() private _device: DevicePlan[] = [];
  @state() private _relay: RelayPlan[] | null = [];
  @state() private _importing = false;
  /** Why the last 新建 or 导入 did nothing (the form keeps what was typed). */
  @state() private _problem = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void listDevicePlans()
      .catch(() => [])
      .then((p) => (this._device = p));
    void relayPlansForDevice(fetchRelayPlans).then((p) => (this._relay = p));
  }

  override render() {
    const onDevice = new Set(this._device.map((p) => p.id));
    const relayOnly = (this._relay ?? []).filter((p) => !onDevice.has(p.id));
    const untitled = msg('未命名清单', { id: 'home.untitled' });
    return html`
      <h1>${msg('工作清单', { id: 'home.title' })}</h1>
      <form
        class="field-row actions"
        aria-label=${msg('新建清单', { id: 'home.create' })}
        @submit=${this._create}
      >
        <label
          >${msg('标题', { id: 'home.plan-title' })}
          <input class="title-input" name="title" required
        /></label>
        <label
          >${msg('年度', { id: 'home.plan-year' })}
          <input
            name="year"
            type="number"
            min="1949"
            max="2999"
            .value=${String(new Date().getFullYear())}
        /></label>
        <button class="primary" type="submit">${msg('新建', { id: 'home.create-button' })}</button>
        <button type="button" class="import" @click=${this._openImport}>
          ${msg('导入', { id: 'home.import' })}
        </button>
      </form>
      ${this._problem === '' ? nothing : html`<p class="error" role="alert">${this._problem}</p>`}
      <h2>${msg('打开邀请链接', { id: 'home.invite' })}</h2>
      <cl-invite-paste @invite-given=${this._onInvite}></cl-invite-paste>
      ${
        this._importing
          ? html`<cl-import-dialog @import-close=${this._importClosed}></cl-import-dialog>`
          : nothing
      }
      <h2>${msg('本设备上的清单', { id: 'home.device' })}</h2>
      ${
        this._device.length === 0
          ? html`<p class="meta">${msg('还没有清单。', { id: 'home.none' })}</p>`
          : html`<ul>
              ${this._device.map(
                (p) =>
                  html`<li>
                    <a href=${planPath(p.id)}>${p.title || untitled}</a>
                    <span class="meta"
                      >${msg(str`上次打开 ${new Date(p.openedAt).toLocaleString()}`, {
                        id: 'home.opened',
                      })}</span
                    >
                  </li>`,
              )}
            </ul>`
      }
      ${
        this._relay === null
          ? html`<p class="meta" role="status">
              ${msg('无法连接服务器：仅显示本设备上的清单。', { id: 'home.relay-unavailable' })}
            </p>`
          : relayOnly.length === 0
            ? nothing
            : html`<h2>${msg('服务器上的清单', { id: 'home.relay' })}</h2>
                <ul>
                  ${relayOnly.map(
                    (p) => html`<li><a href=${planPath(p.id)}>${p.title || untitled}</a></li>`,
                  )}
                </ul>`
      }
    `;
  }

  /** A pasted invite: keep it, then open its plan (or list every plan for a `*` admin). */
  private readonly _onInvite = (e: InviteGiven): void => {
    void keepInvite(e.token).then((plan) => {
      if (plan === null) return;
      if (plan !== '*') navigate(planPath(plan));
      else void relayPlansForDevice(fetchRelayPlans).then((p) => (this._relay = p));
    });
  };

  /** The importer (readers of .txt/.docx, preview) loads only when asked for. */
  private readonly _openImport = (): void => {
    this._importing = true;
    this._problem = '';
    import('./cl-import-dialog.ts').catch(() => {
      // Only online without the service worker's copy: say so rather than do nothing.
      this._importing = false;
      this._problem = msg('导入功能未能加载，请检查网络后重试。', {
        id: 'home.import-unavailable',
      });
    });
  };

  private readonly _importClosed = async (): Promise<void> => {
    this._importing = false;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('button.import')?.focus();
  };

  private async _create(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    const title = String(data.get('title') ?? '').trim();
    const year = Number(data.get('year'));
    if (title === '') return;
    const id = newPlanId();
    const doc = new Y.Doc();
    createPlan(doc, {
      title,
      ...(Number.isInteger(year) && year >= 1949 && year <= 2999 ? { year } : {}),
    });
    this._problem = '';
    try {
      // The plan page opens a plan from this device's copy: one that was not stored would
      // open empty there. So a failed write creates nothing, says why, and keeps the form.
      await saveDocState(id, doc);
    } catch (error) {
      this._problem =
        storageProblem(error) === 'quota'
          ? msg('本设备存储空间已满，清单未创建。', { id: 'import.save-quota' })
          : msg('无法在本设备上保存新清单，清单未创建。', { id: 'import.save-failed' });
      return;
    } finally {
      doc.destroy();
    }
    // The list of plans on this device is a convenience: the plan itself is stored.
    await rememberPlan(id, title, new Date().toISOString()).catch(() => undefined);
    navigate(planPath(id));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cl-home': ClHome;
  }
}
