import { css } from 'lit';

/** Styles of the plan page (kept apart so the element stays short). */
export const pageStyles = css`
  :host {
    display: block;
  }
  .head {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 12px;
    margin: 4px 0 8px;
  }
  .plan-title {
    flex: 1;
    font-size: 22px;
    font-weight: 700;
    border-color: transparent;
    background: transparent;
    padding: 4px 6px;
  }
  .plan-title:hover,
  .plan-title:focus {
    border-color: var(--line);
    background: #fff;
  }
  .toolbar {
    display: flex;
    align-items: center;
    flex-wrap: wrap;
    gap: 8px;
    padding: 8px 0;
    border-bottom: 1px solid var(--line);
    margin-bottom: 12px;
  }
  .plan-actions {
    display: inline-flex;
    gap: 8px;
    margin-left: 8px;
  }
  button[aria-pressed='true'] {
    background: var(--soft);
    border-color: #9aa1a9;
  }
  .spacer {
    flex: 1;
  }
  .banner {
    margin: 8px 0;
    padding: 8px 12px;
    border: 1px solid #e3b4a8;
    background: #fdf1ee;
    border-radius: 4px;
    color: #7a1f10;
  }
  .meta {
    color: var(--muted);
  }
`;
