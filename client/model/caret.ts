/**
 * Sets an input's value from the document without throwing the caret to the end: when the
 * field has focus (someone else typed in it), the selection moves with the text around it.
 */
export function setValueKeepingCaret(
  el: HTMLInputElement | HTMLTextAreaElement,
  next: string,
): void {
  const prev = el.value;
  if (prev === next) return;
  const focused =
    el.getRootNode() instanceof ShadowRoot
      ? (el.getRootNode() as ShadowRoot).activeElement === el
      : document.activeElement === el;
  if (!focused) {
    el.value = next;
    return;
  }
  let start = 0;
  while (start < prev.length && start < next.length && prev[start] === next[start]) start += 1;
  let end = 0;
  while (
    end < prev.length - start &&
    end < next.length - start &&
    prev[prev.length - 1 - end] === next[next.length - 1 - end]
  )
    end += 1;
  const shift = next.length - prev.length;
  const move = (p: number | null): number => {
    const at = p ?? 0;
    if (at <= start) return at;
    if (at >= prev.length - end) return at + shift;
    return start + (next.length - start - end);
  };
  const s = move(el.selectionStart);
  const e = move(el.selectionEnd);
  el.value = next;
  el.setSelectionRange(s, e);
}
