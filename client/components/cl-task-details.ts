import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { localized, msg } from '@lit/localize';
import {
  moveTask,
  readPlan,
  updateTask,
  type Branch,
  type Task,
  type TaskFields,
  type TaskNode,
} from '../../shared/index.ts';
import { base, fieldLabels } from '../styles.ts';
import type { PlanSession } from '../plan-session.ts';
import { isComposing, textInputHandlers } from '../controllers/text-input.ts';
import { setValueKeepingCaret } from '../model/caret.ts';

/** Every field of a task, edited in place (below its row). */
@localized()
@customElement('cl-task-details')
export class ClTaskDetails extends LitElement {
  static override styles = [
    base,
    fieldLabels,
    css`
      :host {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(240px, 1fr));
        gap: 8px 16px;
        padding: 8px 16px 12px calc(var(--depth, 0) * 24px + 72px);
        background: var(--soft);
        font-size: 14px;
      }
      .wide {
        grid-column: 1 / -1;
      }
      textarea {
        min-height: 4.5em;
        resize: vertical;
        color: var(--ink);
      }
      fieldset {
        border: 1px solid var(--line);
        border-radius: 4px;
        margin: 0;
        color: var(--muted);
        font-size: 13px;
      }
      fieldset label {
        display: inline-flex;
        margin-right: 12px;
        color: var(--ink);
      }
      /* The wrapper that disables every field for a viewer: no box of its own. */
      fieldset.all {
        display: contents;
      }
      fieldset.all > label {
        display: grid;
        margin-right: 0;
        color: var(--muted);
      }
    `,
  ];

  @property({ attribute: false }) session!: PlanSession;
  @property({ attribute: false }) task!: Task;
  @property({ attribute: false }) branches: readonly Branch[] = [];

  private readonly _measures = textInputHandlers((measures) => this._edit({ measures }, true));
  private readonly _notes = textInputHandlers((notes) => this._edit({ notes }, true));

  protected override updated(_changed: PropertyValues<this>): void {
    for (const f of ['measures', 'notes'] as const) {
      const el = this.renderRoot.querySelector<HTMLTextAreaElement>(`textarea.${f}`);
      if (el && !isComposing(el)) setValueKeepingCaret(el, this.task[f]);
    }
  }

  override render() {
    const t = this.task;
    const change = (f: 'lead' | 'assignee' | 'number') => (e: Event) =>
      this._edit({ [f]: (e.target as HTMLInputElement).value.trim() });
    const focus = () => this.session.setEditing(t.id);
    const blur = () => {
      this.session.setEditing(null);
      this.session.endGesture();
    };
    // A viewer's session is read-only: one disabled fieldset disables every field below.
    return html`<fieldset class="all" ?disabled=${this.session.readOnly}>
      <label class="wide"
        >${msg('具体措施', { id: 'task.measures' })}
        <textarea
          class="measures"
          @input=${this._measures.input}
          @compositionstart=${this._measures.compositionstart}
          @compositionend=${this._measures.compositionend}
          @focus=${focus}
          @blur=${blur}
        ></textarea>
      </label>
      <label
        >${msg('牵头领导', { id: 'task.lead' })}<input .value=${t.lead} @change=${change('lead')}
      /></label>
      <label
        >${msg('责任人', { id: 'task.assignee' })}<input
          .value=${t.assignee}
          @change=${change('assignee')}
      /></label>
      <label
        >${msg('完成时限（日期）', { id: 'task.deadline-date' })}
        <input
          type="date"
          .value=${t.deadline.date ?? ''}
          @change=${(e: Event) => this._deadline({ date: (e.target as HTMLInputElement).value })}
        />
      </label>
      <label
        >${msg('完成时限（文字）', { id: 'task.deadline-text' })}
        <input
          .value=${t.deadline.text ?? ''}
          @change=${(e: Event) => this._deadline({ text: (e.target as HTMLInputElement).value.trim() })}
        />
      </label>
      <label
        >${msg('序号', { id: 'task.number' })}<input .value=${t.number} @change=${change('number')}
      /></label>
      <label
        >${msg('上级', { id: 'task.parent' })}
        <select @change=${(e: Event) => this._move((e.target as HTMLSelectElement).value)}>
          <option value="">${msg('（顶层）', { id: 'task.top-level' })}</option>
          ${this._parents().map((p) => html`<option value=${p.id} ?selected=${p.id === this._parentId()}>${'　'.repeat(p.depth)}${p.number} ${p.title}</option>`)}
        </select>
      </label>
      <fieldset class="wide">
        <legend>${msg('责任单位', { id: 'task.owners' })}</legend>
        ${this.branches.length === 0 ? msg('还没有支部：请在“支部”中添加。', { id: 'task.no-branches' }) : ''}
        ${this.branches.map((b) => html`<label><input type="checkbox" .checked=${t.owners.includes(b.id)} @change=${(e: Event) => this._owner(b.id, (e.target as HTMLInputElement).checked)} />${b.name}</label>`)}
      </fieldset>
      <label class="wide"
        >${msg('进展情况 / 备注', { id: 'task.notes' })}
        <textarea
          class="notes"
          @input=${this._notes.input}
          @compositionstart=${this._notes.compositionstart}
          @compositionend=${this._notes.compositionend}
          @focus=${focus}
          @blur=${blur}
        ></textarea>
      </label>
    </fieldset> `;
  }

  private _edit(patch: TaskFields, typing = false): void {
    const s = this.session;
    s.edit((o) => updateTask(s.doc, this.task.id, patch, o), { merge: typing });
  }

  private _deadline(patch: { date?: string; text?: string }): void {
    const next = { ...this.task.deadline, ...patch };
    const clean: { date?: string; text?: string } = {};
    if (next.date) clean.date = next.date;
    if (next.text) clean.text = next.text;
    this._edit({ deadline: clean });
  }

  private _owner(id: string, on: boolean): void {
    const owners = this.task.owners.filter((o) => o !== id);
    this._edit({ owners: on ? [...owners, id] : owners });
  }

  private _move(parent: string): void {
    const s = this.session;
    s.edit((o) => moveTask(s.doc, this.task.id, parent === '' ? null : parent, {}, o));
  }

  /** Candidate parents: every task outside this task's own subtree. */
  private _parents(): { id: string; depth: number; number: string; title: string }[] {
    const out: { id: string; depth: number; number: string; title: string }[] = [];
    const walk = (nodes: readonly TaskNode[], depth: number): void => {
      for (const n of nodes) {
        if (n.id === this.task.id) continue;
        out.push({ id: n.id, depth, number: n.number, title: n.title });
        walk(n.children, depth + 1);
      }
    };
    walk(readPlan(this.session.doc).tasks, 0);
    return out;
  }

  private _parentId(): string | null {
    const find = (nodes: readonly TaskNode[], parent: string | null): string | null | undefined => {
      for (const n of nodes) {
        if (n.id === this.task.id) return parent;
        const r = find(n.children, n.id);
        if (r !== undefined) return r;
      }
      return undefined;
    };
    return find(readPlan(this.session.doc).tasks, null) ?? null;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cl-task-details': ClTaskDetails;
  }
}
