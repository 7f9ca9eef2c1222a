import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { localized, msg } from '@lit/localize';
import { base, fieldLabels, fieldRow } from '../styles.ts';
import { tokenFromText } from '../sync/invite.ts';

/** A pasted invite's token (bubbles out of shadow roots). */
export class InviteGiven extends Event {
  readonly token: string;
  constructor(token: string) {
    super('invite-given', { bubbles: true, composed: true });
    this.token = token;
  }
}

/**
 * A field to paste an invite link (or its token) into.
 *
 * @fires invite-given - with the token of a valid-looking invite
 */
@localized()
@customElement('cl-invite-paste')
export class ClInvitePaste extends LitElement {
  static override styles = [
    base,
    fieldLabels,
    fieldRow,
    css`
      input {
        width: min(420px, 70vw);
      }
      .error {
        color: var(--accent);
        font-size: 13px;
      }
    `,
  ];

  @state() private _bad = false;

  override render() {
    return html`<form class="field-row" @submit=${this._submit}>
      <label
        >${msg('邀请链接', { id: 'invite.paste-label' })}
        <input name="invite" required autocomplete="off" spellcheck="false"
      /></label>
      <button type="submit">${msg('使用邀请', { id: 'invite.paste-button' })}</button>
      ${
        this._bad
          ? html`<span class="error" role="alert"
              >${msg('这不是有效的邀请链接。', { id: 'invite.paste-bad' })}</span
            >`
          : ''
      }
    </form>`;
  }

  private _submit(e: SubmitEvent): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const token = tokenFromText(String(new FormData(form).get('invite') ?? ''));
    this._bad = token === null;
    if (token === null) return;
    form.reset();
    this.dispatchEvent(new InviteGiven(token));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cl-invite-paste': ClInvitePaste;
  }
}
