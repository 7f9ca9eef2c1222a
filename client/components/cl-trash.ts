import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import { readTrash, restoreTask, tasksOf, type TrashEntry } from '../../shared/index.ts';
import { base, panel } from '../styles.ts';
import type { PlanSession } from '../plan-session.ts';
import { YController } from '../controllers/y-controller.ts';
import { outlineRelevant } from '../model/outline.ts';

/** 回收站: deleted tasks, most recent first, each with a restore button. */
@localized()
@customElement('cl-trash')
export class ClTrash extends LitElement {
  static override styles = [
    base,
    panel,
    css`
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li {
        display: flex;
        gap: 12px;
        align-items: center;
        padding: 4px 0;
        border-bottom: 1px solid #eceef1;
      }
      .meta {
        color: var(--muted);
        font-size: 13px;
        flex: 1;
      }
    `,
  ];

  @property({ attribute: false }) session!: PlanSession;

  private readonly _trash = new YController(
    this,
    () => this.session && tasksOf(this.session.doc),
    () => readTrash(this.session.doc),
    [] as TrashEntry[],
    { relevant: outlineRelevant, equals: (a, b) => JSON.stringify(a) === JSON.stringify(b) },
  );

  override render() {
    const s = this.session;
    const list = this._trash.value;
    return html`
      <h2>${msg('回收站', { id: 'trash.title' })}</h2>
      ${
        list.length === 0
          ? html`<p class="meta">${msg('回收站是空的。', { id: 'trash.empty' })}</p>`
          : html`<ul>
              ${list.map(
                (t) =>
                  html`<li>
                    <span>${t.number} ${t.title}</span>
                    <span class="meta">
                      ${t.deletedBy ? msg(str`由 ${t.deletedBy} 删除`, { id: 'trash.entry' }) : ''}
                      ${t.size > 1 ? msg(str`共 ${t.size} 项`, { id: 'trash.count' }) : ''}
                    </span>
                    <button @click=${() => s.edit((o) => restoreTask(s.doc, t.id, o))}>
                      ${msg(str`恢复 ${t.title}`, { id: 'trash.restore' })}
                    </button>
                  </li>`,
              )}
            </ul>`
      }
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cl-trash': ClTrash;
  }
}
