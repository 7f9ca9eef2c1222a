import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import mammoth from 'mammoth';
import { TABLE_COLUMNS, planTable, readPlan, type TableRow } from '../../shared/index.ts';
import { buildDocx } from '../../client/export/docx.ts';
import { buildXlsx } from '../../client/export/xlsx.ts';
import { peer } from '../helpers/peers.ts';
import { buildSeedPlan, SEED_OUTLINE } from '../helpers/seed-plan.ts';

function seedRows(): TableRow[] {
  const doc = peer(1);
  buildSeedPlan(doc);
  return planTable(readPlan(doc));
}

const input = {
  title: SEED_OUTLINE.title,
  subtitle: '2023年4月党组会审定稿　2023年4月10日',
  columns: TABLE_COLUMNS,
  orientation: 'landscape' as const,
  signature: true,
  attachment: true,
};

const tasks = (rows: readonly TableRow[]) => rows.flatMap((r) => (r.kind === 'task' ? [r] : []));

describe('xlsx export', () => {
  it('opens with exceljs and holds every task with its fields, in order', async () => {
    const rows = seedRows();
    const bytes = await buildXlsx(rows, input);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes.buffer as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws).toBeDefined();
    const values: string[][] = [];
    ws?.eachRow((row) => {
      const cells: string[] = [];
      for (let i = 1; i <= TABLE_COLUMNS.length; i += 1)
        cells.push(String(row.getCell(i).value ?? ''));
      values.push(cells);
    });
    expect(values[0]?.[0]).toBe('附件');
    expect(values[1]?.[0]).toBe(SEED_OUTLINE.title);
    expect(values[3]).toEqual([
      '序号',
      '工作任务',
      '具体措施',
      '牵头领导',
      '责任单位',
      '责任人',
      '完成时限',
      '备注（进展）',
    ]);
    const taskRows = values.filter((v) => /^\d+$/.test(v[0] ?? ''));
    expect(taskRows).toEqual(tasks(rows).map((t) => TABLE_COLUMNS.map((c) => t.cells[c])));
    expect(taskRows).toHaveLength(13);
    expect(ws?.pageSetup.orientation).toBe('landscape');
    expect(ws?.pageSetup.printTitlesRow).toBe('4:4');
  });
});

describe('docx export', () => {
  it('opens with mammoth and holds every task with its fields, in order', async () => {
    const rows = seedRows();
    const bytes = await buildDocx(rows, input);
    const { value } = await mammoth.extractRawText({ buffer: Buffer.from(bytes) });
    const text = value.replace(/\n+/g, '\n');
    expect(text).toContain(SEED_OUTLINE.title);
    expect(text).toContain('2023年4月党组会审定稿');
    let at = 0;
    for (const t of tasks(rows)) {
      for (const c of TABLE_COLUMNS) {
        if (t.cells[c] === '') continue;
        const found = text.indexOf(t.cells[c], c === 'seq' ? at : 0);
        expect(found, `${t.cells.title} ${c}`).toBeGreaterThanOrEqual(0);
      }
      const titleAt = text.indexOf(t.cells.title, at);
      expect(titleAt, t.cells.title).toBeGreaterThan(at - 1);
      at = titleAt;
    }
  });

  it('sets A4 landscape, the GB/T 9704 margins, a repeated header row and unsplittable rows', async () => {
    const bytes = await buildDocx(seedRows(), input);
    const zip = await JSZip.loadAsync(bytes);
    const xml = (await zip.file('word/document.xml')?.async('string')) ?? '';
    const twip = (mm: number) => Math.round((mm / 25.4) * 1440);
    expect(xml).toMatch(/<w:pgSz [^>]*w:orient="landscape"/);
    const margin = (side: string) =>
      Number(new RegExp(`<w:pgMar [^>]*w:${side}="(\\d+)"`).exec(xml)?.[1]);
    // Landscape: the 225 × 156 mm text block, binding edge at the top.
    for (const [side, mm] of [
      ['top', 28],
      ['right', 35],
      ['bottom', 26],
      ['left', 37],
    ] as const)
      expect(Math.abs(margin(side) - twip(mm)), side).toBeLessThanOrEqual(1);
    expect(xml).toContain('<w:tblHeader/>');
    expect((xml.match(/<w:cantSplit\/>/g) ?? []).length).toBeGreaterThanOrEqual(13);
    expect(xml).toContain('w:eastAsia="方正小标宋简体"');
    expect(xml).toContain('w:eastAsia="黑体"');
    expect(xml).toContain('w:eastAsia="仿宋_GB2312"');
    const settings = (await zip.file('word/settings.xml')?.async('string')) ?? '';
    expect(settings).toContain('<w:evenAndOddHeaders/>');
    const footers = Object.keys(zip.files).filter((f) => /word\/footer\d+\.xml/.test(f));
    const footerXml = await Promise.all(footers.map((f) => zip.file(f)?.async('string')));
    expect(footerXml.some((x) => x?.includes('w:val="right"') && x.includes('PAGE'))).toBe(true);
    expect(footerXml.some((x) => x?.includes('w:val="left"') && x.includes('PAGE'))).toBe(true);
  });
});
