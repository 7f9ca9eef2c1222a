import { FONTS, SIZES, pageMargins, type Orientation } from '../export/layout.ts';

const STYLE_ID = 'qingdan-print-page';
const stack = (fonts: readonly string[]): string =>
  fonts.map((f) => (/^[a-z-]+$/.test(f) ? f : `"${f}"`)).join(', ');

/**
 * The page rules of the printed checklist. `@page` only works in the document's own
 * stylesheet (not inside a shadow root), so the print view puts them in <head>.
 * Page numbers “— 1 —” in 四号 (14 pt) sit below the text block: odd (right) pages at the
 * right, even (left) pages at the left, one character in from the edge of the text block,
 * as GB/T 9704 places them.
 */
export function pageCss(orientation: Orientation): string {
  const m = pageMargins(orientation);
  const number = `content: "— " counter(page) " —"; font-family: ${stack(FONTS.body)}; font-size: ${SIZES.pageNumber}pt; vertical-align: top; padding-top: 7mm;`;
  return `
@page { size: A4 ${orientation}; margin: ${m.top}mm ${m.right}mm ${m.bottom}mm ${m.left}mm; }
@page :right { @bottom-right { ${number} padding-right: 1em; } }
@page :left { @bottom-left { ${number} padding-left: 1em; } }
`;
}

/** Installs (or replaces) the page rules for this orientation. */
export function installPageStyle(orientation: Orientation): void {
  let el = document.getElementById(STYLE_ID);
  if (!el) {
    el = document.createElement('style');
    el.id = STYLE_ID;
    document.head.append(el);
  }
  el.textContent = pageCss(orientation);
}

/** Removes the page rules (when leaving the print view). */
export function removePageStyle(): void {
  document.getElementById(STYLE_ID)?.remove();
}
