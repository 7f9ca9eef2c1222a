import { LitElement, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import { readTask, tasksOf, updateTask, type Branch, type Task } from '../../shared/index.ts';
import { base } from '../styles.ts';
import { rowStyles } from './cl-task-row.styles.ts';
import type { Peer, PlanSession } from '../plan-session.ts';
import type { Row } from '../model/outline.ts';
import { isOverdue } from '../model/outline.ts';
import { YController } from '../controllers/y-controller.ts';
import { isComposing, textInputHandlers } from '../controllers/text-input.ts';
import { setValueKeepingCaret } from '../model/caret.ts';
import { TaskAction, type TaskActionKind } from './task-action.ts';
import './cl-task-details.ts';
import type { ChangeMark } from '../versions/compare-controller.ts';
import { markStyles } from '../versions/mark-styles.ts';

const sameTask = (a: Task | null, b: Task | null): boolean =>
  JSON.stringify(a) === JSON.stringify(b);

/**
 * One task of the checklist, as a `treeitem`. It observes only its own task, so typing in
 * it re-renders this row and nothing else. The checkbox's accessible name is exactly the
 * task's title; the outline number stands beside it.
 *
 * The row's fields are one `<form>` of their own. Chromium's autofill reads the whole form of
 * a field after every keystroke; fields in no form are counted as one form of every such
 * field on the page (6,000 in a plan of 2,000 tasks: about 12 ms of work per keystroke).
 * @fires task-action
 */
@localized()
@customElement('cl-task-row')
export class ClTaskRow extends LitElement {
  static override styles = [base, rowStyles, markStyles];

  @property({ attribute: false }) session!: PlanSession;
  @property({ attribute: false }) row!: Row;
  @property({ attribute: false }) branches: readonly Branch[] = [];
  @property({ attribute: false }) editors: readonly Peer[] = [];
  @property({ type: Boolean }) current = false;
  @property({ attribute: false }) today = '';
  /** Set while the plan is compared with an agreed version (issue 6). */
  @property({ attribute: false }) mark: ChangeMark | null = null;
  @state() private _open = false;
  @query('.title') private _title!: HTMLInputElement;

  private readonly _task = new YController(
    this,
    () => (this.session && this.row ? tasksOf(this.session.doc).get(this.row.entry.id) : undefined),
    () => readTask(this.session.doc, this.row.entry.id),
    null as Task | null,
    { equals: sameTask },
  );

  private readonly _typing = textInputHandlers((title) => this._edit({ title }, true));

  /** Puts the caret into the title field. */
  focusTitle(): void {
    this._title?.focus();
  }

  protected override willUpdate(): void {
    const e = this.row.entry;
    const title = this._task.value?.title ?? '';
    this.dataset['id'] = e.id;
    this.setAttribute('role', 'treeitem');
    this.setAttribute('aria-level', String(e.depth + 1));
    this.setAttribute('aria-posinset', String(this.row.posinset));
    this.setAttribute('aria-setsize', String(this.row.setsize));
    // While comparing (issue 6) the mark is part of the row's name: the label hides the badge.
    const mark = this.mark ? `（${markLabel(this.mark)}）` : '';
    this.setAttribute('aria-label', `${e.number} ${title}${mark}`.trim());
    this.setAttribute('tabindex', this.current ? '0' : '-1');
    if (e.childCount > 0) this.setAttribute('aria-expanded', String(this.row.expanded));
    else this.removeAttribute('aria-expanded');
    this.toggleAttribute('editing', this.editors.length > 0);
    this.toggleAttribute('context', this.row.context);
    this.style.setProperty('--depth', String(e.depth));
    this.style.setProperty('--c', this.editors[0]?.color ?? 'transparent');
  }

  protected override updated(): void {
    const t = this._task.value;
    if (t && this._title && !isComposing(this._title)) setValueKeepingCaret(this._title, t.title);
  }

  override render() {
    const t = this._task.value;
    if (!t) return nothing;
    const e = this.row.entry;
    const name = t.title || msg('（无标题）', { id: 'task.untitled' });
    const owners = this.branches.filter((b) => t.owners.includes(b.id));
    const deadline = [t.deadline.date, t.deadline.text].filter(Boolean).join(' ');
    const ro = this.session.readOnly;
    return html`
      <form class="line ${t.status}" @submit=${(ev: Event) => ev.preventDefault()}>
        <button
          type="button"
          class="icon drag"
          ?disabled=${ro}
          draggable=${ro ? 'false' : 'true'}
          tabindex="-1"
          aria-label=${msg(str`拖动以移动 ${name}`, { id: 'task.drag' })}
        >
          ⠿
        </button>
        <span class="indent"></span>
        ${
          e.childCount > 0
            ? html`<button
                type="button"
                class="icon toggle"
                tabindex="-1"
                aria-label=${this.row.expanded ? msg(str`折叠 ${name}`, { id: 'task.collapse' }) : msg(str`展开 ${name}`, { id: 'task.expand' })}
                @click=${() => this._act('toggle')}
              >
                ${this.row.expanded ? '▾' : '▸'}
              </button>`
            : html`<span class="toggle"></span>`
        }
        <input
          type="checkbox"
          ?disabled=${ro}
          aria-label=${t.title}
          .checked=${t.status === 'done'}
          @change=${(ev: Event) => this._edit({ status: (ev.target as HTMLInputElement).checked ? 'done' : 'todo' })}
        />
        <span class="number ${e.numbered ? '' : 'computed'}">${e.number}</span>
        ${this.mark ? html`<span class="mark ${this.mark}">${markLabel(this.mark)}</span>` : nothing}
        <input
          class="title"
          ?readonly=${ro}
          aria-label=${msg(str`${name}的标题`, { id: 'task.title-of' })}
          @input=${this._typing.input}
          @compositionstart=${this._typing.compositionstart}
          @compositionend=${this._typing.compositionend}
          @focus=${() => this.session.setEditing(e.id)}
          @blur=${this._blur}
          @keydown=${this._titleKey}
        />
        ${this.editors.map((p) => html`<span class="editor" style="--c:${p.color}" title=${msg(str`${p.name} 正在编辑`, { id: 'presence.editing' })}>${p.name}</span>`)}
        <span class="chips">${owners.map((b) => html`<span class="owner">${b.name}</span>`)}</span>
        <span
          class="deadline ${isOverdue({ date: t.deadline.date ?? '', status: t.status }, this.today) ? 'overdue' : ''}"
          >${deadline}</span
        >
        <select
          class="status"
          ?disabled=${ro}
          aria-label=${msg(str`${name}的状态`, { id: 'task.status-of' })}
          @change=${(ev: Event) => this._edit({ status: (ev.target as HTMLSelectElement).value as Task['status'] })}
        >
          <option value="todo" ?selected=${t.status === 'todo'}>
            ${msg('未开始', { id: 'status.todo' })}
          </option>
          <option value="doing" ?selected=${t.status === 'doing'}>
            ${msg('进行中', { id: 'status.doing' })}
          </option>
          <option value="done" ?selected=${t.status === 'done'}>
            ${msg('已完成', { id: 'status.done' })}
          </option>
        </select>
        <button
          type="button"
          class="icon"
          aria-expanded=${this._open}
          aria-label=${msg(str`${name}的详情`, { id: 'task.details' })}
          @click=${() => (this._open = !this._open)}
        >
          ☰
        </button>
        <button
          type="button"
          class="icon"
          ?disabled=${ro}
          aria-label=${msg(str`在 ${name} 下添加子项`, { id: 'task.add-child' })}
          @click=${() => this._act('add-child')}
        >
          ＋
        </button>
        <button
          type="button"
          class="icon"
          ?disabled=${ro}
          aria-label=${msg(str`删除 ${name}`, { id: 'task.delete' })}
          @click=${() => this._act('delete')}
        >
          ✕
        </button>
      </form>
      ${this._open ? html`<cl-task-details .session=${this.session} .task=${t} .branches=${this.branches}></cl-task-details>` : nothing}
    `;
  }

  private _edit(patch: Parameters<typeof updateTask>[2], typing = false): void {
    const s = this.session;
    s.edit((o) => updateTask(s.doc, this.row.entry.id, patch, o), { merge: typing });
  }

  private _act(kind: TaskActionKind): void {
    this.dispatchEvent(new TaskAction(kind, this.row.entry.id));
  }

  private readonly _blur = (): void => {
    this.session.setEditing(null);
    this.session.endGesture();
  };

  private readonly _titleKey = (ev: KeyboardEvent): void => {
    if (ev.isComposing) return;
    if (ev.key === 'Enter') {
      ev.preventDefault();
      this.session.endGesture();
      this._act('add-after');
    } else if (ev.key === 'Escape') {
      (ev.target as HTMLElement).blur();
      this.focus();
    }
  };
}

function markLabel(m: ChangeMark): string {
  if (m === 'added') return msg('新增', { id: 'mark.added' });
  if (m === 'moved') return msg('已移', { id: 'mark.moved' });
  return msg('已改', { id: 'mark.changed' });
}

declare global {
  interface HTMLElementTagNameMap {
    'cl-task-row': ClTaskRow;
  }
}
