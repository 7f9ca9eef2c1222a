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
  label {
    display: grid;
    gap: 4px;
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
  button.primary:disabled {
    background: #d6a3a3;
    border-color: #d6a3a3;
    color: #fff;
  }
  .end {
    display: flex;
    justify-content: flex-end;
    gap: 8px;
    margin-top: 12px;
  }
`;
