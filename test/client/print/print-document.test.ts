import { describe, expect, it } from 'vitest';
import { agreeVersion, updateTask, readPlan } from '../../../shared/index.ts';
import { agreedOn, exportFileName, printDocument } from '../../../client/print/print-document.ts';
import { normalizePrintPrefs, DEFAULT_PRINT_PREFS } from '../../../client/storage/print-prefs.ts';
import { parseRoute, printPath } from '../../../client/router.ts';
import { peer } from '../../helpers/peers.ts';
import { buildSeedPlan, SEED_OUTLINE } from '../../helpers/seed-plan.ts';

const tasks = (d: ReturnType<typeof printDocument>) =>
  typeof d === 'string' ? [] : d.rows.flatMap((r) => (r.kind === 'task' ? [r.cells.title] : []));

describe('the printed document', () => {
  it('is the agreed version, titled with its name and date, whatever was edited since', () => {
    const doc = peer(1);
    buildSeedPlan(doc);
    const id = agreeVersion(doc, { name: '2023年4月党组会审定稿', by: '张三', at: '2023-04-10' });
    const first = readPlan(doc).tasks[1]!.children[0]!.children[0]!;
    updateTask(doc, first.id, { title: '会后改过的标题' });

    const agreed = printDocument(doc, { version: id, branch: null }, DEFAULT_PRINT_PREFS);
    expect(typeof agreed).toBe('object');
    if (typeof agreed === 'string') return;
    expect(agreed.input.title).toBe(SEED_OUTLINE.title);
    expect(agreed.input.subtitle).toBe('2023年4月党组会审定稿\u30002023年4月10日');
    expect(tasks(agreed)).toHaveLength(13);
    expect(tasks(agreed)[0]).toBe('一是加强理论武装');

    const now = printDocument(doc, { version: null, branch: null }, DEFAULT_PRINT_PREFS);
    expect(tasks(now)[0]).toBe('一是会后改过的标题');
    if (typeof now !== 'string') expect(now.input.subtitle).toBe('（讨论稿）');
  });

  it("prints one branch's 责任清单 and ignores a branch the plan does not have", () => {
    const doc = peer(1);
    const { tuixiu } = buildSeedPlan(doc);
    const one = printDocument(doc, { version: null, branch: tuixiu }, DEFAULT_PRINT_PREFS);
    expect(tasks(one)).toHaveLength(8);
    if (typeof one !== 'string') {
      expect(one.branch).toBe(tuixiu);
      expect(one.input.subtitle).toBe('离退休党支部责任清单\u3000（讨论稿）');
    }
    const all = printDocument(doc, { version: null, branch: 'nope' }, DEFAULT_PRINT_PREFS);
    expect(tasks(all)).toHaveLength(13);
  });

  it('says what is missing: the plan, or the version (not synced yet)', () => {
    const doc = peer(1);
    expect(printDocument(doc, { version: null, branch: null }, DEFAULT_PRINT_PREFS)).toBe('plan');
    buildSeedPlan(doc);
    expect(printDocument(doc, { version: 'v1', branch: null }, DEFAULT_PRINT_PREFS)).toBe(
      'version',
    );
  });

  it('writes the agreed day as the document does, and nothing for a malformed one', () => {
    expect(agreedOn('2023-04-10T09:00:00+08:00')).toBe('2023年4月10日');
    expect(agreedOn('')).toBe('');
    expect(agreedOn('April')).toBe('');
  });

  it('names export files after the title and version, without characters Windows refuses', () => {
    const input = {
      title: '清单/2023',
      subtitle: '审定稿\u30002023年4月10日',
      columns: [],
      orientation: 'landscape' as const,
    };
    expect(exportFileName(input, 'xlsx')).toBe('清单_2023（审定稿 2023年4月10日）.xlsx');
    expect(exportFileName({ ...input, subtitle: '（讨论稿）' }, 'csv')).toBe('清单_2023.csv');
  });
});

describe('print options', () => {
  it('keep valid stored values, in the table order, and fall back to the defaults', () => {
    expect(normalizePrintPrefs(undefined)).toEqual(DEFAULT_PRINT_PREFS);
    expect(
      normalizePrintPrefs({
        columns: ['notes', 'seq', 'bogus'],
        orientation: 'portrait',
        signature: true,
      }),
    ).toEqual({
      columns: ['seq', 'notes'],
      orientation: 'portrait',
      attachment: true,
      signature: true,
    });
    expect(normalizePrintPrefs({ columns: [] }).columns).toEqual(DEFAULT_PRINT_PREFS.columns);
  });
});

describe('the print route', () => {
  it('parses /plan/<id>/print with an optional version and branch, and builds it back', () => {
    expect(parseRoute('/plan/p1/print', '?version=v1&branch=b1')).toEqual({
      page: 'print',
      planId: 'p1',
      version: 'v1',
      branch: 'b1',
    });
    expect(parseRoute('/plan/p1/print/')).toEqual({
      page: 'print',
      planId: 'p1',
      version: null,
      branch: null,
    });
    expect(parseRoute('/plan/p1')).toEqual({ page: 'plan', planId: 'p1' });
    expect(parseRoute('/plan/p1/print/x')).toEqual({ page: 'not-found' });
    expect(printPath('p1', { version: 'v1' })).toBe('/plan/p1/print?version=v1');
    expect(printPath('p1')).toBe('/plan/p1/print');
  });
});
