import { LitElement, css, html } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { localized, msg } from '@lit/localize';
import { base } from '../styles.ts';
import type { Profile } from '../storage/device.ts';

/** Fired when the user saves name and branch. */
export class ProfileSaved extends Event {
  readonly profile: Profile;
  constructor(profile: Profile) {
    super('profile-saved', { bubbles: true, composed: true });
    this.profile = profile;
  }
}

/**
 * The first-use question: the user's name and branch, as a modal dialog.
 * @fires profile-saved
 * @fires profile-closed - the dialog closed (saved, or dismissed when a profile exists)
 */
@localized()
@customElement('cl-profile-dialog')
export class ClProfileDialog extends LitElement {
  static override styles = [
    base,
    css`
      dialog {
        border: 1px solid var(--line);
        border-radius: 6px;
        padding: 24px 28px;
        width: min(420px, 90vw);
      }
      dialog::backdrop {
        background: rgb(0 0 0 / 0.3);
      }
      h2 {
        margin: 0 0 4px;
        font-size: 20px;
      }
      label {
        display: grid;
        gap: 4px;
        margin: 12px 0;
      }
      .end {
        text-align: right;
      }
    `,
  ];

  @property({ attribute: false }) profile: Profile | null = null;
  @query('dialog') private _dialog!: HTMLDialogElement;

  override firstUpdated(): void {
    this._dialog.showModal();
  }

  override render() {
    return html`
      <dialog
        aria-labelledby="t"
        @cancel=${(e: Event) => !this.profile && e.preventDefault()}
        @close=${() => this.dispatchEvent(new Event('profile-closed', { bubbles: true, composed: true }))}
      >
        <form method="dialog" @submit=${this._submit}>
          <h2 id="t">${msg('欢迎使用清单', { id: 'profile.title' })}</h2>
          <p>${msg('请告诉同事您是谁。本设备只询问一次。', { id: 'profile.intro' })}</p>
          <label
            >${msg('您的姓名', { id: 'profile.name' })}
            <input name="name" required autocomplete="name" .value=${this.profile?.name ?? ''}
          /></label>
          <label
            >${msg('所在支部或科室', { id: 'profile.branch' })}
            <input name="branch" .value=${this.profile?.branch ?? ''}
          /></label>
          <p class="end">
            <button class="primary" type="submit">${msg('确定', { id: 'profile.save' })}</button>
          </p>
        </form>
      </dialog>
    `;
  }

  private _submit(e: SubmitEvent): void {
    const data = new FormData(e.target as HTMLFormElement);
    const name = String(data.get('name') ?? '').trim();
    if (name === '') {
      e.preventDefault();
      return;
    }
    this.dispatchEvent(new ProfileSaved({ name, branch: String(data.get('branch') ?? '').trim() }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cl-profile-dialog': ClProfileDialog;
  }
}
