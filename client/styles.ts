import { css } from 'lit';

/**
 * The shared look: calm, dense, readable Chinese type on a light page, one restrained
 * accent (the red of official documents), clear focus rings for keyboard use.
 */
export const base = css`
  :host {
    --accent: #a61b1b;
    --ink: #1f2328;
    --muted: #5c636b;
    --line: #d8dce1;
    --soft: #f4f5f7;
    --ok: #2e7d4f;
    --warn: #b26a00;
    font-family:
      'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC',
      'Source Han Sans SC', system-ui, sans-serif;
    color: var(--ink);
    line-height: 1.6;
    font-size: 15px;
  }
  button {
    font: inherit;
    font-size: 14px;
    padding: 3px 10px;
    border: 1px solid var(--line);
    border-radius: 4px;
    background: #fff;
    color: var(--ink);
    cursor: pointer;
  }
  button:hover:not(:disabled) {
    border-color: #9aa1a9;
  }
  button:disabled {
    color: #a0a5ab;
    cursor: default;
  }
  button.primary {
    background: var(--accent);
    border-color: var(--accent);
    color: #fff;
  }
  button.icon {
    border-color: transparent;
    background: transparent;
    padding: 2px 6px;
    color: var(--muted);
  }
  button.icon:hover:not(:disabled) {
    border-color: var(--line);
    color: var(--ink);
  }
  /* After button.icon's colour, which would otherwise win: a viewer's disabled icons look it. */
  button.icon:disabled {
    color: #c4c8cc;
  }
  input,
  select,
  textarea {
    font: inherit;
    font-size: 14px;
    color: inherit;
    border: 1px solid var(--line);
    border-radius: 4px;
    padding: 3px 6px;
    background: #fff;
  }
  :focus-visible {
    outline: 2px solid #2f6db5;
    outline-offset: 1px;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;

/** A panel of the plan page (branches, trash, versions): a white card with a heading. */
export const panel = css`
  :host {
    display: block;
    margin: 0 0 12px;
    padding: 12px 16px;
    border: 1px solid var(--line);
    border-radius: 4px;
    background: #fff;
  }
  h2 {
    font-size: 16px;
    margin: 0 0 8px;
  }
`;

/** Form fields captioned above their control, the caption small and muted. */
export const fieldLabels = css`
  label {
    display: grid;
    gap: 2px;
    font-size: 13px;
    color: var(--muted);
  }
`;

/** A row of fields and buttons that wraps on narrow screens, aligned on their bottom edges. */
export const fieldRow = css`
  .field-row {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    gap: 8px;
  }
`;
