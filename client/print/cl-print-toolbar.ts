import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import {
  TABLE_COLUMNS,
  type Branch,
  type TableColumn,
  type VersionInfo,
} from '../../shared/index.ts';
import { base } from '../styles.ts';
import type { PrintPrefs } from '../storage/print-prefs.ts';
import { agreedOn } from './print-document.ts';
import type { ExportFormat } from './export-file.ts';
import { PrintAction, PrintPrefsChange, PrintTargetChange, columnName } from './print-events.ts';

/**
 * The print view's toolbar: what to print, how, and the print and export buttons. It is
 * interface, not document: it never prints.
 * @fires print-prefs-change
 * @fires print-target-change
 * @fires print-action
 */
@localized()
@customElement('cl-print-toolbar')
export class ClPrintToolbar extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px 16px;
        padding: 10px 0 14px;
        margin-bottom: 16px;
        border-bottom: 1px solid var(--line);
      }
      fieldset {
        border: none;
        margin: 0;
        padding: 0;
        display: inline-flex;
        flex-wrap: wrap;
        gap: 2px 10px;
        align-items: center;
      }
      legend {
        float: left;
        margin-right: 6px;
        color: var(--muted);
        font-size: 14px;
      }
      label {
        font-size: 14px;
        white-space: nowrap;
      }
      .actions {
        display: inline-flex;
        gap: 8px;
        margin-left: auto;
      }
      @media print {
        :host {
          display: none;
        }
      }
    `,
  ];

  @property({ attribute: false }) prefs!: PrintPrefs;
  @property({ attribute: false }) versions: readonly VersionInfo[] = [];
  @property({ attribute: false }) branches: readonly Branch[] = [];
  @property({ attribute: false }) version: string | null = null;
  @property({ attribute: false }) branch: string | null = null;
  @property({ type: Boolean }) busy = false;

  override render() {
    const p = this.prefs;
    return html`
      <label
        >${msg('版本', { id: 'print.version' })}
        <select
          @change=${(e: Event) => this._target({ version: (e.target as HTMLSelectElement).value || null })}
        >
          <option value="" ?selected=${this.version === null}>
            ${msg('当前清单（未审定）', { id: 'print.current' })}
          </option>
          ${this.versions.map(
            (v) =>
              html`<option value=${v.id} ?selected=${this.version === v.id}>
                ${msg(str`${v.name}（${agreedOn(v.at)}）`, { id: 'print.version-option' })}
              </option>`,
          )}
        </select></label
      >
      <label
        >${msg('打印范围', { id: 'print.scope' })}
        <select
          @change=${(e: Event) => this._target({ branch: (e.target as HTMLSelectElement).value || null })}
        >
          <option value="" ?selected=${this.branch === null}>
            ${msg('全部支部', { id: 'print.all-branches' })}
          </option>
          ${this.branches.map(
            (b) =>
              html`<option value=${b.id} ?selected=${this.branch === b.id}>
                ${msg(str`${b.name}责任清单`, { id: 'print.branch-option' })}
              </option>`,
          )}
        </select></label
      >
      <fieldset>
        <legend>${msg('打印的列', { id: 'print.columns' })}</legend>
        ${TABLE_COLUMNS.map(
          (c) =>
            html`<label
              ><input
                type="checkbox"
                .checked=${p.columns.includes(c)}
                ?disabled=${p.columns.length === 1 && p.columns.includes(c)}
                @change=${(e: Event) => this._column(c, (e.target as HTMLInputElement).checked)}
              />${columnName(c)}</label
            >`,
        )}
      </fieldset>
      <fieldset>
        <legend>${msg('纸张方向', { id: 'print.orientation' })}</legend>
        <label
          ><input
            type="radio"
            name="orientation"
            .checked=${p.orientation === 'landscape'}
            @change=${() => this._set({ orientation: 'landscape' })}
          />${msg('横向', { id: 'print.landscape' })}</label
        >
        <label
          ><input
            type="radio"
            name="orientation"
            .checked=${p.orientation === 'portrait'}
            @change=${() => this._set({ orientation: 'portrait' })}
          />${msg('纵向', { id: 'print.portrait' })}</label
        >
      </fieldset>
      <label
        ><input
          type="checkbox"
          .checked=${p.attachment}
          @change=${(e: Event) => this._set({ attachment: (e.target as HTMLInputElement).checked })}
        />${msg('“附件”标识', { id: 'print.attachment' })}</label
      >
      <label
        ><input
          type="checkbox"
          .checked=${p.signature}
          @change=${(e: Event) => this._set({ signature: (e.target as HTMLInputElement).checked })}
        />${msg('签字栏', { id: 'print.signature' })}</label
      >
      <span class="actions">
        <button class="primary" @click=${() => this._act('print')}>
          ${msg('打印', { id: 'print.print' })}
        </button>
        <button ?disabled=${this.busy} @click=${() => this._act('xlsx')}>
          ${msg('导出 Excel', { id: 'print.export-xlsx' })}
        </button>
        <button ?disabled=${this.busy} @click=${() => this._act('docx')}>
          ${msg('导出 Word', { id: 'print.export-docx' })}
        </button>
        <button ?disabled=${this.busy} @click=${() => this._act('csv')}>
          ${msg('导出 CSV', { id: 'print.export-csv' })}
        </button>
      </span>
    `;
  }

  private _set(patch: Partial<PrintPrefs>): void {
    this.dispatchEvent(new PrintPrefsChange({ ...this.prefs, ...patch }));
  }

  private _column(c: TableColumn, on: boolean): void {
    const chosen = new Set(this.prefs.columns);
    if (on) chosen.add(c);
    else chosen.delete(c);
    if (chosen.size === 0) return;
    this._set({ columns: TABLE_COLUMNS.filter((x) => chosen.has(x)) });
  }

  private _target(patch: { version?: string | null; branch?: string | null }): void {
    this.dispatchEvent(
      new PrintTargetChange(
        patch.version !== undefined ? patch.version : this.version,
        patch.branch !== undefined ? patch.branch : this.branch,
      ),
    );
  }

  private _act(action: 'print' | ExportFormat): void {
    this.dispatchEvent(new PrintAction(action));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cl-print-toolbar': ClPrintToolbar;
  }
}
