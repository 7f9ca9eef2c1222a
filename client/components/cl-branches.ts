import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import { addBranch, removeBranch, updateBranch, type Branch } from '../../shared/index.ts';
import { base, panel } from '../styles.ts';
import type { PlanSession } from '../plan-session.ts';

/** The plan's branches (党支部 / 科室): add, rename, remove. */
@localized()
@customElement('cl-branches')
export class ClBranches extends LitElement {
  static override styles = [
    base,
    panel,
    css`
      ul {
        list-style: none;
        margin: 0 0 8px;
        padding: 0;
        display: grid;
        gap: 4px;
      }
      li {
        display: flex;
        gap: 8px;
      }
      form {
        display: flex;
        gap: 8px;
      }
    `,
  ];

  @property({ attribute: false }) session!: PlanSession;
  /** Live branches in order (from the plan page's outline). */
  @property({ attribute: false }) branches: readonly Branch[] = [];

  override render() {
    const s = this.session;
    return html`
      <h2>${msg('支部', { id: 'branches.title' })}</h2>
      ${this.branches.length === 0 ? html`<p>${msg('还没有支部。', { id: 'branches.none' })}</p>` : ''}
      <ul>
        ${this.branches.map(
          (b) =>
            html`<li>
              <input
                aria-label=${msg(str`${b.name}的名称`, { id: 'branches.name-of' })}
                .value=${b.name}
                @change=${(e: Event) => {
                  const input = e.target as HTMLInputElement;
                  s.edit((o) => updateBranch(s.doc, b.id, { name: input.value }, o));
                  input.value = b.name;
                }}
              />
              <button @click=${() => s.edit((o) => removeBranch(s.doc, b.id, o))}>
                ${msg(str`删除 ${b.name}`, { id: 'branches.remove' })}
              </button>
            </li>`,
        )}
      </ul>
      <form @submit=${this._add}>
        <input name="name" required aria-label=${msg('新支部名称', { id: 'branches.new' })} />
        <button type="submit">${msg('添加支部', { id: 'branches.add' })}</button>
      </form>
    `;
  }

  private _add(e: SubmitEvent): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const name = String(new FormData(form).get('name') ?? '').trim();
    if (name === '') return;
    const s = this.session;
    if (s.edit((o) => addBranch(s.doc, { name }, o)) !== undefined) form.reset();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cl-branches': ClBranches;
  }
}
