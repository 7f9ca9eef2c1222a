import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import { outlineEntries, type Outline, type OutlineEntry } from '../../shared/index.ts';
import { base } from '../styles.ts';
import { applyPreviewEdit, type PreviewEdit } from '../import/preview-edits.ts';
import { importPreviewStyles } from './cl-import-preview.styles.ts';

/** Fired when the user fixes the outline in the preview. */
export class OutlineChange extends Event {
  readonly outline: Outline;
  constructor(outline: Outline) {
    super('outline-change', { bubbles: true, composed: true });
    this.outline = outline;
  }
}

/**
 * The import preview: the outline as an ARIA tree (number, title, and the responsibility
 * annotations the importer found), and a toolbar that fixes a wrong split in the selected
 * row — change its level, merge it into the one before, split its text, or drop it.
 * Keyboard: ↑/↓/Home/End select, Alt+→/← change the level, Delete drops.
 * @fires outline-change
 */
@localized()
@customElement('cl-import-preview')
export class ClImportPreview extends LitElement {
  static override styles = [base, importPreviewStyles];

  @property({ attribute: false }) outline!: Outline;
  @state() private _selected = 0;
  @state() private _splitNote = '';
  @query('textarea') private _body?: HTMLTextAreaElement;
  private _entries: OutlineEntry[] = [];
  private _focusRow = false;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('outline')) this._entries = outlineEntries(this.outline);
    this._selected = Math.max(0, Math.min(this._selected, this._entries.length - 1));
  }

  /** Puts the focus on the selected row (the tree's one tab stop). */
  focusSelected(): void {
    this.renderRoot.querySelector<HTMLElement>('[aria-selected="true"]')?.focus();
  }

  protected override updated(): void {
    if (!this._focusRow) return;
    this._focusRow = false;
    this.focusSelected();
  }

  override render() {
    const sel = this._entries[this._selected];
    const can = (e: PreviewEdit) => applyPreviewEdit(this.outline, this._selected, e) !== null;
    const btn = (label: string, e: PreviewEdit) =>
      html`<button type="button" ?disabled=${!can(e)} @click=${() => this._edit(e, false)}>
        ${label}
      </button>`;
    const name = sel ? `${sel.node.number} ${sel.node.title}`.trim() : '';
    return html`
      <div
        role="toolbar"
        aria-label=${msg(str`调整所选项：${name}`, { id: 'import.toolbar' })}
        aria-controls="tree"
      >
        ${btn(msg('升一级', { id: 'import.outdent' }), { kind: 'outdent' })}
        ${btn(msg('降一级', { id: 'import.indent' }), { kind: 'indent' })}
        ${btn(msg('并入上一项', { id: 'import.merge' }), { kind: 'merge' })}
        ${btn(msg('删除此项', { id: 'import.drop' }), { kind: 'drop' })}
      </div>
      <ul
        id="tree"
        role="tree"
        aria-label=${msg('导入预览', { id: 'import.tree' })}
        aria-describedby="keys"
        @keydown=${this._onKey}
      >
        ${this._entries.map((e, i) => this._row(e, i))}
      </ul>
      <p id="keys" class="keys">
        ${msg('↑/↓ 选择一项，Alt+←/→ 升降级，Delete 删除。', { id: 'import.keys' })}
      </p>
      ${sel ? this._selectedRow(sel) : nothing}
    `;
  }

  private _row(e: OutlineEntry, i: number) {
    const n = e.node;
    const meta = [
      n.lead !== undefined ? msg(str`牵头：${n.lead}`, { id: 'import.lead' }) : '',
      n.owners !== undefined && n.owners.length > 0
        ? msg(str`责任单位：${n.owners.join('、')}`, { id: 'import.owners' })
        : '',
      n.deadline !== undefined ? msg(str`时限：${n.deadline}`, { id: 'import.deadline' }) : '',
      n.assignee !== undefined ? msg(str`责任人：${n.assignee}`, { id: 'import.assignee' }) : '',
    ].filter((s) => s !== '');
    const selected = i === this._selected;
    return html`<li
      role="treeitem"
      aria-level=${e.depth}
      aria-expanded=${n.children.length > 0 ? 'true' : nothing}
      aria-selected=${selected ? 'true' : 'false'}
      aria-label=${[`${n.number} ${n.title}`.trim(), ...meta].join('，')}
      tabindex=${selected ? 0 : -1}
      style="--depth: ${e.depth}"
      @click=${() => (this._selected = i)}
    >
      <span class=${e.isTask ? 'task' : e.depth === 1 ? 'sec' : ''}
        ><span class="num">${n.number}</span>${n.title}</span
      >
      ${meta.length > 0 ? html`<span class="meta">${meta.join(' · ')}</span>` : nothing}
    </li>`;
  }

  /** The selected row's title to correct, and its text to split. */
  private _selectedRow(sel: OutlineEntry) {
    return html`<div class="selected">
      <label
        >${msg('所选项的标题', { id: 'import.row-title' })}
        <input
          .value=${sel.node.title}
          @change=${(e: Event) =>
            this._edit({ kind: 'retitle', title: (e.target as HTMLInputElement).value }, false)}
      /></label>
      ${
        sel.node.body === ''
          ? nothing
          : html`<label
                >${msg('正文：把光标放在新一项开始的位置，再按“在光标处拆分”。', {
                  id: 'import.split-hint',
                })}
                <textarea readonly .value=${sel.node.body}></textarea>
              </label>
              <div class="split">
                <button type="button" @click=${this._split}>
                  ${msg('在光标处拆分', { id: 'import.split' })}
                </button>
                <span role="status">${this._splitNote}</span>
              </div>`
      }
    </div>`;
  }

  private readonly _split = (): void => {
    const offset = this._body?.selectionStart ?? 0;
    const done = this._edit({ kind: 'split', offset }, false);
    this._splitNote = done
      ? ''
      : msg('请先把光标放在正文中新一项开始的位置。', { id: 'import.split-where' });
  };

  /** Applies an edit; false when it is not possible there. */
  private _edit(e: PreviewEdit, fromTree: boolean): boolean {
    const result = applyPreviewEdit(this.outline, this._selected, e);
    if (result === null) return false;
    this._splitNote = '';
    this._selected = result.selected;
    // A toolbar button may turn disabled by its own edit: then the row keeps the focus.
    this._focusRow = fromTree || e.kind === 'drop' || e.kind === 'merge';
    this.dispatchEvent(new OutlineChange(result.outline));
    return true;
  }

  private readonly _onKey = (e: KeyboardEvent): void => {
    const last = this._entries.length - 1;
    const move = (i: number): void => {
      e.preventDefault();
      this._selected = Math.max(0, Math.min(i, last));
      this._focusRow = true;
    };
    if (e.altKey && e.key === 'ArrowRight') {
      e.preventDefault();
      this._edit({ kind: 'indent' }, true);
    } else if (e.altKey && e.key === 'ArrowLeft') {
      e.preventDefault();
      this._edit({ kind: 'outdent' }, true);
    } else if (e.key === 'Delete') {
      e.preventDefault();
      this._edit({ kind: 'drop' }, true);
    } else if (e.key === 'ArrowDown') move(this._selected + 1);
    else if (e.key === 'ArrowUp') move(this._selected - 1);
    else if (e.key === 'Home') move(0);
    else if (e.key === 'End') move(last);
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'cl-import-preview': ClImportPreview;
  }
}
