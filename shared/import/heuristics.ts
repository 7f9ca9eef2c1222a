/** Words that work plans, opinions and rectification plans cannot do without. */
const WORK_WORDS = [
  '工作',
  '任务',
  '落实',
  '推进',
  '加强',
  '责任',
  '建设',
  '制度',
  '机制',
  '组织',
  '领导',
  '实施',
  '开展',
  '管理',
  '监督',
  '整改',
  '完善',
  '推动',
  '深化',
  '强化',
  '提升',
  '健全',
  '党',
  '措施',
  '单位',
  '部门',
  '要求',
  '目标',
  '服务',
  '检查',
];

/** The kinds of document import is for, as their titles end. */
const PLAN_TITLE =
  /(工作要点|工作方案|实施方案|整改方案|工作计划|工作安排|实施意见|指导意见|任务分工|责任清单|任务清单|问题清单|实施细则|实施办法|责任制)/;

/**
 * True when the text reads like a work plan: several of the words every plan uses, often
 * enough. A recipe or a story laid out with 一、二、 has an outline but not these words.
 */
export function readsLikeWorkPlan(text: string, title: string | null = null): boolean {
  // A title that names the kind of document settles it, however short the text.
  if (title !== null && PLAN_TITLE.test(title)) return true;
  let hits = 0;
  let distinct = 0;
  for (const w of WORK_WORDS) {
    let n = 0;
    for (let i = text.indexOf(w); i >= 0; i = text.indexOf(w, i + w.length)) n++;
    if (n > 0) distinct++;
    hits += n;
  }
  const perThousand = (hits * 1000) / Math.max(text.length, 1);
  return distinct >= 5 && perThousand >= 8;
}
