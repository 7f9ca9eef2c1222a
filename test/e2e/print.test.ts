// The print view in real Chromium against the real relay: agree a version, keep editing,
// print the agreed version to PDF (page.pdf honouring the CSS page size) and read it back
// with poppler (pdftotext, pdfinfo).
import { beforeAll, describe, expect, onTestFinished, test } from 'vitest';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import mammoth from 'mammoth';
import { join } from 'node:path';
import type * as Y from 'yjs';
import type { Page } from 'playwright-core';
import {
  addBranch,
  addTask,
  COLUMN_LABELS,
  createPlan,
  TABLE_COLUMNS,
} from '../../shared/index.ts';
import { columnWidths, pageMargins, type Orientation } from '../../client/export/layout.ts';
import {
  ROOT,
  answerFirstUse,
  openPage,
  startProxy,
  titleField,
  useRelayAndBrowser,
  waitLazyParts,
  waitServiceWorker,
  waitSynced,
  type WatchedPage,
} from './helpers/index.ts';
import { gotoPlan, startSeededRelay } from './helpers/seed.ts';
import { columnText, pdfInfo, pdfText, pdfWords, pt, type PdfWord } from './helpers/pdf.ts';
import { buildSeedPlan, SEED_OUTLINE } from '../helpers/seed-plan.ts';

/** 4 sections × 3 items × 10 points: 120 tasks, enough for several landscape pages. */
function buildLongPlan(doc: Y.Doc): void {
  createPlan(doc, { title: '2024年度重点工作任务清单', year: 2024 });
  const b = addBranch(doc, { id: 'b1', name: '第一党支部' });
  let n = 0;
  for (let s = 1; s <= 4; s += 1) {
    const section = addTask(doc, null, { number: `${'一二三四'[s - 1]}、`, title: `第${s}部分` });
    for (let i = 1; i <= 3; i += 1) {
      const item = addTask(doc, section, {
        number: `（${'一二三'[i - 1]}）`,
        title: `第${s}.${i}项`,
      });
      for (let p = 1; p <= 10; p += 1) {
        n += 1;
        addTask(doc, item, {
          title: `任务${n}`,
          measures: `第${n}项任务的具体措施，`.repeat(1 + (n % 4)),
          lead: '分管领导',
          owners: [b],
          assignee: `责任人${n}`,
          deadline: { date: '2024-12-31' },
        });
      }
    }
  }
}

/** Every point and item-task of the seed, as the 工作任务 column prints it. */
const SEED_TASKS = SEED_OUTLINE.sections.flatMap((s) =>
  s.items.flatMap((item) =>
    item.points.length === 0
      ? [item.number + item.title]
      : item.points.map((p, i) => ['一是', '二是', '三是', '四是'][i] + p),
  ),
);

/** The 工作任务 column's left and right edges in points, with all columns. */
function titleColumn(orientation: Orientation = 'landscape'): [number, number] {
  const m = pageMargins(orientation);
  const width = orientation === 'landscape' ? 297 : 210;
  const [seq = 0, title = 0] = columnWidths(TABLE_COLUMNS, width - m.left - m.right);
  return [pt(m.left + seq), pt(m.left + seq + title)];
}

/**
 * The words of the table's body: below the header row on each page, above the bottom of
 * the text block (where the page number sits).
 */
function tableBody(words: readonly PdfWord[], orientation: Orientation = 'landscape'): PdfWord[] {
  const bottom = pt((orientation === 'landscape' ? 210 : 297) - pageMargins(orientation).bottom);
  const header = new Map<number, number>();
  // Poppler's boxes are the font's full height, so the first row's box overlaps the
  // header's; compare the tops.
  for (const w of words) if (w.text === '工作任务') header.set(w.page, w.y0);
  return words.filter((w) => w.y0 > (header.get(w.page) ?? Infinity) + 2 && w.y0 < bottom);
}

/**
 * Interface text that must never reach paper: every message of the print view and the app
 * shell, as the source writes it, except the column names the toolbar shares with the
 * document and the brand 清单 (a word of many plan titles).
 */
const INTERFACE = ['client/print', 'client/components/cl-app.ts']
  .flatMap((p) => {
    const path = join(ROOT, p);
    const files = p.endsWith('.ts')
      ? [path]
      : readdirSync(path)
          .filter((f) => f.endsWith('.ts'))
          .map((f) => join(path, f));
    return files.flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/msg\('([^']+)'/g)].map((m) => m[1] as string),
    );
  })
  .filter((t) => t !== '清单' && !Object.values(COLUMN_LABELS).includes(t));

const suite = useRelayAndBrowser(() =>
  startSeededRelay([
    { id: 'agreed2023', build: (d) => void buildSeedPlan(d) },
    { id: 'seed2023', build: (d) => void buildSeedPlan(d) },
    { id: 'both2023', build: (d) => void buildSeedPlan(d) },
    { id: 'long2024', build: buildLongPlan },
  ]),
);

beforeAll(() => {
  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
});

async function person(
  name = '张三',
  baseURL = suite.relay.url,
  serviceWorkers: 'allow' | 'block' = 'allow',
): Promise<WatchedPage> {
  const w = await openPage(suite.browser, { name, baseURL, serviceWorkers });
  onTestFinished(() => {
    expect(w.errors).toEqual([]);
  });
  await w.page.goto('/');
  await answerFirstUse(w.page, name, '机关党支部');
  return w;
}

/** Agrees the plan open in `page` as a version, through the 审定版本 panel. */
async function agree(page: Page, name: string, date: string): Promise<void> {
  const panel = page.getByRole('button', { name: '审定版本' });
  if ((await panel.getAttribute('aria-pressed')) !== 'true') await panel.click();
  await page.getByRole('button', { name: '审定当前清单…' }).click();
  const dialog = page.getByRole('dialog', { name: '审定清单' });
  await dialog.getByLabel('版本名称').fill(name);
  await dialog.getByLabel('审定日期').fill(date);
  await dialog.getByRole('button', { name: '审定', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
}

/**
 * True when one of the client's IndexedDB stores (idb-keyval: one database per store) holds
 * a record under `key`, or under an array key that starts with it (the plan's update log is
 * stored as [planId, entry] records).
 */
function stored(page: Page, db: string, store: string, key: string): Promise<boolean> {
  return page.evaluate(
    ([db, store, key]) =>
      new Promise<boolean>((resolve) => {
        const open = indexedDB.open(db);
        open.onerror = () => resolve(false);
        open.onsuccess = () => {
          const conn = open.result;
          if (!conn.objectStoreNames.contains(store)) return resolve(false);
          const keys = conn.transaction(store).objectStore(store).getAllKeys();
          keys.onsuccess = () =>
            resolve(keys.result.some((k) => k === key || (Array.isArray(k) && k[0] === key)));
          keys.onerror = () => resolve(false);
        };
      }),
    [db, store, key] as const,
  );
}

/** Clicks an export button and returns the downloaded file's name and bytes. */
async function download(page: Page, button: string): Promise<{ name: string; bytes: Buffer }> {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: button }).click(),
  ]);
  const path = await file.path();
  return { name: file.suggestedFilename(), bytes: readFileSync(path) };
}

/** Waits for the print view to show `tasks` task rows, then prints it to PDF. */
async function printPdf(page: Page, tasks: number): Promise<Uint8Array> {
  await expect.poll(() => page.locator('cl-print-view tr.task').count()).toBe(tasks);
  return page.pdf({ preferCSSPageSize: true });
}

describe('the print view', () => {
  test('prints exactly the agreed version, in order, while the plan moves on', async () => {
    const { page } = await person();
    await gotoPlan(page, 'agreed2023');
    await page.getByRole('checkbox', { name: '加强理论武装', exact: true }).waitFor();

    await page.getByRole('button', { name: '审定版本' }).click();
    await page.getByRole('button', { name: '审定当前清单…' }).click();
    const dialog = page.getByRole('dialog', { name: '审定清单' });
    expect(await dialog.getByLabel('审定人').inputValue()).toBe('张三');
    await dialog.getByRole('button', { name: '取消' }).click();
    await dialog.waitFor({ state: 'detached' });
    await agree(page, '2023年4月党组会审定稿', '2023-04-10');
    await page.getByText('审定以来没有改动。').waitFor();

    // Work goes on after the meeting: a title edited, a task added.
    await titleField(page, '加强理论武装').focus();
    await page.keyboard.press('End');
    await page.keyboard.type('和党性教育');
    await page.keyboard.press('Tab');
    await page
      .getByRole('button', { name: '在 强化监督制约，夯实拒腐防变基础 下添加子项' })
      .click();
    await page.keyboard.type('会后新增的任务');
    await page.keyboard.press('Tab');
    await page.getByRole('checkbox', { name: '会后新增的任务', exact: true }).waitFor();
    // The comparison lists both, and the tree marks them.
    const changes = page.getByRole('list', { name: '改动' });
    await expect.poll(() => changes.getByRole('listitem').count()).toBe(2);
    await page.getByRole('treeitem', { name: /会后新增的任务（新增）$/ }).waitFor();
    await page.getByRole('treeitem', { name: /加强理论武装和党性教育（已改）$/ }).waitFor();

    await page.getByRole('link', { name: '查看和打印 2023年4月党组会审定稿' }).click();
    await page.waitForURL(/\/plan\/agreed2023\/print\?version=/);
    const pdf = await printPdf(page, 13);
    writeFileSync(join(ROOT, 'test-results/agreed-print.pdf'), pdf);

    const text = pdfText(pdf);
    expect(text).toContain(SEED_OUTLINE.title);
    expect(text).toContain('2023年4月党组会审定稿');
    expect(text).toContain('2023年4月10日');
    for (const later of ['和党性教育', '会后新增的任务']) expect(text).not.toContain(later);
    expect(INTERFACE.length).toBeGreaterThan(20);
    const flat = text.replace(/\s+/g, '');
    for (const label of INTERFACE) expect(flat).not.toContain(label.replace(/\s+/g, ''));
    // The 工作任务 column holds exactly the agreed tasks, in order, and nothing else.
    const [x0, x1] = titleColumn();
    expect(columnText(tableBody(pdfWords(pdf)), x0, x1)).toBe(SEED_TASKS.join(''));
  });

  test('fits the seed plan on the expected pages: A4 landscape, numbered — n —', async () => {
    const { page } = await person();
    await gotoPlan(page, 'seed2023', '/print');
    const pdf = await printPdf(page, 13);
    writeFileSync(join(ROOT, 'test-results/seed-print.pdf'), pdf);
    const info = pdfInfo(pdf);
    // A4 landscape in points.
    expect(Math.round(info.width)).toBe(842);
    expect(Math.round(info.height)).toBe(595);
    // The 附件 line, title and version line take a quarter of the 156 mm text block; the 13
    // rows, one to three lines of 小四 each, and their seven headings need the rest of it and
    // most of a second page.
    expect(info.pages).toBe(2);
    for (let p = 1; p <= info.pages; p += 1)
      expect(pdfText(pdf, p).replace(/\s+/g, '')).toContain(`—${p}—`);
  });

  test('repeats the header row on every page of a long plan, in Chinese whatever the interface language', async () => {
    const { page } = await person();
    await gotoPlan(page, 'long2024', '/print');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: 'Export Word' }).waitFor();
    const pdf = await printPdf(page, 120);
    writeFileSync(join(ROOT, 'test-results/long-print.pdf'), pdf);
    const { pages } = pdfInfo(pdf);
    expect(pages).toBeGreaterThan(5);
    const text = pdfText(pdf);
    for (const label of ['Print', 'Export', 'Scope', 'Columns', 'Back'])
      expect(text).not.toContain(label);
    const words = pdfWords(pdf);
    for (let p = 1; p <= pages; p += 1) {
      const on = words.filter((w) => w.page === p);
      const header = on.find((w) => w.text === '工作任务');
      expect(header, `header on page ${p}`).toBeDefined();
      for (const label of ['具体措施', '牵头领导', '责任单位', '完成时限', '备注（进展）'])
        expect(
          on.some((w) => w.text === label && Math.abs(w.y0 - (header?.y0 ?? 0)) < 2),
          `${label} on page ${p}`,
        ).toBe(true);
      const tasks = on.filter((w) => /^任务\d+$/.test(w.text));
      expect(tasks.length, `tasks on page ${p}`).toBeGreaterThan(0);
      expect(Math.min(...tasks.map((t) => t.y0))).toBeGreaterThan(header?.y0 ?? Infinity);
    }
    const [x0, x1] = titleColumn();
    const all = Array.from({ length: 120 }, (_, i) => `任务${i + 1}`).join('');
    expect(columnText(tableBody(words), x0, x1)).toBe(all);
    // No row is split across pages: a task's title and its 责任人 are on the same page (its
    // measures, one to four sentences long, come between).
    const m = pageMargins('landscape');
    const w = columnWidths(TABLE_COLUMNS, 297 - m.left - m.right);
    const left = (i: number) => pt(m.left + w.slice(0, i).reduce((a, b) => a + b, 0));
    const body = tableBody(words);
    const pagesWith = (x0: number, x1: number, re: RegExp) =>
      Array.from({ length: pages }, (_, i) => i + 1).filter((p) =>
        re.test(
          columnText(
            body.filter((w) => w.page === p),
            x0,
            x1,
          ),
        ),
      );
    const col = (c: (typeof TABLE_COLUMNS)[number]) => TABLE_COLUMNS.indexOf(c);
    for (let n = 1; n <= 120; n += 1) {
      const title = pagesWith(
        left(col('title')),
        left(col('title') + 1),
        new RegExp(`任务${n}(?!\\d)`),
      );
      expect(title, `row ${n}`).toHaveLength(1);
      expect(
        pagesWith(
          left(col('assignee')),
          left(col('assignee') + 1),
          new RegExp(`责任人${n}(?!\\d)`),
        ),
        `row ${n}`,
      ).toEqual(title);
    }
  });

  test('opens with no network, remembers the columns, and exports files that open', async () => {
    const { page, context } = await person();
    await gotoPlan(page, 'seed2023', '/print');
    await expect.poll(() => page.locator('cl-print-view tr.task').count()).toBe(13);
    // Installing precaches every chunk (the exporters are 1.2 MB): on a loaded machine that
    // can take a while, so wait for the worker to be active before asking who controls.
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await waitServiceWorker(page);
    await expect.poll(() => stored(page, 'qingdan-docs', 'updates', 'seed2023')).toBe(true);
    await page.getByRole('checkbox', { name: '具体措施' }).uncheck();
    await expect.poll(() => page.locator('cl-print-view th').count()).toBe(7);
    await expect.poll(() => stored(page, 'qingdan-prefs', 'prefs', 'print')).toBe(true);

    await context.setOffline(true);
    await page.reload();
    await expect.poll(() => page.locator('cl-print-view tr.task').count()).toBe(13);
    await expect.poll(() => page.locator('cl-print-view th').count()).toBe(7);
    expect(await page.getByRole('checkbox', { name: '具体措施' }).isChecked()).toBe(false);
    const headers = await page.locator('cl-print-view th').allInnerTexts();
    expect(headers).toEqual([
      '序号',
      '工作任务',
      '牵头领导',
      '责任单位',
      '责任人',
      '完成时限',
      '备注（进展）',
    ]);

    // The exporters are loaded on demand, from the service worker's cache when offline.
    const xlsx = await download(page, '导出 Excel');
    expect(xlsx.name).toBe(`${SEED_OUTLINE.title}.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(
      xlsx.bytes.buffer.slice(
        xlsx.bytes.byteOffset,
        xlsx.bytes.byteOffset + xlsx.bytes.byteLength,
      ) as ArrayBuffer,
    );
    const rows: string[][] = [];
    wb.worksheets[0]?.eachRow((row) => {
      rows.push(headers.map((_, i) => String(row.getCell(i + 1).value ?? '')));
    });
    expect(rows).toContainEqual(headers);
    const taskRows = rows.filter((r) => /^\d+$/.test(r[0] ?? ''));
    expect(taskRows.map((r) => r[1])).toEqual(SEED_TASKS);
    expect(taskRows[0]).toEqual([
      '1',
      SEED_TASKS[0],
      '局党组书记',
      '机关党支部',
      '责任人1',
      '2023年6月30日',
      '',
    ]);

    const docx = await download(page, '导出 Word');
    const { value } = await mammoth.extractRawText({ buffer: docx.bytes });
    let at = 0;
    for (const t of SEED_TASKS) {
      const found = value.indexOf(t, at);
      expect(found, t).toBeGreaterThan(at - 1);
      at = found;
    }
    expect(value).not.toContain('具体措施');

    const csv = await download(page, '导出 CSV');
    const text = csv.bytes.toString('utf8');
    expect(text.startsWith('\uFEFF序号,工作任务,牵头领导')).toBe(true);
    expect(text.split('\r\n').filter((l) => /^\d+,/.test(l))).toHaveLength(13);
  });

  test("prints one branch's 责任清单 in portrait with a signature area", async () => {
    const { page } = await person();
    await gotoPlan(page, 'seed2023', '/print');
    await expect.poll(() => page.locator('cl-print-view tr.task').count()).toBe(13);
    await page.getByLabel('打印范围').selectOption({ label: '离退休党支部责任清单' });
    await page.waitForURL(/\/plan\/seed2023\/print\?branch=tuixiu$/);
    await page.getByLabel('纵向').check();
    await page.getByLabel('签字栏').check();
    const pdf = await printPdf(page, 8);
    writeFileSync(join(ROOT, 'test-results/branch-print.pdf'), pdf);

    const info = pdfInfo(pdf);
    expect([Math.round(info.width), Math.round(info.height)]).toEqual([595, 842]);
    const text = pdfText(pdf).replace(/\s+/g, '');
    expect(text).toContain('离退休党支部责任清单');
    expect(text).toContain('审定人：');
    // Only the tasks 离退休党支部 is responsible for: every other point, and 保障措施's items.
    const [x0, x1] = titleColumn('portrait');
    expect(columnText(tableBody(pdfWords(pdf), 'portrait'), x0, x1)).toBe(
      SEED_TASKS.filter((_, i) => i % 2 === 1 || i >= 10).join(''),
    );
    // A heading is never the last line of a page: 三、保障措施 went over with its items.
    const heading = pdfWords(pdf).find((w) => w.text === '三、保障措施');
    expect(heading?.page).toBe(2);
  });

  test('the versions panel and the print view open offline before any service worker controls the page', async () => {
    // A first visit that loses the network at once: no service worker has taken the page yet.
    const { page, context } = await person('王五', suite.relay.url, 'block');
    await gotoPlan(page, 'seed2023');
    await waitSynced(page);
    // The page fetches both in the background once it has settled.
    await waitLazyParts(page);
    await context.setOffline(true);
    await page.getByRole('button', { name: '审定版本' }).click();
    await page.getByRole('button', { name: '审定当前清单…' }).waitFor();
    await page.getByRole('button', { name: '打印和导出' }).click();
    await expect.poll(() => page.locator('cl-print-view tr.task').count()).toBe(13);
  });

  test('a part never fetched says so offline, and opens once the network is back', async () => {
    const { page } = await person('赵六', suite.relay.url, 'block');
    // The network fails for the two lazily loaded parts, as if it went away before they came.
    const lazyParts = /\/assets\/(cl-versions|cl-print-page)-[^/]*\.js$/;
    await page.route(lazyParts, (route) => route.abort('internetdisconnected'));
    await gotoPlan(page, 'seed2023');
    await waitSynced(page);
    const panel = page.getByRole('button', { name: '审定版本' });
    await panel.click();
    await expect
      .poll(() => page.getByRole('alert').innerText())
      .toBe('审定版本面板尚未下载到本设备，请联网后再打开。');
    await page.getByRole('button', { name: '打印和导出' }).click();
    await expect
      .poll(() => page.getByRole('alert').innerText())
      .toBe('打印视图尚未下载到本设备，请联网后再打开。');

    await page.unroute(lazyParts);
    await page.goBack();
    await panel.click();
    await page.getByRole('button', { name: '审定当前清单…' }).waitFor();
    await page.getByRole('button', { name: '打印和导出' }).click();
    await expect.poll(() => page.locator('cl-print-view tr.task').count()).toBe(13);
  });

  test('two people agreeing offline at once make two whole versions, never a mix', async () => {
    const people = [];
    for (const [name, edit] of [
      ['张三', '加强理论武装'],
      ['李四', '强化廉政教育'],
    ] as const) {
      const proxy = await startProxy(suite.relay.port);
      onTestFinished(() => proxy.close());
      const { page } = await person(name, proxy.url);
      await gotoPlan(page, 'both2023');
      await page.getByRole('checkbox', { name: edit, exact: true }).waitFor();
      await waitSynced(page);
      // The 审定版本 panel is needed offline below, whether or not a service worker has
      // taken the page by then.
      await waitLazyParts(page);
      people.push({ name, edit, page, proxy });
    }
    for (const p of people) {
      p.proxy.cut();
      await expect.poll(() => p.page.locator('cl-sync-status .state').innerText()).toBe('离线');
    }
    for (const p of people) {
      await titleField(p.page, p.edit).fill(`${p.edit}（${p.name}改）`);
      await agree(p.page, `${p.name}的审定稿`, '2023-04-10');
    }
    for (const p of people) p.proxy.restore();
    for (const p of people) {
      const list = p.page.getByRole('list', { name: '审定版本' });
      await expect.poll(() => list.getByRole('listitem').count(), { timeout: 20_000 }).toBe(2);
    }
    // Each version is what its agreer saw: their own edit, not the other's.
    const [a] = people;
    for (const p of people) {
      await gotoPlan(a!.page, 'both2023');
      await a!.page.getByRole('button', { name: '审定版本' }).click();
      await a!.page.getByRole('link', { name: `查看和打印 ${p.name}的审定稿` }).click();
      await expect.poll(() => a!.page.locator('cl-print-view tr.task').count()).toBe(13);
      const text = await a!.page.locator('cl-print-view tbody').innerText();
      for (const q of people)
        expect(text.includes(`（${q.name}改）`), `${p.name}的审定稿 has ${q.name}'s edit`).toBe(
          q === p,
        );
    }
  });
});
