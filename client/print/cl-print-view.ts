import { LitElement, css, html, nothing, unsafeCSS } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { TableRow } from '../../shared/index.ts';
import {
  DEFAULT_LABELS,
  FONTS,
  SIZES,
  columnWidths,
  pageMargins,
  pageSize,
  type PrintInput,
} from '../export/layout.ts';
import { installPageStyle, removePageStyle } from './page-style.ts';

const stack = (fonts: readonly string[]): string =>
  fonts.map((f) => (/^[a-z-]+$/.test(f) ? f : `"${f}"`)).join(', ');

/**
 * The checklist as printed for the meeting: the official table attachment, nothing else.
 * Its text is the document's own (Chinese, whatever the interface language), and it holds
 * no interface chrome, so what prints is exactly what the Party group agreed.
 *
 * The header row repeats on every printed page (a <thead>), and rows are not split across
 * pages unless one is taller than a page.
 */
@customElement('cl-print-view')
export class ClPrintView extends LitElement {
  static override styles = css`
    :host {
      display: block;
      color: #000;
      font-family: ${unsafeCSS(stack(FONTS.body))};
    }
    .attachment {
      font-family: ${unsafeCSS(stack(FONTS.heading))};
      font-size: ${SIZES.attachment}pt;
      margin: 0 0 4mm;
    }
    h1 {
      font-family: ${unsafeCSS(stack(FONTS.title))};
      font-size: ${SIZES.title}pt;
      font-weight: normal;
      text-align: center;
      line-height: 1.35;
      margin: 0 0 3mm;
    }
    .subtitle {
      text-align: center;
      font-size: ${SIZES.subtitle}pt;
      margin: 0 0 6mm;
    }
    table {
      width: 100%;
      border-collapse: collapse;
      table-layout: fixed;
      font-size: ${SIZES.table}pt;
      line-height: 1.35;
    }
    th,
    td {
      border: 0.75pt solid #000;
      padding: 1mm 1.2mm;
      vertical-align: middle;
      text-align: left;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
    th {
      font-family: ${unsafeCSS(stack(FONTS.heading))};
      font-weight: normal;
      text-align: center;
    }
    thead {
      display: table-header-group;
    }
    tr {
      break-inside: avoid;
    }
    td.seq,
    td.lead,
    td.assignee,
    td.deadline {
      text-align: center;
    }
    /* A heading stays with the first row under it. */
    tr.group {
      break-after: avoid;
    }
    tr.group td {
      font-family: ${unsafeCSS(stack(FONTS.heading))};
    }
    tr.group:not(.level-1) td {
      font-family: ${unsafeCSS(stack(FONTS.kai))};
      padding-left: 4mm;
    }
    .signature {
      margin-top: 10mm;
      text-align: right;
      font-size: ${SIZES.subtitle}pt;
      break-inside: avoid;
    }
    .signature span {
      display: inline-block;
      min-width: 45mm;
      border-bottom: 0.75pt solid #000;
      margin: 0 8mm 0 2mm;
    }
    @media screen {
      :host {
        width: var(--block-width);
        padding: var(--page-padding);
        background: #fff;
        box-shadow: 0 1px 6px rgba(0, 0, 0, 0.25);
        margin: 0 auto;
      }
    }
  `;

  @property({ attribute: false }) rows: readonly TableRow[] = [];
  @property({ attribute: false }) input: PrintInput = {
    title: '',
    columns: [],
    orientation: 'landscape',
  };

  override connectedCallback(): void {
    super.connectedCallback();
    installPageStyle(this.input.orientation);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removePageStyle();
  }

  protected override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('input')) installPageStyle(this.input.orientation);
    const size = pageSize(this.input.orientation);
    const m = pageMargins(this.input.orientation);
    // On screen, show the page as it will print: the text block's width and margins. In
    // print the @page margins do that, so these apply to the screen only.
    this.style.setProperty('--block-width', `${size.width - m.left - m.right}mm`);
    this.style.setProperty('--page-padding', `${m.top}mm ${m.right}mm ${m.bottom}mm ${m.left}mm`);
  }

  override render() {
    const { input } = this;
    const labels = input.labels ?? DEFAULT_LABELS;
    const size = pageSize(input.orientation);
    const m = pageMargins(input.orientation);
    const widths = columnWidths(input.columns, size.width - m.left - m.right);
    return html`
      ${input.attachment ? html`<p class="attachment">附件</p>` : nothing}
      <h1>${input.title}</h1>
      ${input.subtitle ? html`<p class="subtitle">${input.subtitle}</p>` : nothing}
      <table>
        <colgroup>
          ${widths.map((w) => html`<col style="width:${w.toFixed(1)}mm" />`)}
        </colgroup>
        <thead>
          <tr>
            ${input.columns.map((c) => html`<th scope="col">${labels[c]}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${repeat(
            this.rows,
            (r) => r.id,
            (r) =>
              r.kind === 'group'
                ? html`<tr class="group level-${r.level}">
                    <td colspan=${input.columns.length}>${r.number}${r.title}</td>
                  </tr>`
                : html`<tr class="task">
                    ${input.columns.map((c) => html`<td class=${c}>${r.cells[c]}</td>`)}
                  </tr>`,
          )}
        </tbody>
      </table>
      ${
        input.signature
          ? html`<p class="signature">审定人：<span></span>日期：<span></span></p>`
          : nothing
      }
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cl-print-view': ClPrintView;
  }
}
