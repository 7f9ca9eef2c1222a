import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { localized, msg } from '@lit/localize';
import { addTask, moveTask, removeTask } from '../../shared/index.ts';
import { base } from '../styles.ts';
import type { Peer, PlanSession } from '../plan-session.ts';
import { NO_FILTER, visibleRows, type Filter, type Outline, type Row } from '../model/outline.ts';
import { moveFor, type MoveTarget } from '../model/tree-moves.ts';
import { TaskAction } from './task-action.ts';
import { treeKeyAction } from '../model/tree-keys.ts';
import { TreeDragController } from '../controllers/tree-drag.ts';
import { ClTaskRow } from './cl-task-row.ts';
import type { ChangeMark } from '../versions/compare-controller.ts';

const NONE: readonly Peer[] = [];
const FIRST_SLICE = 60;
const NEXT_SLICE = 200;

/** Rows that share an off-screen-skipping box (see {@link sections}). */
interface Group {
  readonly id: string;
  readonly rows: Row[];
}

/** A top-level section: its groups, one per row of depth 0 or 1 with the rows under it. */
interface Section {
  readonly id: string;
  readonly groups: Group[];
  size: number;
}

/**
 * The rows cut into sections (one per top-level task) and, inside them, groups (one per
 * item, a task of depth 1 with everything under it). Both skip layout and paint while off
 * screen (content-visibility), so a keystroke lays out its own item's ten-odd rows and not
 * the section's hundreds; one box per row instead costs every frame an intersection check
 * per row. A row keeps its group as long as it stays under its item, so edits elsewhere never
 * re-create it (and its focus and caret).
 */
function sections(rows: readonly Row[]): Section[] {
  const out: Section[] = [];
  for (const r of rows) {
    let section = out[out.length - 1];
    if (r.entry.depth === 0 || !section) {
      section = { id: r.entry.id, groups: [], size: 0 };
      out.push(section);
    }
    const group = section.groups[section.groups.length - 1];
    if (r.entry.depth <= 1 || !group) section.groups.push({ id: r.entry.id, rows: [r] });
    else group.rows.push(r);
    section.size += 1;
  }
  return out;
}

/** Height of a row as laid out (cl-task-row: 36px min-height + 1px border), for placeholders. */
const ROW_PX = 37;

/** Today as `YYYY-MM-DD` in local time (deadlines are local calendar dates). */
function localToday(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/**
 * The checklist as an ARIA `tree`, expanded when it opens. Rows are keyed by task id, so a
 * change re-renders only the rows whose inputs changed. Keyboard: ↑/↓/Home/End move,
 * →/← expand or collapse, Enter edits the title, Space ticks, Delete removes; Alt+↑/↓
 * reorder, Alt+→/← indent or outdent. Rows can also be dragged by their handle.
 */
@localized()
@customElement('cl-task-tree')
export class ClTaskTree extends LitElement {
  static override styles = [
    base,
    css`
      [role='tree'] {
        border: 1px solid var(--line);
        border-radius: 4px;
        background: #fff;
      }
      .foot {
        display: flex;
        gap: 16px;
        align-items: center;
        margin-top: 8px;
        color: var(--muted);
        font-size: 13px;
      }
      .group {
        content-visibility: auto;
      }
      .empty {
        padding: 16px;
        color: var(--muted);
      }
    `,
  ];

  @property({ attribute: false }) session!: PlanSession;
  @property({ attribute: false }) outline: Outline = { entries: [], branches: [] };
  @property({ attribute: false }) filter: Filter = NO_FILTER;
  @property({ attribute: false }) editors: ReadonlyMap<string, readonly Peer[]> = new Map();
  /** Marks while comparing with an agreed version (issue 6): task id → 新增/已改/已移. */
  @property({ attribute: false }) marks: ReadonlyMap<string, ChangeMark> = new Map();
  @state() private _collapsed: ReadonlySet<string> = new Set();
  @state() private _current: string | null = null;
  private _rows: Row[] = [];
  private _slicing = false;
  /**
   * Rows rendered so far. A big plan renders its first screens at once and the rest in
   * slices, one after each painted frame, so the checklist shows quickly and the page stays
   * responsive.
   */
  @state() private _limit = FIRST_SLICE;
  private _today = localToday();
  /** After the next render: focus this row (and its title field). */
  private _focus: { id: string; title: boolean } | null = null;

  private readonly _drag = new TreeDragController(
    this,
    () => this.outline,
    (id, to) => this._move(id, to),
  );

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (
      changed.has('outline') ||
      changed.has('filter') ||
      changed.has('_collapsed' as keyof ClTaskTree)
    ) {
      this._today = localToday();
      this._rows = visibleRows(
        this.outline,
        this._collapsed,
        this.filter,
        this.session.profile,
        this._today,
      );
    }
    if (this._current === null || !this._rows.some((r) => r.entry.id === this._current))
      this._current = this._rows[0]?.entry.id ?? null;
  }

  protected override async updated(): Promise<void> {
    if (this._limit < this._rows.length && !this._slicing) {
      // The next slice after this frame is painted, not in its requestAnimationFrame (which
      // runs before the paint and would hold the first screen back by a whole slice).
      this._slicing = true;
      requestAnimationFrame(() =>
        setTimeout(() => {
          this._slicing = false;
          if (this.isConnected) this._limit += NEXT_SLICE;
        }, 0),
      );
    }
    const f = this._focus;
    if (!f) return;
    // Match by property: a row just created has not rendered its data-id yet.
    const row = [...this.renderRoot.querySelectorAll<ClTaskRow>('cl-task-row')].find(
      (r) => r.row?.entry.id === f.id,
    );
    if (!row) return;
    this._focus = null;
    await row.updateComplete;
    if (f.title) row.focusTitle();
    else row.focus();
  }

  override render() {
    return html`
      <div
        role="tree"
        aria-label=${msg('任务', { id: 'plan.tree-label' })}
        @keydown=${this._onKey}
        @focusin=${this._onFocus}
        @task-action=${this._onAction}
        ${this._drag.bind()}
      >
        ${repeat(
          sections(this._rows.length > this._limit ? this._rows.slice(0, this._limit) : this._rows),
          (section) => section.id,
          (section) =>
            html`<div class="group" style="contain-intrinsic-size: auto ${section.size * ROW_PX}px">
              ${repeat(
                section.groups,
                (g) => g.id,
                (g) =>
                  html`<div
                    class="group"
                    style="contain-intrinsic-size: auto ${g.rows.length * ROW_PX}px"
                  >
                    ${repeat(
                      g.rows,
                      (r) => r.entry.id,
                      (r) =>
                        html`<cl-task-row
                          .session=${this.session}
                          .row=${r}
                          .branches=${this.outline.branches}
                          .editors=${this.editors.get(r.entry.id) ?? NONE}
                          .today=${this._today}
                          .mark=${this.marks.get(r.entry.id) ?? null}
                          ?current=${r.entry.id === this._current}
                        ></cl-task-row>`,
                    )}
                  </div>`,
              )}
            </div>`,
        )}
        ${this._rows.length === 0 ? html`<p class="empty">${msg('还没有任务。请先添加一个部分。', { id: 'plan.empty' })}</p>` : ''}
      </div>
      <div class="foot">
        <button ?disabled=${this.session.readOnly} @click=${this._addTop}>
          ＋ ${msg('添加部分', { id: 'plan.add-top' })}
        </button>
        <span
          >${msg('Alt+↑/↓ 调整顺序，Alt+→/← 升降级，Enter 在下方添加，Delete 删除。', { id: 'task.keyboard-hint' })}</span
        >
      </div>
    `;
  }

  private _entry(id: string) {
    return this.outline.entries.find((e) => e.id === id);
  }

  private _move(id: string, to: MoveTarget | null, title = false): void {
    if (!to) return;
    const s = this.session;
    s.edit((o) => moveTask(s.doc, id, to.parent, to.place, o));
    if (to.parent !== null && this._collapsed.has(to.parent)) this._setCollapsed(to.parent, false);
    this._focus = { id, title };
  }

  private _setCollapsed(id: string, collapsed: boolean): void {
    const next = new Set(this._collapsed);
    if (collapsed) next.add(id);
    else next.delete(id);
    this._collapsed = next;
  }

  private readonly _addTop = (): void => {
    const s = this.session;
    const id = s.edit((o) => addTask(s.doc, null, {}, {}, o));
    if (id) this._focus = { id, title: true };
  };

  private readonly _onAction = (e: TaskAction): void => {
    const s = this.session;
    const id = e.taskId;
    const entry = this._entry(id);
    if (!entry) return;
    if (e.kind === 'toggle') return this._setCollapsed(id, !this._collapsed.has(id));
    if (e.kind === 'add-child' || e.kind === 'add-after') {
      const child = e.kind === 'add-child';
      const created = s.edit((o) =>
        addTask(s.doc, child ? id : entry.parent, {}, child ? {} : { after: id }, o),
      );
      if (child) this._setCollapsed(id, false);
      if (created) this._focus = { id: created, title: true };
      return;
    }
    if (e.kind === 'delete') {
      const i = this._rows.findIndex((r) => r.entry.id === id);
      const next = this._rows[i + 1] ?? this._rows[i - 1];
      s.edit((o) => removeTask(s.doc, id, o));
      if (next) this._focus = { id: next.entry.id, title: false };
      return;
    }
    this._move(id, moveFor(this.outline, id, e.kind));
  };

  private readonly _onFocus = (e: FocusEvent): void => {
    const row = e.composedPath().find((n): n is ClTaskRow => n instanceof ClTaskRow);
    if (row && row.dataset['id'] !== this._current) this._current = row.dataset['id'] ?? null;
  };

  private readonly _onKey = (e: KeyboardEvent): void => {
    const row = e.composedPath().find((n): n is ClTaskRow => n instanceof ClTaskRow);
    const id = row?.dataset['id'];
    if (!row || !id) return;
    const onRow = e.composedPath()[0] === row;
    const action = treeKeyAction(e.key, e.altKey, onRow, this._rows, id);
    if (!action) return;
    e.preventDefault();
    if (action.kind === 'move') this._move(id, moveFor(this.outline, id, action.command), !onRow);
    else if (action.kind === 'focus') this._focus = { id: action.id, title: false };
    else if (action.kind === 'expand') this._setCollapsed(id, !action.expanded);
    else if (action.kind === 'edit-title') row.focusTitle();
    else if (action.kind === 'tick')
      row.renderRoot.querySelector<HTMLInputElement>('input[type=checkbox]')?.click();
    else this._onAction(new TaskAction('delete', id));
    this.requestUpdate();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'cl-task-tree': ClTaskTree;
  }
}
