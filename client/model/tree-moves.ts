import type { Place } from '../../shared/index.ts';
import type { Outline, OutlineEntry } from './outline.ts';

/** A keyboard move of a task. */
export type MoveCommand = 'up' | 'down' | 'indent' | 'outdent';

/** Where a task goes: its new parent and its place among the new siblings. */
export interface MoveTarget {
  readonly parent: string | null;
  readonly place: Place;
}

function siblingsOf(outline: Outline, parent: string | null): OutlineEntry[] {
  return outline.entries.filter((e) => e.parent === parent);
}

/**
 * The move a keyboard command makes (Alt+↑/↓ among siblings, Alt+→ under the previous
 * sibling as its last child, Alt+← after the parent), or null when there is nowhere to go.
 */
export function moveFor(outline: Outline, id: string, cmd: MoveCommand): MoveTarget | null {
  const me = outline.entries.find((e) => e.id === id);
  if (!me) return null;
  const sibs = siblingsOf(outline, me.parent);
  const i = sibs.findIndex((e) => e.id === id);
  if (cmd === 'up') {
    const prev = sibs[i - 1];
    return prev ? { parent: me.parent, place: { before: prev.id } } : null;
  }
  if (cmd === 'down') {
    const next = sibs[i + 1];
    return next ? { parent: me.parent, place: { after: next.id } } : null;
  }
  if (cmd === 'indent') {
    const prev = sibs[i - 1];
    if (!prev) return null;
    const kids = siblingsOf(outline, prev.id);
    const last = kids[kids.length - 1];
    return { parent: prev.id, place: last ? { after: last.id } : {} };
  }
  if (me.parent === null) return null;
  const parent = outline.entries.find((e) => e.id === me.parent);
  return parent ? { parent: parent.parent, place: { after: parent.id } } : null;
}

/** Where a drop on `target` puts the dragged task, by the pointer's zone on the row. */
export function dropFor(
  outline: Outline,
  dragged: string,
  target: string,
  zone: 'before' | 'after' | 'inside',
): MoveTarget | null {
  if (dragged === target || isAncestor(outline, dragged, target)) return null;
  const t = outline.entries.find((e) => e.id === target);
  if (!t) return null;
  if (zone === 'inside') {
    const kids = siblingsOf(outline, target);
    const last = kids[kids.length - 1];
    return { parent: target, place: last && last.id !== dragged ? { after: last.id } : {} };
  }
  return { parent: t.parent, place: zone === 'before' ? { before: target } : { after: target } };
}

/** True when `ancestor` lies above `id` in the outline. */
export function isAncestor(outline: Outline, ancestor: string, id: string): boolean {
  const byId = new Map(outline.entries.map((e) => [e.id, e]));
  for (let at = byId.get(id)?.parent ?? null; at !== null; at = byId.get(at)?.parent ?? null)
    if (at === ancestor) return true;
  return false;
}
