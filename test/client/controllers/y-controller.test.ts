// @vitest-environment happy-dom
import '../lit-quiet.ts';
import { describe, expect, it } from 'vitest';
import { LitElement, html } from 'lit';
import * as Y from 'yjs';
import { YController } from '../../../client/controllers/y-controller.ts';

class TestMapView extends LitElement {
  map: Y.Map<unknown> | undefined;
  renders = 0;
  readonly title$ = new YController(
    this,
    () => this.map,
    (m) => String(m.get('title') ?? ''),
    '',
    { equals: (a, b) => a === b },
  );
  override render() {
    this.renders += 1;
    return html`<p>${this.title$.value}</p>`;
  }
}
customElements.define('test-map-view', TestMapView);

async function mount(map: Y.Map<unknown>): Promise<TestMapView> {
  const el = document.createElement('test-map-view') as TestMapView;
  el.map = map;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

const text = (el: TestMapView) => el.shadowRoot?.querySelector('p')?.textContent;

describe('YController', () => {
  it('renders the snapshot and re-renders when the type changes', async () => {
    const doc = new Y.Doc();
    const map = doc.getMap('m');
    map.set('title', '一');
    const el = await mount(map);
    expect(text(el)).toBe('一');
    map.set('title', '二');
    await el.updateComplete;
    expect(text(el)).toBe('二');
    el.remove();
  });

  it('does not re-render for an equal snapshot', async () => {
    const doc = new Y.Doc();
    const map = doc.getMap('m');
    map.set('title', '一');
    const el = await mount(map);
    const before = el.renders;
    map.set('other', 1);
    await el.updateComplete;
    expect(el.renders).toBe(before);
    el.remove();
  });

  it('stops observing when detached and catches up when re-attached', async () => {
    const doc = new Y.Doc();
    const map = doc.getMap('m');
    map.set('title', '一');
    const el = await mount(map);
    el.remove();
    const renders = el.renders;
    map.set('title', '二');
    await el.updateComplete;
    expect(el.renders).toBe(renders);
    expect(text(el)).toBe('一');
    document.body.append(el);
    await el.updateComplete;
    expect(text(el)).toBe('二');
    map.set('title', '三');
    await el.updateComplete;
    expect(text(el)).toBe('三');
    el.remove();
  });
});
