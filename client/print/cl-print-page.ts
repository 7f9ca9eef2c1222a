import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { localized, msg } from '@lit/localize';
import { readBranches, readVersions, type VersionInfo } from '../../shared/index.ts';
import { base } from '../styles.ts';
import { PlanSession } from '../plan-session.ts';
import type { Profile } from '../storage/device.ts';
import {
  DEFAULT_PRINT_PREFS,
  loadPrintPrefs,
  savePrintPrefs,
  type PrintPrefs,
} from '../storage/print-prefs.ts';
import { EventController } from '../controllers/event-controller.ts';
import { navigate, planPath, printPath } from '../router.ts';
import { exportFileName, printDocument } from './print-document.ts';
import type { PrintAction, PrintPrefsChange, PrintTargetChange } from './print-events.ts';
import { exportDocument, type ExportFormat } from './export-file.ts';
import './cl-print-toolbar.ts';
import './cl-print-view.ts';

/**
 * The print view, `/plan/<id>/print?version=<id>&branch=<id>`: the plan opened from this
 * device (so it works offline) and kept in sync, a toolbar that never prints, and the
 * official table itself. The exporters are loaded only when asked for.
 */
@localized()
@customElement('cl-print-page')
export class ClPrintPage extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: block;
      }
      .back {
        font-size: 14px;
      }
      .note {
        color: var(--muted);
      }
      .sheet {
        overflow-x: auto;
        padding: 8px 0 24px;
      }
      @media print {
        .back,
        .note {
          display: none;
        }
        .sheet {
          overflow: visible;
          padding: 0;
        }
      }
    `,
  ];

  @property() planId = '';
  @property({ attribute: false }) version: string | null = null;
  @property({ attribute: false }) branch: string | null = null;
  @property({ attribute: false }) profile!: Profile;
  @state() private _session: PlanSession | null = null;
  @state() private _ready = false;
  @state() private _prefs: PrintPrefs = DEFAULT_PRINT_PREFS;
  @state() private _busy = false;
  @state() private _error: string | null = null;

  /** Re-reads the plan on every change (synced from the relay or another tab). */
  private readonly _rev = new EventController<number>(
    this,
    () => {
      const s = this._session;
      if (!s) return undefined;
      return {
        key: s,
        subscribe: (fn) => {
          s.doc.on('update', fn);
          return () => s.doc.off('update', fn);
        },
      };
    },
    () => ++this._tick,
    0,
  );
  private _tick = 0;

  /** The page's title before the print view changed it. */
  private _title = document.title;

  override connectedCallback(): void {
    super.connectedCallback();
    this._title = document.title;
    void loadPrintPrefs()
      .then((p) => {
        // A choice made while the stored options were loading wins.
        if (!this._prefsChosen) this._prefs = p;
      })
      .catch(() => undefined);
    if (this.planId !== '' && !this._session) this._open();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.title = this._title;
    void this._session?.dispose();
    this._session = null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('planId') && this.isConnected && this._session?.planId !== this.planId)
      this._open();
  }

  protected override updated(): void {
    // The browser offers the document's title as the name of a PDF it prints to.
    const printed = this._memo?.value;
    if (printed && typeof printed !== 'string')
      document.title = exportFileName(printed.input, '').replace(/\.$/, '');
  }

  /** Opens the plan as the plan page does (from this device first, then the relay). */
  private _open(): void {
    void this._session?.dispose();
    const session = new PlanSession(this.planId, this.profile);
    this._session = session;
    this._ready = false;
    // The session finds the invite token this device keeps for the plan (issue 7).
    void session.open().then(() => {
      if (this._session === session) this._ready = true;
    });
  }

  override render() {
    const s = this._session;
    const back = html`<a class="back" href=${planPath(this.planId)}
      >${msg('← 返回清单', { id: 'print.back' })}</a
    >`;
    if (!s || !this._ready)
      return html`${back}
        <p class="note" role="status">${msg('正在打开清单…', { id: 'plan.loading' })}</p>`;
    const printed = this._printed(s);
    const versions: VersionInfo[] = readVersions(s.doc);
    const branches = typeof printed === 'string' ? readBranches(s.doc) : printed.plan.branches;
    return html`
      ${back}
      <cl-print-toolbar
        role="toolbar"
        aria-label=${msg('打印选项', { id: 'print.toolbar' })}
        .prefs=${this._prefs}
        .versions=${versions}
        .branches=${branches}
        .version=${this.version}
        .branch=${typeof printed === 'string' ? null : printed.branch}
        ?busy=${this._busy}
        @print-prefs-change=${this._onPrefs}
        @print-target-change=${this._onTarget}
        @print-action=${this._onAction}
      ></cl-print-toolbar>
      ${this._error ? html`<p class="note" role="alert">${this._error}</p>` : nothing}
      ${
        printed === 'plan'
          ? html`<p class="note" role="status">
              ${msg('本设备上还没有此清单，正在等待服务器…', { id: 'plan.waiting' })}
            </p>`
          : printed === 'version'
            ? html`<p class="note" role="status">
                ${msg('本设备上还没有这个审定版本，正在等待同步…', { id: 'print.no-version' })}
              </p>`
            : html`<div class="sheet">
                <cl-print-view .rows=${printed.rows} .input=${printed.input}></cl-print-view>
              </div>`
      }
    `;
  }

  private _memo: { key: readonly unknown[]; value: ReturnType<typeof printDocument> } | null = null;

  /** The document to print, read again only when the plan, the target or the options changed. */
  private _printed(s: PlanSession): ReturnType<typeof printDocument> {
    const key = [s, this._rev.value, this.version, this.branch, this._prefs];
    if (this._memo && this._memo.key.every((k, i) => k === key[i])) return this._memo.value;
    const value = printDocument(s.doc, { version: this.version, branch: this.branch }, this._prefs);
    this._memo = { key, value };
    return value;
  }

  private _prefsChosen = false;

  private readonly _onPrefs = (e: PrintPrefsChange): void => {
    this._prefsChosen = true;
    this._prefs = e.prefs;
    void savePrintPrefs(e.prefs).catch(() => undefined);
  };

  private readonly _onTarget = (e: PrintTargetChange): void => {
    navigate(printPath(this.planId, { version: e.version, branch: e.branch }), { replace: true });
  };

  private readonly _onAction = (e: PrintAction): void => {
    if (e.action === 'print') window.print();
    else void this._export(e.action);
  };

  private async _export(format: ExportFormat): Promise<void> {
    const s = this._session;
    if (!s || this._busy) return;
    const printed = this._printed(s);
    if (typeof printed === 'string') return;
    this._busy = true;
    this._error = null;
    try {
      await exportDocument(printed, format);
    } catch {
      this._error = msg('导出失败，请重试。', { id: 'print.export-failed' });
    } finally {
      this._busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cl-print-page': ClPrintPage;
  }
}
