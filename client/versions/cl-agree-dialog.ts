import { LitElement, css, html } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { localized, msg } from '@lit/localize';
import { base } from '../styles.ts';

/** The user agreed the plan as a named version. */
export class AgreeRequest extends Event {
  readonly name: string;
  readonly by: string;
  /** YYYY-MM-DD */
  readonly at: string;
  constructor(name: string, by: string, at: string) {
    super('agree-request', { bubbles: true, composed: true });
    this.name = name;
    this.by = by;
    this.at = at;
  }
}

/** Today in the device's time zone, as YYYY-MM-DD. */
export function localDate(d = new Date()): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/**
 * 审定: names the version to freeze (e.g. 2023年4月党组会审定稿), who agreed it (the user by
 * default) and the date, as a modal dialog.
 * @fires agree-request
 * @fires agree-cancel - the dialog was closed without agreeing
 */
@localized()
@customElement('cl-agree-dialog')
export class ClAgreeDialog extends LitElement {
  static override styles = [
    base,
    css`
      dialog {
        border: 1px solid var(--line);
        border-radius: 6px;
        padding: 20px 24px;
        width: min(460px, 90vw);
      }
      dialog::backdrop {
        background: rgb(0 0 0 / 0.3);
      }
      h2 {
        margin: 0 0 4px;
        font-size: 18px;
      }
      p {
        color: var(--muted);
        font-size: 14px;
        margin: 0 0 8px;
      }
      label {
        display: grid;
        gap: 4px;
        margin: 10px 0;
      }
      .end {
        display: flex;
        justify-content: flex-end;
        gap: 8px;
        margin-top: 16px;
      }
    `,
  ];

  /** Who agrees, by default. */
  @property() by = '';
  /** The suggested name. */
  @property() suggestion = '';
  @query('dialog') private _dialog!: HTMLDialogElement;

  override firstUpdated(): void {
    this._dialog.showModal();
  }

  override render() {
    return html`
      <dialog aria-labelledby="t" @close=${this._closed}>
        <form method="dialog" @submit=${this._submit}>
          <h2 id="t">${msg('审定清单', { id: 'versions.agree-title' })}</h2>
          <p>
            ${msg('将当前清单保存为一个只读的审定版本。之后的修改不会改变它。', { id: 'versions.agree-intro' })}
          </p>
          <label
            >${msg('版本名称', { id: 'versions.name' })}
            <input name="name" required maxlength="200" .value=${this.suggestion}
          /></label>
          <label
            >${msg('审定人', { id: 'versions.by' })} <input name="by" required .value=${this.by}
          /></label>
          <label
            >${msg('审定日期', { id: 'versions.date' })}
            <input name="at" type="date" required .value=${localDate()}
          /></label>
          <div class="end">
            <button type="button" @click=${() => this._dialog.close()}>
              ${msg('取消', { id: 'versions.cancel' })}
            </button>
            <button class="primary" type="submit">${msg('审定', { id: 'versions.agree' })}</button>
          </div>
        </form>
      </dialog>
    `;
  }

  private _agreed = false;

  private _submit(e: SubmitEvent): void {
    const data = new FormData(e.target as HTMLFormElement);
    const name = String(data.get('name') ?? '').trim();
    const by = String(data.get('by') ?? '').trim();
    const at = String(data.get('at') ?? '');
    if (name === '' || by === '' || !/^\d{4}-\d{2}-\d{2}$/.test(at)) {
      e.preventDefault();
      return;
    }
    this._agreed = true;
    this.dispatchEvent(new AgreeRequest(name, by, at));
  }

  private readonly _closed = (): void => {
    if (!this._agreed)
      this.dispatchEvent(new Event('agree-cancel', { bubbles: true, composed: true }));
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'cl-agree-dialog': ClAgreeDialog;
  }
}
