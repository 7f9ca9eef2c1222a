import type { Row } from './outline.ts';
import type { MoveCommand } from './tree-moves.ts';

/** What a key pressed in the tree does (the WAI-ARIA tree pattern, plus moves). */
export type TreeKeyAction =
  | { readonly kind: 'focus'; readonly id: string }
  | { readonly kind: 'expand'; readonly id: string; readonly expanded: boolean }
  | { readonly kind: 'move'; readonly command: MoveCommand }
  | { readonly kind: 'edit-title' }
  | { readonly kind: 'tick' }
  | { readonly kind: 'delete' };

const MOVES: Readonly<Record<string, MoveCommand>> = {
  ArrowUp: 'up',
  ArrowDown: 'down',
  ArrowLeft: 'outdent',
  ArrowRight: 'indent',
};

/**
 * The action for a key on the row `id`: Alt+arrows move the task (also from inside its
 * fields); on the row itself ↑/↓/Home/End move the focus, →/← expand, collapse or go to
 * the first child / the parent, Enter edits the title, Space ticks, Delete removes.
 * `null`: not a tree key (the browser handles it).
 */
export function treeKeyAction(
  key: string,
  alt: boolean,
  onRow: boolean,
  rows: readonly Row[],
  id: string,
): TreeKeyAction | null {
  const move = MOVES[key];
  if (alt) return move ? { kind: 'move', command: move } : null;
  if (!onRow) return null;
  const i = rows.findIndex((r) => r.entry.id === id);
  const r = rows[i];
  const focus = (to: Row | undefined): TreeKeyAction | null =>
    to ? { kind: 'focus', id: to.entry.id } : null;
  switch (key) {
    case 'ArrowDown':
      return focus(rows[i + 1]);
    case 'ArrowUp':
      return focus(rows[i - 1]);
    case 'Home':
      return focus(rows[0]);
    case 'End':
      return focus(rows[rows.length - 1]);
    case 'ArrowRight':
      if (r && r.entry.childCount > 0 && !r.expanded) return { kind: 'expand', id, expanded: true };
      return focus(rows[i + 1]?.entry.parent === id ? rows[i + 1] : undefined);
    case 'ArrowLeft':
      if (r && r.entry.childCount > 0 && r.expanded) return { kind: 'expand', id, expanded: false };
      return focus(rows.find((x) => x.entry.id === r?.entry.parent));
    case 'Enter':
      return { kind: 'edit-title' };
    case ' ':
      return { kind: 'tick' };
    case 'Delete':
      return { kind: 'delete' };
    default:
      return null;
  }
}
