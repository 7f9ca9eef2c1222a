import { css } from 'lit';

/** Styles of the import preview (kept apart so the element stays short). */
export const importPreviewStyles = css`
  :host {
    display: grid;
    gap: 8px;
    min-height: 0;
  }
  [role='toolbar'] {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
  }
  [role='tree'] {
    margin: 0;
    padding: 4px 0;
    list-style: none;
    border: 1px solid var(--line);
    border-radius: 4px;
    background: #fff;
    max-height: 32vh;
    overflow: auto;
  }
  [role='treeitem'] {
    padding: 3px 10px 3px calc(10px + (var(--depth) - 1) * 22px);
    cursor: default;
    border-left: 3px solid transparent;
  }
  [role='treeitem'][aria-selected='true'] {
    background: var(--soft);
    border-left-color: var(--accent);
  }
  .num {
    color: var(--muted);
    margin-right: 4px;
  }
  .sec {
    font-weight: 600;
  }
  .task::before {
    content: '☐';
    color: var(--muted);
    margin-right: 6px;
  }
  .meta {
    display: block;
    color: var(--muted);
    font-size: 13px;
  }
  .keys {
    margin: 0;
    color: var(--muted);
    font-size: 13px;
  }
  .selected {
    display: grid;
    gap: 6px;
  }
  label {
    display: grid;
    gap: 2px;
    font-size: 13px;
    color: var(--muted);
  }
  input {
    color: var(--ink);
  }
  .split {
    display: flex;
    gap: 8px;
    align-items: center;
    color: var(--warn);
    font-size: 13px;
  }
  textarea {
    height: 4.8em;
    resize: vertical;
  }
`;
