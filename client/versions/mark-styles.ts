import { css } from 'lit';

/** The 新增 / 已改 / 已移 badge on a task row while comparing with an agreed version. */
export const markStyles = css`
  .mark {
    flex: none;
    font-size: 12px;
    line-height: 1.4;
    padding: 0 5px;
    border-radius: 3px;
    border: 1px solid currentColor;
  }
  .mark.added {
    color: #2e7d4f;
  }
  .mark.changed {
    color: #b26a00;
  }
  .mark.moved {
    color: #2f6db5;
  }
`;
