import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import type * as Y from 'yjs';
import { tasksOf } from '../../shared/index.ts';
import { base } from '../styles.ts';
import { progressOf, type Outline, type Progress } from '../model/outline.ts';

/** done / total bars per top-level section and per branch. */
@localized()
@customElement('cl-progress')
export class ClProgress extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(320px, 1fr));
        gap: 8px 32px;
        margin-bottom: 12px;
      }
      h2 {
        font-size: 13px;
        color: var(--muted);
        margin: 0 0 4px;
        font-weight: 600;
      }
      .bar {
        display: grid;
        grid-template-columns: 10em 1fr 4.5em;
        align-items: center;
        gap: 8px;
        font-size: 13px;
      }
      .label {
        overflow: hidden;
        white-space: nowrap;
        text-overflow: ellipsis;
      }
      progress {
        width: 100%;
        height: 8px;
        accent-color: var(--ok);
      }
      .n {
        color: var(--muted);
        text-align: right;
      }
    `,
  ];

  @property({ attribute: false }) outline: Outline = { entries: [], branches: [] };
  @property({ attribute: false }) doc: Y.Doc | null = null;

  override render() {
    const { sections, branches } = progressOf(this.outline);
    const tasks = this.doc ? tasksOf(this.doc) : null;
    const title = (p: Progress): string =>
      `${p.label} ${tasks?.get(p.id)?.get('title')?.toString() ?? ''}`.trim();
    const withTasks = sections.filter((p) => p.total > 0);
    return html`
      ${
        withTasks.length
          ? html`<section>
              <h2>${msg('各部分进度', { id: 'progress.sections' })}</h2>
              ${withTasks.map((p) => this._bar(title(p), p))}
            </section>`
          : nothing
      }
      ${
        branches.length
          ? html`<section>
              <h2>${msg('各支部进度', { id: 'progress.branches' })}</h2>
              ${branches.map((p) => this._bar(p.label, p))}
            </section>`
          : nothing
      }
    `;
  }

  private _bar(label: string, p: Progress) {
    const text = msg(str`已完成 ${p.done} / ${p.total}`, { id: 'progress.value' });
    return html`<div class="bar">
      <span class="label" title=${label}>${label}</span>
      <progress
        max=${Math.max(1, p.total)}
        .value=${p.done}
        aria-label=${`${label}：${text}`}
      ></progress>
      <span class="n">${p.done} / ${p.total}</span>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cl-progress': ClProgress;
  }
}
