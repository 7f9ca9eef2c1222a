import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { localized, msg } from '@lit/localize';
import {
  countOutline,
  formatOutlineCounts,
  isImportError,
  type Outline,
} from '../../shared/index.ts';
import { base } from '../styles.ts';
import { getLocale } from '../i18n.ts';
import { navigate, planPath } from '../router.ts';
import { loadProfile } from '../storage/device.ts';
import { storageProblem } from '../storage/errors.ts';
import { importerMessageIn } from '../import/messages.ts';
import { createImportedPlan } from '../import/create-plan.ts';
import type { ClImportPreview, OutlineChange } from './cl-import-preview.ts';
import type { ClImportSource, OutlineRead } from './cl-import-source.ts';
import { importDialogStyles } from './cl-import-dialog.styles.ts';
import './cl-import-preview.ts';
import './cl-import-source.ts';

/**
 * 导入: a modal dialog that turns a policy document — a chosen or dropped .txt/.docx, or
 * pasted text — into a NEW plan. Steps: read it (the importer's message on bad input, and
 * nothing is created), preview and fix the outline, confirm the importer's warnings if it
 * has any, then 创建清单 stores the plan on this device and opens it.
 * @fires import-close - when the dialog closes without creating a plan
 */
@localized()
@customElement('cl-import-dialog')
export class ClImportDialog extends LitElement {
  static override styles = [base, importDialogStyles];

  @state() private _outline: Outline | null = null;
  @state() private _title = '';
  @state() private _error = '';
  @state() private _confirmed = false;
  @state() private _busy = false;
  @state() private _dragging = false;
  @query('dialog') private _dialog!: HTMLDialogElement;

  override async firstUpdated(): Promise<void> {
    this._dialog.showModal();
    // showModal focuses the first focusable element, but not inside a child's shadow root.
    const source = this.renderRoot.querySelector<ClImportSource>('cl-import-source');
    await source?.updateComplete;
    source?.focus();
  }

  protected override async updated(changed: PropertyValues<this>): Promise<void> {
    if (!changed.has('_outline' as keyof ClImportDialog)) return;
    const before = changed.get('_outline' as keyof ClImportDialog);
    // The control that had the focus is gone with the step: move it into the new step.
    if (this._outline !== null && before === null) {
      const preview = this.renderRoot.querySelector<ClImportPreview>('cl-import-preview');
      await preview?.updateComplete;
      preview?.focusSelected();
    } else if (this._outline === null && before !== undefined) {
      const source = this.renderRoot.querySelector<ClImportSource>('cl-import-source');
      await source?.updateComplete;
      source?.focus();
    }
  }

  override render() {
    // Drops are taken anywhere on the dialog: a file dropped beside the zone would
    // otherwise make the browser leave the app to show it.
    return html`<dialog
      aria-labelledby="t"
      aria-describedby="d"
      @close=${this._onClose}
      @dragover=${this._onDragOver}
      @dragleave=${() => (this._dragging = false)}
      @drop=${this._onDrop}
    >
      <h2 id="t">${msg('导入清单', { id: 'import.title' })}</h2>
      ${this._outline === null ? this._input() : this._preview(this._outline)}
    </dialog>`;
  }

  private _input() {
    return html`
      <p id="d" class="intro">
        ${msg('从实施意见、工作要点、工作方案等文件新建一份清单。导入总是新建清单，不会改动已有清单。', { id: 'import.intro' })}
      </p>
      <cl-import-source
        ?dragging=${this._dragging}
        @outline-read=${this._onRead}
      ></cl-import-source>
      <div class="end">
        <button type="button" @click=${this._cancel}>
          ${msg('取消', { id: 'import.cancel' })}
        </button>
      </div>
    `;
  }

  private _preview(outline: Outline) {
    const counts = countOutline(outline);
    const warned = outline.warnings.length > 0;
    const blocked = this._busy || counts.tasks === 0 || (warned && !this._confirmed);
    const locale = getLocale();
    return html`
      <p id="d" class="counts" role="status">
        ${formatOutlineCounts(counts, locale === 'en' ? 'en' : 'zh')}
      </p>
      <label class="title"
        >${msg('清单标题', { id: 'import.plan-title' })}
        <input
          .value=${this._title}
          @input=${(e: Event) => (this._title = (e.target as HTMLInputElement).value)}
      /></label>
      ${
        warned
          ? html`<div class="warn">
              <p id="w">${msg('请先核对：', { id: 'import.check' })}</p>
              <ul>
                ${outline.warnings.map((w) => html`<li>${importerMessageIn(w, locale)}</li>`)}
              </ul>
              <label class="confirm"
                ><input
                  type="checkbox"
                  .checked=${this._confirmed}
                  @change=${(e: Event) => (this._confirmed = (e.target as HTMLInputElement).checked)}
                />${msg('已核对，仍按此创建清单', { id: 'import.confirm' })}</label
              >
            </div>`
          : nothing
      }
      <cl-import-preview .outline=${outline} @outline-change=${this._onChange}></cl-import-preview>
      ${
        counts.tasks === 0
          ? html`<p class="hint">${msg('没有可创建的任务。', { id: 'import.no-tasks' })}</p>`
          : nothing
      }
      ${this._alert()}
      <div class="end">
        <button type="button" @click=${this._back}>
          ${msg('重新选择', { id: 'import.back' })}
        </button>
        <button type="button" @click=${this._cancel}>
          ${msg('取消', { id: 'import.cancel' })}
        </button>
        <button
          class="primary"
          type="button"
          aria-describedby=${warned && !this._confirmed ? 'w' : nothing}
          ?disabled=${blocked}
          @click=${this._create}
        >
          ${msg('创建清单', { id: 'import.create' })}
        </button>
      </div>
    `;
  }

  private _alert() {
    return html`<p class="error" role="alert">${this._error}</p>`;
  }

  private readonly _onRead = (e: OutlineRead): void => {
    this._error = '';
    this._confirmed = false;
    this._title = e.outline.title ?? '';
    this._outline = e.outline;
  };

  private readonly _onDragOver = (e: DragEvent): void => {
    e.preventDefault();
    this._dragging = this._outline === null;
  };

  private readonly _onDrop = (e: DragEvent): void => {
    e.preventDefault();
    this._dragging = false;
    const file = e.dataTransfer?.files[0];
    const source = this.renderRoot.querySelector<ClImportSource>('cl-import-source');
    if (file !== undefined && source !== null) void source.readFile(file);
  };

  private readonly _onChange = (e: OutlineChange): void => {
    this._outline = e.outline;
  };

  private readonly _back = (): void => {
    this._outline = null;
    this._error = '';
  };

  private readonly _create = async (): Promise<void> => {
    const outline = this._outline;
    // _busy also stops a double click from creating two plans before the button disables.
    if (outline === null || this._busy || (outline.warnings.length > 0 && !this._confirmed)) return;
    this._busy = true;
    this._error = '';
    try {
      const profile = await loadProfile().catch(() => null);
      const id = await createImportedPlan(outline, {
        title: this._title,
        ...(profile ? { actor: { name: profile.name, at: new Date().toISOString() } } : {}),
      });
      this._created = true;
      this._dialog.close();
      navigate(planPath(id));
    } catch (e) {
      if (!this.isConnected) return;
      // createImportedPlan rejects with the importer's error, or with IndexedDB's.
      this._error = isImportError(e)
        ? importerMessageIn(e.message, getLocale())
        : storageProblem(e) === 'quota'
          ? msg('本设备存储空间已满，清单未创建。', { id: 'import.save-quota' })
          : msg('无法在本设备上保存新清单，清单未创建。', { id: 'import.save-failed' });
    } finally {
      this._busy = false;
    }
  };

  private _created = false;

  private readonly _cancel = (): void => this._dialog.close();

  private readonly _onClose = (): void => {
    if (!this._created)
      this.dispatchEvent(new Event('import-close', { bubbles: true, composed: true }));
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'cl-import-dialog': ClImportDialog;
  }
}
