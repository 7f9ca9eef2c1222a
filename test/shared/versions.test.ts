import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  AppError,
  addTask,
  agreeVersion,
  comparePlans,
  moveTask,
  planTable,
  readPlan,
  readVersion,
  readVersions,
  removeTask,
  tableToCsv,
  tasksOf,
  updateTask,
  type TableRow,
} from '../../shared/index.ts';
import { peer, peers, syncAll } from '../helpers/peers.ts';
import { buildSeedPlan, SEED_OUTLINE } from '../helpers/seed-plan.ts';

const ALL_POINTS = SEED_OUTLINE.sections.flatMap((s) =>
  s.items.flatMap((i) => (i.points.length > 0 ? [...i.points] : [i.title])),
);

const taskTitles = (rows: readonly TableRow[]): string[] =>
  rows.flatMap((r) => (r.kind === 'task' ? [r.cells.title] : []));

function idOf(doc: Y.Doc, title: string): string {
  for (const [id, t] of tasksOf(doc)) if (String(t.get('title')) === title) return id;
  throw new Error(`no task ${title}`);
}

describe('agreed versions', () => {
  it('freezes the plan as a named, dated version that later edits do not touch', () => {
    const doc = peer(1);
    buildSeedPlan(doc);
    const id = agreeVersion(doc, {
      name: '2023年4月党组会审定稿',
      by: '局党组',
      at: '2023-04-10T09:00:00+08:00',
    });
    const agreed = readPlan(doc);
    updateTask(doc, idOf(doc, '加强理论武装'), { title: '全面加强理论武装' });
    removeTask(doc, idOf(doc, '抓好督促检查'));
    const v = readVersion(doc, id);
    expect(v?.plan).toEqual(agreed);
    expect(v).toMatchObject({ name: '2023年4月党组会审定稿', by: '局党组', taskCount: 13 });
    expect(readVersions(doc)).toEqual([
      {
        id,
        name: '2023年4月党组会审定稿',
        by: '局党组',
        at: '2023-04-10T09:00:00+08:00',
        taskCount: 13,
      },
    ]);
  });

  it('two people agreeing at once offline make two whole versions', () => {
    const [a, b] = peers(2) as [Y.Doc, Y.Doc];
    buildSeedPlan(a);
    syncAll(a, b);
    updateTask(a, idOf(a, '加强理论武装'), { status: 'done' });
    updateTask(b, idOf(b, '强化廉政教育'), { status: 'done' });
    const va = agreeVersion(a, { name: '甲稿', by: '甲', at: '2023-04-10T09:00:00Z' });
    const vb = agreeVersion(b, { name: '乙稿', by: '乙', at: '2023-04-10T09:00:01Z' });
    const planA = readPlan(a);
    const planB = readPlan(b);
    syncAll(a, b);
    expect(readVersions(a).map((v) => v.name)).toEqual(['乙稿', '甲稿']);
    expect(readVersion(b, va)?.plan).toEqual(planA);
    expect(readVersion(a, vb)?.plan).toEqual(planB);
  });

  it('refuses a version without a name, agreer or valid time, changing nothing', () => {
    const doc = peer(1);
    buildSeedPlan(doc);
    const sv = Y.encodeStateVector(doc);
    for (const bad of [
      { name: ' ', by: '甲', at: '2023-04-10' },
      { name: '稿', by: '', at: '2023-04-10' },
      { name: '稿', by: '甲', at: 'yesterday' },
    ])
      expect(() => agreeVersion(doc, bad)).toThrow(AppError);
    expect(Y.encodeStateVector(doc)).toEqual(sv);
  });

  it('reads a version a peer wrote malformed without throwing, keeping what is sound', () => {
    const doc = peer(1);
    const versions = doc.getMap<unknown>('versions');
    versions.set('junk', 'not a version');
    versions.set('no-plan', { name: '稿', by: '甲', at: '2023-04-10' });
    versions.set('odd', {
      name: 7,
      at: '2023-04-10',
      plan: {
        title: '清单',
        branches: [null, { id: 'b1', name: '支部' }, { name: 'no id' }],
        tasks: [
          null,
          { title: 'no id' },
          {
            id: 's1',
            title: '部分',
            children: [{ id: 't1', title: '任务', owners: ['b1', 3], status: 'weird' }, 'x'],
          },
        ],
      },
    });
    expect(readVersion(doc, 'junk')).toBeNull();
    expect(readVersion(doc, 'no-plan')).toBeNull();
    const v = readVersion(doc, 'odd');
    expect(v).toMatchObject({ name: '', by: '', taskCount: 1 });
    expect(v?.plan.branches).toEqual([{ id: 'b1', name: '支部' }]);
    expect(v?.plan.tasks[0]?.children[0]).toMatchObject({
      id: 't1',
      owners: ['b1'],
      status: 'todo',
      deadline: {},
      children: [],
    });
    expect(taskTitles(planTable(v!.plan))).toEqual(['任务']);
    expect(readVersions(doc).map((x) => x.id)).toEqual(['odd']);
  });
});

describe('comparePlans', () => {
  it('lists tasks added, removed, moved and fields changed since a version', () => {
    const doc = peer(1);
    const { tuixiu } = buildSeedPlan(doc);
    const base = readPlan(doc);
    const item1 = idOf(doc, '忠诚拥护“两个确立”，坚决做到“两个维护”');
    addTask(doc, item1, { id: 'new', title: '开展专题培训' });
    removeTask(doc, idOf(doc, '细化工作措施'));
    moveTask(doc, idOf(doc, '严肃党内政治生活'), item1, { before: idOf(doc, '加强理论武装') });
    moveTask(doc, idOf(doc, '抓好督促检查'), idOf(doc, '强化监督制约，夯实拒腐防变基础'));
    updateTask(doc, idOf(doc, '强化廉政教育'), {
      title: '强化廉政警示教育',
      owners: [tuixiu],
      deadline: { text: '长期坚持' },
    });
    const changes = comparePlans(base, readPlan(doc));
    expect(changes).toEqual([
      {
        kind: 'moved',
        id: expect.any(String),
        title: '严肃党内政治生活',
        from: item1Title,
        to: item1Title,
      },
      {
        kind: 'changed',
        id: expect.any(String),
        title: '强化廉政警示教育',
        fields: [
          { field: 'title', before: '强化廉政教育', after: '强化廉政警示教育' },
          { field: 'owners', before: '机关党支部、离退休党支部', after: '离退休党支部' },
          { field: 'deadline', before: '2023-06-30', after: '长期坚持' },
        ],
      },
      { kind: 'added', id: 'new', title: '开展专题培训' },
      {
        kind: 'moved',
        id: expect.any(String),
        title: '抓好督促检查',
        from: '保障措施',
        to: '强化监督制约，夯实拒腐防变基础',
      },
      { kind: 'removed', id: expect.any(String), title: '细化工作措施' },
    ]);
    expect(comparePlans(base, base)).toEqual([]);
  });
});
const item1Title = '忠诚拥护“两个确立”，坚决做到“两个维护”';

describe('planTable', () => {
  it('lays the seed out as the meeting table: headings, 13 tasks numbered 1–13', () => {
    const doc = peer(1);
    buildSeedPlan(doc);
    const rows = planTable(readPlan(doc));
    expect(
      rows.filter((r) => r.kind === 'group').map((r) => r.kind === 'group' && r.number + r.title),
    ).toEqual([
      '二、工作要求',
      '（一）' + item1Title,
      '（二）深化全面从严治党，推动管党治党责任落实',
      '（三）强化监督制约，夯实拒腐防变基础',
      '三、保障措施',
    ]);
    const tasks = rows.filter((r) => r.kind === 'task');
    expect(tasks.map((r) => r.kind === 'task' && r.cells.seq)).toEqual(
      Array.from({ length: 13 }, (_, i) => String(i + 1)),
    );
    expect(
      taskTitles(rows).map((t) => t.replace(/^(一是|二是|三是|四是|（[一二三]）)/, '')),
    ).toEqual(ALL_POINTS);
    expect(tasks[0]).toMatchObject({
      cells: {
        title: '一是加强理论武装',
        lead: '局党组书记',
        owners: '机关党支部',
        assignee: '责任人1',
        deadline: '2023年6月30日',
      },
    });
    expect(tasks[1]).toMatchObject({ cells: { owners: '机关党支部、离退休党支部' } });
  });

  it('keeps only one branch’s tasks and the headings above them', () => {
    const doc = peer(1);
    const { tuixiu } = buildSeedPlan(doc);
    const rows = planTable(readPlan(doc), { branch: tuixiu });
    const titles = taskTitles(rows);
    const plan = readPlan(doc);
    const expected: string[] = [];
    const walk = (nodes: typeof plan.tasks): void => {
      for (const n of nodes) {
        if (n.children.length === 0 && n.owners.includes(tuixiu)) expected.push(n.number + n.title);
        walk(n.children);
      }
    };
    walk(plan.tasks);
    expect(titles).toEqual(expected);
    expect(titles.length).toBeGreaterThan(0);
    expect(titles.length).toBeLessThan(13);
    // No heading is left without a task under it.
    rows.forEach((r, i) => {
      if (r.kind === 'group') expect(rows.slice(i + 1).some((x) => x.kind === 'task')).toBe(true);
    });
  });

  it('exports CSV with a BOM, CRLF and quoted cells', () => {
    const doc = peer(1);
    buildSeedPlan(doc);
    updateTask(doc, idOf(doc, '加强理论武装'), { measures: '学习“两个确立”,\n做到"两个维护"' });
    const csv = tableToCsv(planTable(readPlan(doc)));
    expect(
      csv.startsWith(
        '\uFEFF序号,工作任务,具体措施,牵头领导,责任单位,责任人,完成时限,备注（进展）\r\n',
      ),
    ).toBe(true);
    expect(csv).toContain(',二、工作要求,,');
    expect(csv).toContain(
      '1,一是加强理论武装,"学习“两个确立”,\n做到""两个维护""",局党组书记,机关党支部,责任人1,2023年6月30日,\r\n',
    );
    expect(csv.endsWith('\r\n')).toBe(true);
  });
});
