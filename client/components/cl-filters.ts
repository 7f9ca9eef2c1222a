import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { localized, msg } from '@lit/localize';
import { base } from '../styles.ts';
import type { Filter } from '../model/outline.ts';

/** Fired when the user changes a filter. */
export class FilterChange extends Event {
  readonly filter: Filter;
  constructor(filter: Filter) {
    super('filter-change', { bubbles: true, composed: true });
    this.filter = filter;
  }
}

/**
 * Filters: my branch (as owner or as lead), status, overdue.
 * @fires filter-change
 */
@localized()
@customElement('cl-filters')
export class ClFilters extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: flex;
        flex-wrap: wrap;
        gap: 12px;
        align-items: center;
        margin-bottom: 8px;
        font-size: 14px;
      }
      label {
        display: inline-flex;
        gap: 4px;
        align-items: center;
      }
    `,
  ];

  @property({ attribute: false }) filter!: Filter;

  override render() {
    const f = this.filter;
    return html`
      <label
        >${msg('支部', { id: 'filter.mine' })}
        <select
          aria-label=${msg('支部', { id: 'filter.mine' })}
          @change=${(e: Event) => this._set({ mine: (e.target as HTMLSelectElement).value as Filter['mine'] })}
        >
          <option value="all" ?selected=${f.mine === 'all'}>
            ${msg('全部支部', { id: 'filter.mine-all' })}
          </option>
          <option value="owner" ?selected=${f.mine === 'owner'}>
            ${msg('本支部负责', { id: 'filter.mine-owner' })}
          </option>
          <option value="lead" ?selected=${f.mine === 'lead'}>
            ${msg('本支部牵头', { id: 'filter.mine-lead' })}
          </option>
        </select></label
      >
      <label
        >${msg('状态', { id: 'filter.status' })}
        <select
          aria-label=${msg('状态', { id: 'filter.status' })}
          @change=${(e: Event) => this._set({ status: (e.target as HTMLSelectElement).value as Filter['status'] })}
        >
          <option value="all" ?selected=${f.status === 'all'}>
            ${msg('全部状态', { id: 'filter.status-all' })}
          </option>
          <option value="todo" ?selected=${f.status === 'todo'}>
            ${msg('未开始', { id: 'status.todo' })}
          </option>
          <option value="doing" ?selected=${f.status === 'doing'}>
            ${msg('进行中', { id: 'status.doing' })}
          </option>
          <option value="done" ?selected=${f.status === 'done'}>
            ${msg('已完成', { id: 'status.done' })}
          </option>
        </select></label
      >
      <label
        ><input
          type="checkbox"
          .checked=${f.overdue}
          @change=${(e: Event) => this._set({ overdue: (e.target as HTMLInputElement).checked })}
        />${msg('仅看逾期', { id: 'filter.overdue' })}</label
      >
    `;
  }

  private _set(patch: Partial<Filter>): void {
    this.dispatchEvent(new FilterChange({ ...this.filter, ...patch }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cl-filters': ClFilters;
  }
}
