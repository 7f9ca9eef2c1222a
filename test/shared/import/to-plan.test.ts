import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addBranch, addTask, createPlan, readPlan, type TaskNode } from '../../../shared/index.ts';
import {
  deadlineDate,
  importPolicyText,
  isImportError,
  outlineToPlan,
} from '../../../shared/import/index.ts';
import { peer, syncAll } from '../../helpers/peers.ts';
import { fixture } from './helpers.ts';

const count = (nodes: readonly TaskNode[]): number =>
  nodes.reduce((n, t) => n + 1 + count(t.children), 0);

describe('deadlineDate', () => {
  it.each([
    ['2023年6月底前', 2023, '2023-06-30'],
    ['2023年12月', null, '2023-12-31'],
    ['2024年9月30日', null, '2024-09-30'],
    ['2024年2月底', null, '2024-02-29'],
    ['2024年第三季度', null, '2024-09-30'],
    ['2024年上半年', null, '2024-06-30'],
    ['2024年3月至6月', null, '2024-06-30'],
    ['6月底前', 2023, '2023-06-30'],
    ['年底前', 2024, '2024-12-31'],
    ['二〇二四年十月', null, '2024-10-31'],
  ])('reads “%s” (plan year %s) as %s', (text, year, date) => {
    expect(deadlineDate(text, year)).toBe(date);
  });

  it.each([['长期坚持'], ['持续推进'], ['6月底前']])(
    'gives no date for “%s” without a year',
    (t) => {
      expect(deadlineDate(t)).toBeUndefined();
    },
  );
});

describe('outlineToPlan', () => {
  it('creates the seed as a plan: title, year, and its 3 + 6 + 10 nodes in order', () => {
    const doc = peer(1);
    const outline = importPolicyText(fixture('2023-party-conduct-implementation-opinions.txt'));
    const result = outlineToPlan(doc, outline);
    const plan = readPlan(doc);
    expect(plan.title).toBe('2023年关于加强党风廉政建设和反腐败工作的实施意见');
    expect(plan.year).toBe(2023);
    expect(plan.tasks.map((t) => [t.number, t.title])).toEqual([
      ['一、', '总体思路'],
      ['二、', '工作要求'],
      ['三、', '保障措施'],
    ]);
    expect(count(plan.tasks)).toBe(19);
    expect(result.taskIds).toHaveLength(19);
    const point = plan.tasks[1]?.children[0]?.children[0];
    expect(point?.number).toBe('一是');
    expect(point?.title).toBe('加强理论武装');
    expect(point?.measures.startsWith('结合党组理论学习中心组')).toBe(true);
  });

  it('makes one branch per owner name, reuses an existing one, and dates the deadlines', () => {
    const doc = peer(1);
    createPlan(doc, { title: '整改清单', year: 2024 });
    const office = addBranch(doc, { name: '办公室' });
    outlineToPlan(doc, importPolicyText(fixture('rectification-plan.txt')));
    const plan = readPlan(doc);
    expect(plan.title).toBe('整改清单');
    expect(plan.branches.map((b) => b.name)).toEqual(['办公室', '财务股', '规划股']);
    const byName = new Map(plan.branches.map((b) => [b.name, b.id]));
    const rows = plan.tasks[0]?.children ?? [];
    expect(rows.map((r) => [r.lead, r.owners, r.deadline])).toEqual([
      ['张明', [office], { text: '2024年6月底前', date: '2024-06-30' }],
      ['李华', [office, byName.get('财务股')], { text: '2024年9月30日', date: '2024-09-30' }],
      ['王强', [byName.get('财务股'), byName.get('规划股')], { text: '长期坚持' }],
    ]);
  });

  it('gives each task its 责任人 as the assignee', () => {
    const doc = peer(1);
    outlineToPlan(
      doc,
      importPolicyText(
        '序号\t工作任务\t牵头领导\t责任人\t完成时限\n1\t加强学习\t王书记\t李四\t6月底前\n2\t强化监督\t王书记\t\t长期坚持',
      ),
    );
    expect(readPlan(doc).tasks.map((t) => [t.lead, t.assignee])).toEqual([
      ['王书记', '李四'],
      ['王书记', ''],
    ]);
  });

  it('uses the plan year for a deadline that names no year', () => {
    const doc = peer(1);
    const outline = importPolicyText(
      '2024年工作要点\n一、加强学习\n组织集中学习，推动工作落实。\n完成时限：6月底前\n二、强化监督\n开展监督检查，落实整改责任。',
    );
    outlineToPlan(doc, outline);
    expect(readPlan(doc).tasks[0]?.deadline).toEqual({ text: '6月底前', date: '2024-06-30' });
  });

  it('names an untitled outline, and ignores a year the plan cannot take', () => {
    const doc = peer(1);
    const outline = importPolicyText(
      '一、加强学习\n组织学习，推动工作落实。\n二、强化监督\n落实监督责任。',
    );
    outlineToPlan(doc, { ...outline, title: '1900年旧档案整理' });
    expect(readPlan(doc)).toMatchObject({ title: '1900年旧档案整理', year: null });
    const other = peer(2);
    outlineToPlan(other, outline);
    expect(readPlan(other).title).toBe('导入的清单');
  });

  it('refuses a plan that already has tasks, and changes nothing', () => {
    const doc = peer(1);
    createPlan(doc, { title: '已有清单' });
    addTask(doc, null, { title: '已有任务' });
    const before = Y.encodeStateAsUpdate(doc);
    let thrown: unknown;
    try {
      outlineToPlan(doc, importPolicyText(fixture('work-points.txt')));
    } catch (e) {
      thrown = e;
    }
    expect(isImportError(thrown, 'plan-not-empty')).toBe(true);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  });

  it('writes everything in one transaction, which a second replica receives whole', () => {
    const a = peer(1);
    const b = peer(2);
    let updates = 0;
    a.on('update', () => updates++);
    outlineToPlan(a, importPolicyText(fixture('work-plan.txt')));
    expect(updates).toBe(1);
    syncAll(a, b);
    expect(readPlan(b)).toEqual(readPlan(a));
  });

  it('gives deterministic ids when asked', () => {
    const doc = peer(1);
    outlineToPlan(doc, importPolicyText(fixture('task-division.txt')), {
      newId: (kind, i) => `${kind}-${i}`,
    });
    const plan = readPlan(doc);
    expect(plan.tasks.map((t) => t.id)).toEqual(['task-0', 'task-1', 'task-2', 'task-3']);
    expect(plan.branches[0]?.id).toBe('branch-0');
  });
});
