import type * as Y from 'yjs';
import { addBranch, addTask, createPlan, updateTask } from '../../shared/index.ts';

/**
 * The outline of ../shared/seeds/2023-party-conduct-implementation-opinions.txt, typed in
 * by hand from the document (not produced by the importer), with two branches assigned.
 * 13 tasks: 工作要求 has 3 items with 3, 3 and 4 points; 保障措施 has 3 items.
 */
export const SEED_OUTLINE = {
  title: '2023年关于加强党风廉政建设和反腐败工作的实施意见',
  sections: [
    { number: '一、', title: '总体思路', items: [] },
    {
      number: '二、',
      title: '工作要求',
      items: [
        {
          number: '（一）',
          title: '忠诚拥护“两个确立”，坚决做到“两个维护”',
          points: ['加强理论武装', '强化廉政教育', '严肃党内政治生活'],
        },
        {
          number: '（二）',
          title: '深化全面从严治党，推动管党治党责任落实',
          points: ['强化主体责任落实', '严格落实“一岗双责”', '压实管党治党职责'],
        },
        {
          number: '（三）',
          title: '强化监督制约，夯实拒腐防变基础',
          points: [
            '深化作风突出问题集中整治行动成果',
            '持续开展党风廉政建设活动',
            '健全完善监督管理体系',
            '切实抓好巡察反馈问题整改',
          ],
        },
      ],
    },
    {
      number: '三、',
      title: '保障措施',
      items: [
        { number: '（一）', title: '加强组织领导', points: [] },
        { number: '（二）', title: '细化工作措施', points: [] },
        { number: '（三）', title: '抓好督促检查', points: [] },
      ],
    },
  ],
} as const;

const POINT_NUMBERS = ['一是', '二是', '三是', '四是'];

/** Builds the seed plan in `doc`; returns the branch ids (机关党支部, 离退休党支部). */
export function buildSeedPlan(doc: Y.Doc): { jiguan: string; tuixiu: string } {
  createPlan(doc, { title: SEED_OUTLINE.title, year: 2023 });
  const jiguan = addBranch(doc, { id: 'jiguan', name: '机关党支部', secretary: '张三' });
  const tuixiu = addBranch(doc, { id: 'tuixiu', name: '离退休党支部' });
  let n = 0;
  for (const s of SEED_OUTLINE.sections) {
    const section = addTask(doc, null, { number: s.number, title: s.title });
    for (const item of s.items) {
      const itemId = addTask(doc, section, { number: item.number, title: item.title });
      item.points.forEach((title, i) => {
        n += 1;
        addTask(doc, itemId, {
          number: POINT_NUMBERS[i] ?? '',
          title,
          measures: `${title}的具体措施`,
          lead: '局党组书记',
          owners: n % 2 === 0 ? [jiguan, tuixiu] : [jiguan],
          assignee: `责任人${n}`,
          deadline: n % 3 === 0 ? { text: '长期坚持' } : { date: '2023-06-30' },
        });
      });
      if (item.points.length === 0) {
        // An item with no points is a task itself: give it its responsibilities.
        n += 1;
        updateTask(doc, itemId, {
          lead: '分管领导',
          owners: [tuixiu],
          assignee: `责任人${n}`,
          deadline: { text: '2023年12月底前', date: '2023-12-31' },
        });
      }
    }
  }
  return { jiguan, tuixiu };
}
