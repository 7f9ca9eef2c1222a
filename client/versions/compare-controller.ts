import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { comparePlans, readPlan, readVersion, type Change } from '../../shared/index.ts';
import type { PlanSession } from '../plan-session.ts';

/** How a task row is marked while comparing with an agreed version. */
export type ChangeMark = 'added' | 'changed' | 'moved';

/** What changed since the base version, and the marks for the tree. */
export interface Comparison {
  /** The agreed version compared with, or null when not comparing (or it is not here yet). */
  readonly base: string | null;
  readonly changes: readonly Change[];
  /** Task id → mark. The same Map object as long as the marks stay the same. */
  readonly marks: ReadonlyMap<string, ChangeMark>;
}

/** Edits gather this long before the plan is compared again (a typing burst: once). */
export const COMPARE_DELAY_MS = 150;

const NONE: Comparison = { base: null, changes: [], marks: new Map() };

function marksOf(changes: readonly Change[]): Map<string, ChangeMark> {
  const marks = new Map<string, ChangeMark>();
  for (const c of changes) {
    if (c.kind === 'removed') continue;
    // A task both moved and changed shows as changed: its fields matter more at the meeting.
    if (c.kind === 'moved' && marks.has(c.id)) continue;
    marks.set(c.id, c.kind);
  }
  return marks;
}

function sameMarks(
  a: ReadonlyMap<string, ChangeMark>,
  b: ReadonlyMap<string, ChangeMark>,
): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

/**
 * Compares the plan with an agreed version while the host is connected and a base is set,
 * again shortly after changes to the document (reading and comparing a plan of 2,000 tasks
 * takes milliseconds, too much for every keystroke). The marks keep their identity while
 * they are the same, so typing in a title does not re-render the tree for them.
 */
export class CompareController implements ReactiveController {
  value: Comparison = NONE;
  private _base: string | null = null;
  private _session: PlanSession | null = null;
  private _connected = false;
  private _timer: ReturnType<typeof setTimeout> | undefined;
  private readonly _host: ReactiveControllerHost;

  constructor(host: ReactiveControllerHost) {
    this._host = host;
    host.addController(this);
  }

  /** Compares `session`'s plan with the version `base` (null: stop comparing). */
  set(session: PlanSession | null, base: string | null): void {
    if (session === this._session && base === this._base) return;
    this._unsubscribe();
    this._session = session;
    this._base = base;
    this._subscribe();
    this._update();
  }

  hostConnected(): void {
    this._connected = true;
    this._subscribe();
    this._update();
  }

  hostDisconnected(): void {
    this._unsubscribe();
    this._connected = false;
  }

  private _subscribe(): void {
    if (this._connected && this._session && this._base !== null)
      this._session.doc.on('update', this._schedule);
  }

  private _unsubscribe(): void {
    this._session?.doc.off('update', this._schedule);
    clearTimeout(this._timer);
    this._timer = undefined;
  }

  private readonly _schedule = (): void => {
    this._timer ??= setTimeout(() => {
      this._timer = undefined;
      this._update();
    }, COMPARE_DELAY_MS);
  };

  private readonly _update = (): void => {
    const s = this._session;
    const v = s && this._base !== null ? readVersion(s.doc, this._base) : null;
    let next: Comparison = NONE;
    if (s && v) {
      const changes = comparePlans(v.plan, readPlan(s.doc));
      const marks = marksOf(changes);
      next = {
        base: v.id,
        changes,
        marks: sameMarks(marks, this.value.marks) ? this.value.marks : marks,
      };
    }
    if (next === NONE && this.value === NONE) return;
    this.value = next;
    this._host.requestUpdate();
  };
}
