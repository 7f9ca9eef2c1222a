import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { localized, msg } from '@lit/localize';
import { isImportError, tryImportPolicyText, type Outline } from '../../shared/index.ts';
import { base } from '../styles.ts';
import { getLocale } from '../i18n.ts';
import { POLICY_FILE_ACCEPT, readPolicyFile } from '../import/read-file.ts';
import { importerMessageIn } from '../import/messages.ts';

/** Fired when a document was read into an outline. */
export class OutlineRead extends Event {
  readonly outline: Outline;
  constructor(outline: Outline) {
    super('outline-read', { bubbles: true, composed: true });
    this.outline = outline;
  }
}

/**
 * The first step of 导入: choose or drop a .txt/.docx file, or paste its text. Bad input
 * (empty, binary, oversized, no outline, an unsupported or damaged file) shows the
 * importer's message here and goes no further.
 * @fires outline-read
 */
@localized()
@customElement('cl-import-source')
export class ClImportSource extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: grid;
        gap: 12px;
      }
      .drop {
        display: grid;
        gap: 6px;
        padding: 16px;
        border: 1px dashed #9aa1a9;
        border-radius: 6px;
        background: var(--soft);
      }
      .drop.over {
        border-color: var(--accent);
        background: #fbf1f1;
      }
      label {
        display: grid;
        gap: 4px;
      }
      textarea {
        width: 100%;
        box-sizing: border-box;
        resize: vertical;
      }
      .hint {
        color: var(--muted);
        font-size: 14px;
      }
      .error {
        margin: 0;
        color: var(--accent);
      }
      .error:empty {
        display: none;
      }
      .end {
        display: flex;
        justify-content: flex-end;
        margin-top: 8px;
      }
    `,
  ];

  /** A file is being dragged over the dialog. */
  @property({ type: Boolean }) dragging = false;
  @state() private _error = '';
  @state() private _busy = false;

  override render() {
    return html`
      <div class="drop ${this.dragging ? 'over' : ''}">
        <label>
          ${msg('选择文件（.txt 或 .docx）', { id: 'import.file' })}
          <input type="file" accept=${POLICY_FILE_ACCEPT} @change=${this._onFile} />
        </label>
        <span class="hint">${msg('也可以把文件拖到这里。', { id: 'import.drop-hint' })}</span>
        <span class="hint" role="status"
          >${this._busy ? msg('正在读取文件…', { id: 'import.reading' }) : ''}</span
        >
      </div>
      <form @submit=${this._onPaste}>
        <label
          >${msg('或粘贴文件的文字', { id: 'import.paste' })}
          <textarea name="text" rows="7"></textarea>
        </label>
        <div class="end">
          <button type="submit" ?disabled=${this._busy}>
            ${msg('预览', { id: 'import.read' })}
          </button>
        </div>
      </form>
      <p class="error" role="alert">${this._error}</p>
    `;
  }

  /** Puts the focus on the file input. */
  override focus(): void {
    this.renderRoot.querySelector<HTMLInputElement>('input[type=file]')?.focus();
  }

  /** Reads a chosen or dropped file (ignored while another is being read). */
  async readFile(file: File): Promise<void> {
    if (this._busy) return;
    this._busy = true;
    this._error = '';
    try {
      const { text } = await readPolicyFile(file);
      if (this.isConnected) this._read(text);
    } catch (e) {
      if (!isImportError(e)) throw e;
      this._error = importerMessageIn(e.message, getLocale());
    } finally {
      this._busy = false;
    }
  }

  /** The outline of `text`, or the importer's message. */
  private _read(text: string): void {
    const result = tryImportPolicyText(text);
    if (!result.ok) {
      this._error = importerMessageIn(result.error.message, getLocale());
      return;
    }
    this._error = '';
    this.dispatchEvent(new OutlineRead(result.outline));
  }

  private readonly _onPaste = (e: SubmitEvent): void => {
    e.preventDefault();
    this._read(String(new FormData(e.target as HTMLFormElement).get('text') ?? ''));
  };

  private readonly _onFile = (e: Event): void => {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    // Cleared, so that choosing the same file again (after fixing it) reads it again.
    input.value = '';
    if (file !== undefined) void this.readFile(file);
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'cl-import-source': ClImportSource;
  }
}
