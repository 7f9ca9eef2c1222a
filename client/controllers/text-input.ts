/**
 * Typing into a field backed by a Y.Text. IME composition (pinyin) is not written while it
 * is in progress — the others would see the Latin letters — but once it ends; and a value
 * from the document is not forced into a field mid-composition, which would break it.
 */
const composing = new WeakSet<EventTarget>();

export interface TextInputHandlers {
  readonly input: (e: InputEvent) => void;
  readonly compositionstart: (e: CompositionEvent) => void;
  readonly compositionend: (e: CompositionEvent) => void;
}

export function textInputHandlers(commit: (value: string) => void): TextInputHandlers {
  return {
    input: (e) => {
      if (e.isComposing || composing.has(e.target as EventTarget)) return;
      commit((e.target as HTMLInputElement).value);
    },
    compositionstart: (e) => {
      composing.add(e.target as EventTarget);
    },
    compositionend: (e) => {
      composing.delete(e.target as EventTarget);
      commit((e.target as HTMLInputElement).value);
    },
  };
}

/** True while an IME composition is in progress in `el`. */
export function isComposing(el: EventTarget): boolean {
  return composing.has(el);
}
