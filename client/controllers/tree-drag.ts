import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { directive, Directive, type ElementPart, type PartInfo, PartType } from 'lit/directive.js';
import type { Outline } from '../model/outline.ts';
import { dropFor, type MoveTarget } from '../model/tree-moves.ts';

const MIME = 'application/x-qingdan-task';

/** The row element an event happened on (events from inside a row are retargeted to it). */
function rowOf(e: Event): HTMLElement | undefined {
  return e
    .composedPath()
    .find((n): n is HTMLElement => n instanceof HTMLElement && n.localName === 'cl-task-row');
}

function zoneOf(row: HTMLElement, clientY: number): 'before' | 'after' | 'inside' {
  const r = row.getBoundingClientRect();
  const y = (clientY - r.top) / Math.max(1, r.height);
  return y < 0.3 ? 'before' : y > 0.7 ? 'after' : 'inside';
}

/**
 * Drag and drop of rows by their handle: the upper part of a row drops before it, the lower
 * part after it, the middle makes the dragged task its last child. A drop that would put a
 * task under itself is not offered.
 */
export class TreeDragController implements ReactiveController {
  private _dragged: string | null = null;
  private _marked: HTMLElement | null = null;

  private readonly _outline: () => Outline;
  private readonly _move: (id: string, to: MoveTarget | null) => void;

  constructor(
    host: ReactiveControllerHost,
    outline: () => Outline,
    move: (id: string, to: MoveTarget | null) => void,
  ) {
    this._outline = outline;
    this._move = move;
    host.addController(this);
  }

  hostDisconnected(): void {
    this._clear();
  }

  /** An element directive that listens for the drag events on the tree container. */
  bind() {
    return attach(this);
  }

  /** @internal */
  listen(el: HTMLElement): void {
    el.addEventListener('dragstart', this._start);
    el.addEventListener('dragover', this._over);
    el.addEventListener('dragleave', this._leave);
    el.addEventListener('drop', this._drop);
    el.addEventListener('dragend', this._end);
  }

  private _clear(): void {
    this._marked?.removeAttribute('drop');
    this._marked = null;
  }

  private readonly _start = (e: DragEvent): void => {
    const row = rowOf(e);
    const id = row?.dataset['id'];
    if (!id || !e.dataTransfer) return;
    this._dragged = id;
    e.dataTransfer.effectAllowed = 'move';
    e.dataTransfer.setData(MIME, id);
    e.dataTransfer.setData('text/plain', row.getAttribute('aria-label') ?? id);
    e.dataTransfer.setDragImage(row, 16, 16);
  };

  private readonly _over = (e: DragEvent): void => {
    const row = rowOf(e);
    const target = row?.dataset['id'];
    if (!row || !target || this._dragged === null) return;
    const zone = zoneOf(row, e.clientY);
    if (!dropFor(this._outline(), this._dragged, target, zone)) return this._clear();
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'move';
    if (this._marked !== row) this._clear();
    this._marked = row;
    row.setAttribute('drop', zone);
  };

  private readonly _leave = (e: DragEvent): void => {
    if (rowOf(e) === this._marked && !this._marked?.contains(e.relatedTarget as Node))
      this._clear();
  };

  private readonly _drop = (e: DragEvent): void => {
    const row = rowOf(e);
    const target = row?.dataset['id'];
    const dragged = this._dragged ?? e.dataTransfer?.getData(MIME) ?? null;
    this._clear();
    if (!row || !target || !dragged) return;
    e.preventDefault();
    this._move(dragged, dropFor(this._outline(), dragged, target, zoneOf(row, e.clientY)));
    this._dragged = null;
  };

  private readonly _end = (): void => {
    this._dragged = null;
    this._clear();
  };
}

class AttachDirective extends Directive {
  private _done = false;
  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ELEMENT) throw new Error('attach() is an element directive');
  }
  override render(_c: TreeDragController): void {}
  override update(part: ElementPart, [c]: [TreeDragController]): void {
    if (this._done) return;
    this._done = true;
    c.listen(part.element as HTMLElement);
  }
}

const attach = directive(AttachDirective);
