import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import { metaOf, updatePlan } from '../../shared/index.ts';
import { base } from '../styles.ts';
import { PlanSession, type Peer } from '../plan-session.ts';
import type { Profile } from '../storage/device.ts';
import { rememberPlan } from '../storage/device.ts';
import { YController } from '../controllers/y-controller.ts';
import { EventController, onEvents } from '../controllers/event-controller.ts';
import { outlineSource, readOutline, sameOutline, outlineRelevant } from '../model/outline.ts';
import { NO_FILTER, type Filter, type Outline } from '../model/outline.ts';
import type { FilterChange } from './cl-filters.ts';
import './cl-sync-status.ts';
import './cl-presence-list.ts';
import './cl-progress.ts';
import './cl-filters.ts';
import './cl-task-tree.ts';
import './cl-branches.ts';
import './cl-trash.ts';
import { CompareController } from '../versions/compare-controller.ts';
import type { CompareSelect } from '../versions/cl-versions.ts';
import { pageStyles } from './cl-plan-page.styles.ts';
import { keepInvite } from '../sync/take-invite.ts';
import { loadVersions, prefetchPlanParts } from '../lazy.ts';
import { navigate, planPath, printPath } from '../router.ts';
import type { InviteGiven } from './cl-invite-paste.ts';
import './cl-access.ts';
import './cl-invites.ts';

const EMPTY_OUTLINE: Outline = { entries: [], branches: [] };
type Meta = { title: string; year: number | null; loaded: boolean };

/**
 * The plan page: title, toolbar (undo/redo, sync status, presence, panels), progress,
 * filters and the checklist tree. `.plan-actions` is where issue 6's 审定/打印 menu goes, and
 * `.role` where issue 7's role badge goes.
 */
@localized()
@customElement('cl-plan-page')
export class ClPlanPage extends LitElement {
  static override styles = [base, pageStyles];

  @property() planId = '';
  @property({ attribute: false }) profile!: Profile;
  /** Issue 6: the 审定版本 panel, and the agreed version the plan is compared with. */
  @state() private _versionsOpen = false;
  /** The versions panel could not be fetched (offline before the page ever had it). */
  @state() private _versionsUnavailable = false;
  @state() private _compareWith: string | null = null;
  private readonly _compare = new CompareController(this);
  @state() private _session: PlanSession | null = null;
  @state() private _ready = false;
  @state() private _filter: Filter = NO_FILTER;
  @state() private _panel: 'none' | 'branches' | 'trash' | 'invites' = 'none';

  private readonly _meta = new YController(
    this,
    () => this._session?.doc && metaOf(this._session.doc),
    (m): Meta => {
      const y = m.get('year');
      const title = typeof m.get('title') === 'string' ? (m.get('title') as string) : '';
      return { title, year: typeof y === 'number' ? y : null, loaded: m.has('title') };
    },
    { title: '', year: null, loaded: false },
  );
  private readonly _outline = new YController(
    this,
    () => this._session && outlineSource(this._session.doc),
    () => (this._session ? readOutline(this._session.doc) : EMPTY_OUTLINE),
    EMPTY_OUTLINE,
    { relevant: outlineRelevant, equals: sameOutline },
  );
  private readonly _peers = new EventController<Peer[]>(
    this,
    () => {
      const s = this._session;
      if (!s) return undefined;
      return {
        key: s,
        subscribe: (fn) => {
          s.awareness.on('change', fn);
          return () => s.awareness.off('change', fn);
        },
      };
    },
    () => this._session?.peers() ?? [],
    [],
  );
  private readonly _status = new EventController(
    this,
    () =>
      this._session && {
        key: this._session,
        subscribe: onEvents(this._session, 'undo', 'storage', 'error'),
      },
    () => ({
      undo: this._session?.undo.canUndo() ?? false,
      redo: this._session?.undo.canRedo() ?? false,
      problem: this._session?.storageProblem ?? null,
      error: this._session?.lastError?.message ?? null,
    }),
    { undo: false, redo: false, problem: null as string | null, error: null as string | null },
    (a, b) =>
      a.undo === b.undo && a.redo === b.redo && a.problem === b.problem && a.error === b.error,
  );

  override connectedCallback(): void {
    super.connectedCallback();
    addEventListener('keydown', this._onKey);
    if (this.planId !== '' && !this._session) this._open();
    prefetchPlanParts();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener('keydown', this._onKey);
    void this._session?.dispose();
    this._session = null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('planId') && this.isConnected && this._session?.planId !== this.planId)
      this._open();
    this._compare.set(this._ready ? this._session : null, this._compareWith);
    const m = this._meta.value;
    if (this._ready && m.loaded && this._session && m.title !== this._remembered) {
      this._remembered = m.title;
      void rememberPlan(this._session.planId, m.title, this._openedAt).catch(() => undefined);
    }
  }

  private _openedAt = new Date().toISOString();
  /** The title last written to the device's plan list. */
  private _remembered: string | null = null;

  private _open(): void {
    void this._session?.dispose();
    const session = new PlanSession(this.planId, this.profile);
    this._session = session;
    this._ready = false;
    this._remembered = null;
    this._openedAt = new Date().toISOString();
    // The session finds the invite token this device keeps for the plan (issue 7).
    void session.open().then(() => {
      if (this._session === session) this._ready = true;
    });
  }

  override render() {
    const s = this._session;
    if (!s || !this._ready)
      return html`<p role="status">${msg('正在打开清单…', { id: 'plan.loading' })}</p>`;
    const meta = this._meta.value;
    const st = this._status.value;
    const peers = this._peers.value;
    const editors = new Map<string, Peer[]>();
    for (const p of peers)
      if (p.editing) editors.set(p.editing, [...(editors.get(p.editing) ?? []), p]);
    return html`
      ${
        st.problem
          ? html`<p class="banner" role="alert">
              ${
                st.problem === 'quota'
                  ? msg(
                      '设备存储空间已满：新的更改无法保存在本设备上。请清理空间，并保持联网以便服务器保存更改。',
                      { id: 'plan.storage-quota' },
                    )
                  : msg(
                      '此浏览器无法保存数据（隐私窗口或已禁用存储）：更改只在页面打开且能连接服务器时保留。',
                      { id: 'plan.storage-unavailable' },
                    )
              }
            </p>`
          : nothing
      }
      ${
        st.error
          ? html`<p class="banner" role="alert">
              ${msg(str`该操作未执行：${st.error}`, { id: 'plan.refused' })}
            </p>`
          : nothing
      }
      <div class="head">
        <input
          class="plan-title"
          aria-label=${msg('清单标题', { id: 'plan.title-label' })}
          ?readonly=${s.readOnly}
          .value=${meta.title}
          @change=${(e: Event) =>
            s.edit((o) => updatePlan(s.doc, { title: (e.target as HTMLInputElement).value }, o))}
        />
        <cl-access class="role" .session=${s} @invite-given=${this._onInvite}></cl-access>
      </div>
      ${meta.loaded ? nothing : html`<p class="meta" role="status">${msg('本设备上还没有此清单，正在等待服务器…', { id: 'plan.waiting' })}</p>`}
      <div class="toolbar" role="toolbar" aria-label=${msg('清单操作', { id: 'plan.actions' })}>
        <button ?disabled=${!st.undo || s.readOnly} @click=${() => s.undo.undo()}>
          ${msg('撤销', { id: 'plan.undo' })}
        </button>
        <button ?disabled=${!st.redo || s.readOnly} @click=${() => s.undo.redo()}>
          ${msg('重做', { id: 'plan.redo' })}
        </button>
        <span class="plan-actions">
          <button
            ?hidden=${s.readOnly}
            aria-pressed=${this._panel === 'branches'}
            @click=${() => this._toggle('branches')}
          >
            ${msg('支部', { id: 'plan.branches' })}
          </button>
          <button
            ?hidden=${s.readOnly}
            aria-pressed=${this._panel === 'trash'}
            @click=${() => this._toggle('trash')}
          >
            ${msg('回收站', { id: 'plan.trash' })}
          </button>
          ${
            s.role === 'admin'
              ? html`<button
                  aria-pressed=${this._panel === 'invites'}
                  @click=${() => this._toggle('invites')}
                >
                  ${msg('邀请', { id: 'plan.invites' })}
                </button>`
              : nothing
          }
        </span>
        <span class="spacer"></span>
        <cl-presence-list .peers=${peers} .me=${this.profile}></cl-presence-list>
        <cl-sync-status .session=${s}></cl-sync-status>
        <span class="plan-actions">
          <button aria-pressed=${this._versionsOpen} @click=${this._toggleVersions}>
            ${msg('审定版本', { id: 'plan.versions' })}
          </button>
          <button @click=${() => navigate(printPath(this.planId))}>
            ${msg('打印和导出', { id: 'plan.print' })}
          </button>
        </span>
      </div>
      ${
        !this._versionsOpen
          ? nothing
          : this._versionsUnavailable
            ? html`<p role="alert">
                ${msg('审定版本面板尚未下载到本设备，请联网后再打开。', {
                  id: 'plan.versions-unavailable',
                })}
              </p>`
            : html`<cl-versions
                .session=${s}
                .base=${this._compareWith}
                .changes=${this._compare.value.changes}
                @compare-select=${(e: CompareSelect) => (this._compareWith = e.version)}
              ></cl-versions>`
      }
      ${this._panel === 'branches' ? html`<cl-branches .session=${s} .branches=${this._outline.value.branches}></cl-branches>` : nothing}
      ${this._panel === 'trash' ? html`<cl-trash .session=${s}></cl-trash>` : nothing}
      ${this._panel === 'invites' ? html`<cl-invites .session=${s}></cl-invites>` : nothing}
      <cl-progress .outline=${this._outline.value} .doc=${s.doc}></cl-progress>
      <cl-filters
        .filter=${this._filter}
        @filter-change=${(e: FilterChange) => (this._filter = e.filter)}
      ></cl-filters>
      <cl-task-tree
        .session=${s}
        .outline=${this._outline.value}
        .filter=${this._filter}
        .editors=${editors}
        .marks=${this._compare.value.marks}
      ></cl-task-tree>
    `;
  }

  /** The versions panel (issue 6) is loaded when first opened, not with the checklist. */
  private readonly _toggleVersions = (): void => {
    this._versionsOpen = !this._versionsOpen;
    if (!this._versionsOpen) return;
    void loadVersions().then(
      () => (this._versionsUnavailable = false),
      () => (this._versionsUnavailable = true),
    );
  };

  private _toggle(p: 'branches' | 'trash' | 'invites'): void {
    this._panel = this._panel === p ? 'none' : p;
  }

  /** A pasted invite: keep it, then reopen this plan with it (or open the plan it names). */
  private readonly _onInvite = (e: InviteGiven): void => {
    void keepInvite(e.token).then((plan) => {
      if (plan === null || !this.isConnected) return;
      if (plan === this.planId || plan === '*') this._open();
      else navigate(planPath(plan));
    });
  };

  private readonly _onKey = (e: KeyboardEvent): void => {
    const s = this._session;
    if (!s || !(e.ctrlKey || e.metaKey) || e.altKey) return;
    const k = e.key.toLowerCase();
    if (k === 'z' && !e.shiftKey) s.undo.undo();
    else if ((k === 'z' && e.shiftKey) || k === 'y') s.undo.redo();
    else return;
    e.preventDefault();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'cl-plan-page': ClPlanPage;
  }
}
