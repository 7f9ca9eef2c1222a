import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import type { Change, ComparedField, FieldChange } from '../../shared/index.ts';
import { base } from '../styles.ts';

function fieldName(f: ComparedField): string {
  switch (f) {
    case 'number':
      return msg('序号', { id: 'changes.field-number' });
    case 'title':
      return msg('标题', { id: 'changes.field-title' });
    case 'measures':
      return msg('具体措施', { id: 'changes.field-measures' });
    case 'lead':
      return msg('牵头领导', { id: 'changes.field-lead' });
    case 'owners':
      return msg('责任单位', { id: 'changes.field-owners' });
    case 'assignee':
      return msg('责任人', { id: 'changes.field-assignee' });
    case 'deadline':
      return msg('完成时限', { id: 'changes.field-deadline' });
    case 'status':
      return msg('状态', { id: 'changes.field-status' });
    case 'notes':
      return msg('进展', { id: 'changes.field-notes' });
  }
}

function valueText(f: FieldChange, v: string): string {
  if (f.field === 'status')
    return v === 'done'
      ? msg('已完成', { id: 'status.done' })
      : v === 'doing'
        ? msg('进行中', { id: 'status.doing' })
        : msg('未开始', { id: 'status.todo' });
  return v === '' ? msg('（空）', { id: 'changes.empty-value' }) : v;
}

/** What changed since an agreed version: added, removed, moved, and fields before → after. */
@localized()
@customElement('cl-changes')
export class ClChanges extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: block;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li {
        padding: 6px 0;
        border-bottom: 1px solid #eceef1;
      }
      .kind {
        display: inline-block;
        min-width: 3em;
        font-size: 13px;
        font-weight: 600;
      }
      .added {
        color: #2e7d4f;
      }
      .removed {
        color: var(--accent);
      }
      .changed {
        color: #b26a00;
      }
      .moved {
        color: #2f6db5;
      }
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 2px 12px;
        margin: 4px 0 0 3.5em;
        font-size: 14px;
      }
      dt {
        color: var(--muted);
      }
      dd {
        margin: 0;
        white-space: pre-wrap;
      }
      del {
        color: var(--muted);
      }
      .none {
        color: var(--muted);
      }
    `,
  ];

  @property({ attribute: false }) changes: readonly Change[] = [];

  override render() {
    if (this.changes.length === 0)
      return html`<p class="none">${msg('审定以来没有改动。', { id: 'changes.none' })}</p>`;
    return html`<ul aria-label=${msg('改动', { id: 'changes.label' })}>
      ${this.changes.map((c) => html`<li>${this._change(c)}</li>`)}
    </ul>`;
  }

  private _change(c: Change) {
    switch (c.kind) {
      case 'added':
        return html`<span class="kind added">${msg('新增', { id: 'changes.added' })}</span>
          ${c.title}`;
      case 'removed':
        return html`<span class="kind removed">${msg('删除', { id: 'changes.removed' })}</span>
          ${c.title}`;
      case 'moved': {
        const top = msg('顶层', { id: 'changes.top-level' });
        return html`<span class="kind moved">${msg('移动', { id: 'changes.moved' })}</span>
          ${c.title}
          <span class="none"
            >${
              c.from === c.to
                ? msg('（同级顺序调整）', { id: 'changes.reordered' })
                : msg(str`（${c.from || top} → ${c.to || top}）`, { id: 'changes.moved-from-to' })
            }</span
          >`;
      }
      case 'changed':
        return html`<span class="kind changed">${msg('修改', { id: 'changes.changed' })}</span>
          ${c.title}
          <dl>
            ${c.fields.map(
              (f) =>
                html`<dt>${fieldName(f.field)}</dt>
                  <dd><del>${valueText(f, f.before)}</del> → ${valueText(f, f.after)}</dd>`,
            )}
          </dl>`;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cl-changes': ClChanges;
  }
}
