import {
  changeLevel,
  dropNode,
  mergeIntoPrevious,
  outlineEntries,
  splitNode,
  updateNode,
  type Outline,
} from '../../shared/index.ts';

/** A fix the import preview offers for the selected node. */
export type PreviewEdit =
  | { readonly kind: 'indent' }
  | { readonly kind: 'outdent' }
  | { readonly kind: 'merge' }
  | { readonly kind: 'drop' }
  | { readonly kind: 'split'; readonly offset: number }
  | { readonly kind: 'retitle'; readonly title: string };

/** An edited outline and the row to select in it (an index in reading order). */
export interface PreviewEditResult {
  readonly outline: Outline;
  readonly selected: number;
}

/**
 * Applies one preview edit to the node at reading-order index `selected`, with the
 * importer's pure edit helpers. Returns null when the edit is not possible there (indenting
 * a first child, merging the very first node; an empty or unchanged title), so the UI can
 * disable its button.
 *
 * The selection is kept as a reading-order index because every edit but merge and drop
 * keeps the node where it was in reading order (a level change re-parents but does not
 * reorder; a split keeps the first half in place).
 */
export function applyPreviewEdit(
  outline: Outline,
  selected: number,
  edit: PreviewEdit,
): PreviewEditResult | null {
  const entry = outlineEntries(outline)[selected];
  if (entry === undefined) return null;
  const path = entry.path;
  let next: Outline;
  switch (edit.kind) {
    case 'indent':
      next = changeLevel(outline, path, 'in');
      break;
    case 'outdent':
      next = changeLevel(outline, path, 'out');
      break;
    case 'merge':
      next = mergeIntoPrevious(outline, path);
      break;
    case 'drop':
      next = dropNode(outline, path);
      break;
    case 'split':
      next = splitNode(outline, path, edit.offset);
      break;
    case 'retitle': {
      const title = edit.title.trim();
      if (title === '' || title === entry.node.title) return null;
      next = updateNode(outline, path, { title });
      break;
    }
  }
  if (next === outline) return null;
  const rows = outlineEntries(next).length;
  const at = edit.kind === 'merge' ? selected - 1 : selected;
  return { outline: next, selected: Math.max(0, Math.min(at, rows - 1)) };
}
