// Invite links and roles (issue 7) in real Chromium against the real relay: an admin makes a
// plan, an editor and a viewer open it through their invite links; only the editor can
// change it; a revoked invite tells its holder to ask for a new one.
import { describe, expect, onTestFinished, test } from 'vitest';
import type { Page } from 'playwright-core';
import { acceptInvite, openPage, type WatchedPage } from './helpers/browser.ts';
import { useRelayAndBrowser } from './helpers/suite.ts';
import { addTopTask, answerFirstUse, createPlan, titleField, waitSynced } from './helpers/app.ts';

const suite = useRelayAndBrowser();

/**
 * A person whose browser has no token until they open their invite link; `sockets` collects
 * the URLs of the WebSockets its page opens.
 */
async function invited(
  name: string,
  link: string,
): Promise<WatchedPage & { readonly sockets: string[] }> {
  const w = await openPage(suite.browser, { name, baseURL: suite.relay.url, token: null });
  onTestFinished(() => {
    expect(w.errors).toEqual([]);
  });
  const sockets: string[] = [];
  w.page.on('websocket', (ws) => sockets.push(ws.url()));
  await acceptInvite(w.page, link);
  await answerFirstUse(w.page, name, '第一党支部');
  return { ...w, sockets };
}

const box = (page: Page, title: string) => page.getByRole('checkbox', { name: title, exact: true });
const role = (page: Page) => page.locator('cl-access .badge');

describe('invite links with roles', () => {
  test('an editor and a viewer open the plan by their links; only the editor can change it', async () => {
    const admin = await openPage(suite.browser, { name: 'admin', baseURL: suite.relay.url });
    onTestFinished(() => {
      expect(admin.errors).toEqual([]);
    });
    await admin.page.goto('/');
    await answerFirstUse(admin.page, '管理员甲', '机关党支部');
    const id = await createPlan(admin.page, '2023年工作要点');
    await addTopTask(admin.page, '加强理论武装');
    await waitSynced(admin.page);
    await expect.poll(() => role(admin.page).innerText()).toBe('管理员');

    const editor = await invited('李四', suite.relay.invite(id, 'editor', '李四').url);
    const viewer = await invited('王五', suite.relay.invite(id, 'viewer', '王五').url);
    for (const { page: p, sockets } of [editor, viewer]) {
      expect(new URL(p.url()).pathname).toBe(`/plan/${id}`);
      // The token left the address bar.
      expect(p.url()).not.toContain('token');
      await box(p, '加强理论武装').waitFor();
      await waitSynced(p);
      // And it is not in the relay's URL either (it travels as a subprotocol), where a
      // reverse proxy's access log would keep it.
      expect(sockets.length).toBeGreaterThan(0);
      for (const url of sockets) expect(url).toBe(`${suite.relay.url.replace('http', 'ws')}/${id}`);
    }
    await expect.poll(() => role(editor.page).innerText()).toBe('编辑');
    await expect.poll(() => role(viewer.page).innerText()).toBe('只读');

    // The viewer's controls are not enabled.
    expect(await box(viewer.page, '加强理论武装').isDisabled()).toBe(true);
    expect(await titleField(viewer.page, '加强理论武装').isEditable()).toBe(false);
    expect(await viewer.page.getByLabel('清单标题').isEditable()).toBe(false);
    expect(await viewer.page.getByRole('button', { name: '添加部分' }).isDisabled()).toBe(true);
    // Keys do nothing either.
    await titleField(viewer.page, '加强理论武装').focus();
    await viewer.page.keyboard.type('改');
    await viewer.page.keyboard.press('Enter');
    expect(await titleField(viewer.page, '加强理论武装').inputValue()).toBe('加强理论武装');

    // The editor's change reaches everyone, the viewer included.
    await box(editor.page, '加强理论武装').check();
    await titleField(editor.page, '加强理论武装').fill('加强理论武装学习');
    await titleField(editor.page, '加强理论武装学习').press('Tab');
    for (const p of [admin.page, viewer.page]) {
      await expect.poll(() => box(p, '加强理论武装学习').isChecked()).toBe(true);
    }
    // The viewer is still connected (it sent nothing the relay refused).
    await waitSynced(viewer.page);
    expect(await viewer.page.getByRole('treeitem').count()).toBe(1);

    // A deletion in the plan: from now on every device's sync reply carries a delete set.
    await titleField(editor.page, '加强理论武装学习').fill('加强学习');
    await titleField(editor.page, '加强学习').press('Tab');
    await box(viewer.page, '加强学习').waitFor();
    // Everyone loses the relay for a moment and comes back. The viewer's reply on
    // reconnecting holds nothing new: it is not taken for an edit, and live sync goes on.
    await suite.relay.restart();
    await box(editor.page, '加强学习').uncheck();
    await expect.poll(() => box(viewer.page, '加强学习').isChecked()).toBe(false);
    expect(await viewer.page.locator('cl-access [role=alert]').count()).toBe(0);
    await waitSynced(viewer.page);
  });

  test('a revoked invite tells its holder to ask for a new one; a new link syncs the device’s edits', async () => {
    const admin = await openPage(suite.browser, { name: 'admin', baseURL: suite.relay.url });
    onTestFinished(() => {
      expect(admin.errors).toEqual([]);
    });
    await admin.page.goto('/');
    await answerFirstUse(admin.page, '管理员甲', '机关党支部');
    const id = await createPlan(admin.page, '撤销测试');
    await addTopTask(admin.page, '强化廉政教育');
    await waitSynced(admin.page);

    // The admin makes the invite in the UI.
    await admin.page.getByRole('button', { name: '邀请', exact: true }).click();
    const panel = admin.page.locator('cl-invites');
    await panel.getByLabel('权限').selectOption('editor');
    await panel.getByLabel('受邀人').fill('赵六');
    await panel.getByRole('button', { name: '生成邀请链接' }).click();
    const link = await panel.getByLabel(/给赵六的邀请链接/).inputValue();
    expect(link).toMatch(new RegExp(`/plan/${id}#token=`));

    const zhao = await invited('赵六', link);
    await box(zhao.page, '强化廉政教育').waitFor();
    await waitSynced(zhao.page);
    await expect.poll(() => role(zhao.page).innerText()).toBe('编辑');

    // Revoked while open: the relay closes the connection, the page says what to do.
    await panel.getByRole('button', { name: '撤销赵六的邀请' }).click();
    await zhao.page
      .getByRole('alert')
      .filter({ hasText: '邀请已过期或已被撤销' })
      .waitFor({ timeout: 15_000 });
    // An edit made now stays on the device …
    await box(zhao.page, '强化廉政教育').check();
    await zhao.page.reload();
    await zhao.page
      .getByRole('alert')
      .filter({ hasText: '邀请已过期或已被撤销' })
      .waitFor({ timeout: 15_000 });
    expect(await box(zhao.page, '强化廉政教育').isChecked()).toBe(true);
    expect(await box(admin.page, '强化廉政教育').isChecked()).toBe(false);

    // … and syncs once a new invite is pasted.
    const again = suite.relay.invite(id, 'editor', '赵六').url;
    await zhao.page.getByLabel('邀请链接').fill(again);
    await zhao.page.getByRole('button', { name: '使用邀请' }).click();
    await waitSynced(zhao.page);
    await expect.poll(() => box(admin.page, '强化廉政教育').isChecked()).toBe(true);
  });
});
