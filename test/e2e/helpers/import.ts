import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';

/** A file for the import dialog's file input: a path, or a name with its bytes. */
export type ImportFile = string | { name: string; mimeType: string; buffer: Buffer };

/** Opens 导入 on the home page and resolves with the dialog. */
export async function openImportDialog(page: Page): Promise<Locator> {
  await page.goto('/');
  // From the keyboard, as anyone can.
  await page.getByRole('button', { name: '导入', exact: true }).focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: '导入清单' });
  await dialog.waitFor();
  return dialog;
}

/** Pastes `text` into the open import dialog and asks for the preview. */
export async function pasteForImport(dialog: Locator, text: string): Promise<void> {
  await dialog.getByLabel('或粘贴文件的文字').fill(text);
  await dialog.getByRole('button', { name: '预览', exact: true }).click();
}

/** Chooses a file in the open import dialog (the preview follows on its own). */
export async function chooseFileForImport(dialog: Locator, file: ImportFile): Promise<void> {
  await dialog.getByLabel('选择文件（.txt 或 .docx）').setInputFiles(file);
}

/**
 * Drops a file with these bytes on the open import dialog, as a person dragging it from the
 * file manager does (Playwright cannot drag files from outside the page).
 */
export async function dropFileForImport(
  dialog: Locator,
  name: string,
  bytes: readonly number[],
): Promise<void> {
  const dataTransfer = await dialog.page().evaluateHandle(
    ([n, b]) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(b)], n));
      return dt;
    },
    [name, bytes] as const,
  );
  await dialog.locator('cl-import-source').dispatchEvent('dragover', { dataTransfer });
  await dialog.locator('cl-import-source').dispatchEvent('drop', { dataTransfer });
}

/** The counts line of the import preview (“3 个部分 · 6 项 · 13 项任务”). */
export function importCounts(dialog: Locator): Promise<string> {
  // The preview has more than one live region (the counts, a note on splitting).
  return dialog.locator('.counts[role=status]').innerText();
}

/** Presses 创建清单 and resolves with the new plan's id once the page is on it. */
export async function createFromImport(page: Page, dialog: Locator): Promise<string> {
  await dialog.getByRole('button', { name: '创建清单', exact: true }).click();
  await page.waitForURL(/\/plan\/[A-Za-z0-9_-]+$/);
  await expect.poll(() => page.getByRole('tree').count()).toBeGreaterThan(0);
  return new URL(page.url()).pathname.split('/').pop() as string;
}
