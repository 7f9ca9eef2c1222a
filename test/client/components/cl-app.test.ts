// @vitest-environment happy-dom
import '../lit-quiet.ts';
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { ClApp } from '../../../client/components/cl-app.ts';
import { ClProfileDialog } from '../../../client/components/cl-profile-dialog.ts';
import { loadProfile } from '../../../client/storage/device.ts';

async function mountApp(): Promise<ClApp> {
  // A page with no network work to do: the dialog is what is tested here.
  history.replaceState(null, '', '/nowhere');
  const app = document.createElement('cl-app') as ClApp;
  document.body.append(app);
  await expect
    .poll(async () => {
      await app.updateComplete;
      return (app as unknown as { _profileLoaded: boolean })._profileLoaded;
    })
    .toBe(true);
  await app.updateComplete;
  return app;
}

describe('first use', () => {
  it('asks for name and branch once, and not again after a reload', async () => {
    const app = await mountApp();
    const dialog = app.shadowRoot!.querySelector<ClProfileDialog>('cl-profile-dialog');
    expect(dialog).not.toBeNull();
    await dialog!.updateComplete;
    const root = dialog!.shadowRoot!;
    root.querySelector<HTMLInputElement>('input[name=name]')!.value = '张三';
    root.querySelector<HTMLInputElement>('input[name=branch]')!.value = '机关党支部';
    root.querySelector('form')!.requestSubmit();
    await expect.poll(() => loadProfile()).toEqual({ name: '张三', branch: '机关党支部' });
    await app.updateComplete;
    expect(app.shadowRoot!.querySelector('cl-profile-dialog')).toBeNull();
    app.remove();

    const again = await mountApp();
    expect(again.shadowRoot!.querySelector('cl-profile-dialog')).toBeNull();
    again.remove();
  });
});
