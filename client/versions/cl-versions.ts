import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import {
  agreeVersion,
  readVersions,
  versionsOf,
  type Change,
  type VersionInfo,
} from '../../shared/index.ts';
import { base, panel } from '../styles.ts';
import type { PlanSession } from '../plan-session.ts';
import { YController } from '../controllers/y-controller.ts';
import { printPath } from '../router.ts';
import { agreedOn } from '../print/print-document.ts';
import type { AgreeRequest } from './cl-agree-dialog.ts';
import './cl-agree-dialog.ts';
import './cl-changes.ts';

/** The user picked an agreed version to compare the plan with (null: stop comparing). */
export class CompareSelect extends Event {
  readonly version: string | null;
  constructor(version: string | null) {
    super('compare-select', { bubbles: true, composed: true });
    this.version = version;
  }
}

const sameList = (a: readonly VersionInfo[], b: readonly VersionInfo[]): boolean =>
  JSON.stringify(a) === JSON.stringify(b);

/**
 * 审定版本: agree the plan as it is now, the agreed versions (read-only: open one in the
 * print view), and what changed since the one picked for comparing.
 * @fires compare-select
 */
@localized()
@customElement('cl-versions')
export class ClVersions extends LitElement {
  static override styles = [
    base,
    panel,
    css`
      .top {
        display: flex;
        align-items: center;
        gap: 12px;
        margin-bottom: 8px;
      }
      h2 {
        font-size: 16px;
        margin: 0;
        flex: 1;
      }
      h3 {
        font-size: 15px;
        margin: 16px 0 4px;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li {
        display: flex;
        flex-wrap: wrap;
        gap: 4px 12px;
        align-items: center;
        padding: 6px 0;
        border-bottom: 1px solid #eceef1;
      }
      .name {
        font-weight: 600;
      }
      .meta {
        color: var(--muted);
        font-size: 13px;
        flex: 1;
      }
      a {
        font-size: 14px;
      }
      button[aria-pressed='true'] {
        background: var(--soft);
        border-color: #9aa1a9;
      }
    `,
  ];

  @property({ attribute: false }) session!: PlanSession;
  /** The version compared with, if any. */
  @property({ attribute: false }) base: string | null = null;
  @property({ attribute: false }) changes: readonly Change[] = [];
  @state() private _agreeing = false;

  private readonly _versions = new YController(
    this,
    () => this.session && versionsOf(this.session.doc),
    () => readVersions(this.session.doc),
    [] as VersionInfo[],
    { equals: sameList },
  );

  override render() {
    const list = this._versions.value;
    const compared = list.find((v) => v.id === this.base);
    return html`
      <div class="top">
        <h2>${msg('审定版本', { id: 'versions.title' })}</h2>
        <button
          class="primary"
          ?disabled=${this.session.readOnly}
          @click=${() => (this._agreeing = true)}
        >
          ${msg('审定当前清单…', { id: 'versions.agree-open' })}
        </button>
      </div>
      ${
        list.length === 0
          ? html`<p class="meta">
              ${msg('还没有审定版本。党组会审定后，在此保存审定稿。', { id: 'versions.none' })}
            </p>`
          : html`<ul aria-label=${msg('审定版本', { id: 'versions.title' })}>
              ${list.map((v) => this._item(v))}
            </ul>`
      }
      ${
        compared
          ? html`<h3>
                ${msg(str`与“${compared.name}”相比的改动`, { id: 'versions.changes-since' })}
              </h3>
              <cl-changes .changes=${this.changes}></cl-changes>`
          : nothing
      }
      ${
        this._agreeing
          ? html`<cl-agree-dialog
              .by=${this.session.profile.name}
              .suggestion=${suggestName()}
              @agree-request=${this._agree}
              @agree-cancel=${() => (this._agreeing = false)}
            ></cl-agree-dialog>`
          : nothing
      }
    `;
  }

  private _item(v: VersionInfo) {
    const on = v.id === this.base;
    return html`<li>
      <span class="name">${v.name}</span>
      <span class="meta"
        >${msg(str`${v.by} 审定 · ${agreedOn(v.at)} · ${v.taskCount} 项任务`, { id: 'versions.meta' })}</span
      >
      <a href=${printPath(this.session.planId, { version: v.id })}
        >${msg(str`查看和打印 ${v.name}`, { id: 'versions.open' })}</a
      >
      <button
        aria-pressed=${on}
        @click=${() => this.dispatchEvent(new CompareSelect(on ? null : v.id))}
      >
        ${msg(str`与 ${v.name} 对比`, { id: 'versions.compare' })}
      </button>
    </li>`;
  }

  private readonly _agree = (e: AgreeRequest): void => {
    const s = this.session;
    this._agreeing = false;
    const id = s.edit((o) => agreeVersion(s.doc, { name: e.name, by: e.by, at: e.at }, o));
    if (id !== undefined) this.dispatchEvent(new CompareSelect(id));
  };
}

/** e.g. 2023年4月党组会审定稿, for this month. */
function suggestName(d = new Date()): string {
  return `${d.getFullYear()}年${d.getMonth() + 1}月党组会审定稿`;
}

declare global {
  interface HTMLElementTagNameMap {
    'cl-versions': ClVersions;
  }
}
