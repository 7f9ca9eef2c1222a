import { css } from 'lit';

/** Styles of a task row (kept apart so the element stays short). */
export const rowStyles = css`
  :host {
    display: block;
    /* Keep one row's changes from relaying out the others (the tree skips whole sections
       off screen, see cl-task-tree). */
    contain: layout style;
    border-bottom: 1px solid #eceef1;
    border-left: 3px solid var(--c, transparent);
    background: #fff;
  }
  :host(:focus) {
    outline: none;
    background: #f2f6fb;
  }
  :host(:focus-visible) {
    box-shadow: inset 0 0 0 2px #2f6db5;
  }
  :host([context]) .line {
    opacity: 0.55;
  }
  :host([drop='before']) {
    box-shadow: inset 0 2px 0 #2f6db5;
  }
  :host([drop='after']) {
    box-shadow: inset 0 -2px 0 #2f6db5;
  }
  :host([drop='inside']) {
    background: #e8f0fa;
  }
  .line {
    display: flex;
    align-items: center;
    gap: 6px;
    min-height: 36px;
    padding: 2px 8px 2px 0;
  }
  .indent {
    flex: none;
    width: calc(var(--depth) * 24px);
  }
  .toggle {
    flex: none;
    width: 24px;
  }
  .drag {
    cursor: grab;
    opacity: 0.35;
  }
  :host(:hover) .drag {
    opacity: 1;
  }
  .number {
    flex: none;
    color: var(--muted);
    font-variant-numeric: tabular-nums;
    min-width: 2em;
  }
  .number.computed {
    color: #a0a5ab;
  }
  .title {
    flex: 1 1 16em;
    min-width: 8em;
    border-color: transparent;
    background: transparent;
    font-size: 15px;
  }
  :host([aria-level='1']) .title {
    font-weight: 700;
  }
  .title:hover,
  .title:focus {
    border-color: var(--line);
    background: #fff;
  }
  .done .title {
    color: var(--muted);
    text-decoration: line-through;
  }
  .chips {
    display: inline-flex;
    gap: 4px;
  }
  .owner {
    font-size: 12px;
    padding: 0 6px;
    border: 1px solid var(--line);
    border-radius: 3px;
    color: var(--muted);
    white-space: nowrap;
  }
  .editor {
    font-size: 12px;
    padding: 0 6px;
    border-radius: 3px;
    color: #fff;
    background: var(--c);
    white-space: nowrap;
  }
  .deadline {
    font-size: 13px;
    color: var(--muted);
    white-space: nowrap;
  }
  .deadline.overdue {
    color: var(--accent);
    font-weight: 600;
  }
  .status {
    font-size: 13px;
    padding: 1px 2px;
  }
`;
