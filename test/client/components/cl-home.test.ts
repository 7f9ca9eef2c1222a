// @vitest-environment happy-dom
import '../lit-quiet.ts';
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { readPlan } from '../../../shared/index.ts';
import { ClHome } from '../../../client/components/cl-home.ts';
import { loadDocState } from '../../../client/storage/doc-persistence.ts';

afterEach(() => {
  vi.restoreAllMocks();
  document.body.replaceChildren();
});

async function mountHome(): Promise<ClHome> {
  history.replaceState(null, '', '/');
  // No relay in a unit test: the home page lists this device's plans only.
  vi.spyOn(globalThis, 'fetch').mockRejectedValue(new TypeError('offline'));
  const home = document.createElement('cl-home') as ClHome;
  document.body.append(home);
  await home.updateComplete;
  return home;
}

function createForm(home: ClHome) {
  const root = home.shadowRoot!;
  return {
    title: root.querySelector<HTMLInputElement>('input[name=title]')!,
    submit: () => root.querySelector<HTMLFormElement>('form.actions')!.requestSubmit(),
    alert: () => root.querySelector('[role=alert]')?.textContent?.trim() ?? null,
  };
}

describe('cl-home: 新建', () => {
  it('creates nothing when the device cannot store the plan, says why, and keeps the title', async () => {
    const home = await mountHome();
    const form = createForm(home);
    form.title.value = '2023年党风廉政建设责任清单';
    const put = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('the disk is full', 'QuotaExceededError');
    });
    form.submit();
    await expect.poll(form.alert).toBe('本设备存储空间已满，清单未创建。');
    expect(location.pathname).toBe('/');
    expect(form.title.value).toBe('2023年党风廉政建设责任清单');

    // Space again: the same form creates the plan, stored, and opens it.
    put.mockRestore();
    form.submit();
    await expect.poll(() => location.pathname).toMatch(/^\/plan\/[0-9a-f]{20}$/);
    const id = location.pathname.slice('/plan/'.length);
    const stored = await loadDocState(id);
    expect(stored).not.toBeNull();
    const doc = new Y.Doc();
    Y.applyUpdate(doc, stored!);
    expect(readPlan(doc).title).toBe('2023年党风廉政建设责任清单');
    await home.updateComplete;
    expect(form.alert()).toBeNull();
  });
});

describe('cl-home: 导入', () => {
  it('says so when the importer cannot be loaded, instead of doing nothing', async () => {
    vi.doMock('../../../client/components/cl-import-dialog.ts', () => {
      throw new TypeError('Failed to fetch dynamically imported module');
    });
    try {
      const home = await mountHome();
      const root = home.shadowRoot!;
      root.querySelector<HTMLButtonElement>('button.import')!.click();
      await expect
        .poll(() => root.querySelector('[role=alert]')?.textContent?.trim())
        .toBe('导入功能未能加载，请检查网络后重试。');
      expect(root.querySelector('cl-import-dialog')).toBeNull();
    } finally {
      vi.doUnmock('../../../client/components/cl-import-dialog.ts');
    }
  });
});
