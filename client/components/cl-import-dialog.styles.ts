import { css } from 'lit';

/** Styles of the import dialog (kept apart so the element stays short). */
export const importDialogStyles = css`
  dialog {
    border: 1px solid var(--line);
    border-radius: 6px;
    padding: 20px 24px;
    width: min(760px, 94vw);
    max-height: 92vh;
    box-sizing: border-box;
  }
  dialog::backdrop {
    background: rgb(0 0 0 / 0.3);
  }
  h2 {
    margin: 0 0 4px;
    font-size: 20px;
  }
  .intro,
  .hint {
    color: var(--muted);
    font-size: 14px;
  }
  .drop {
    display: grid;
    gap: 6px;
    padding: 16px;
    margin: 12px 0;
    border: 1px dashed #9aa1a9;
    border-radius: 6px;
    background: var(--soft);
  }
  .drop.over {
    border-color: var(--accent);
    background: #fbf1f1;
  }
  label {
    display: grid;
    gap: 4px;
  }
  .paste textarea {
    width: 100%;
    box-sizing: border-box;
    resize: vertical;
  }
  .counts {
    margin: 0 0 8px;
    font-weight: 600;
  }
  .title {
    margin-bottom: 10px;
  }
  .title input {
    width: 100%;
    box-sizing: border-box;
  }
  .warn {
    margin-bottom: 10px;
    padding: 8px 12px;
    border: 1px solid #e3c48f;
    border-left: 3px solid var(--warn);
    border-radius: 4px;
    background: #fdf7ec;
  }
  .warn p,
  .warn ul {
    margin: 0 0 4px;
  }
  .warn ul {
    padding-left: 20px;
  }
  .confirm {
    display: flex;
    gap: 6px;
    align-items: center;
    font-weight: 600;
  }
  .error {
    margin: 8px 0 0;
    color: var(--accent);
  }
  .error:empty {
    display: none;
  }
  .end {
    display: flex;
    justify-content: flex-end;
    gap: 8px;
    margin-top: 12px;
  }
`;
