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

/**
 * True when the text reads like a work plan: several of the words every plan uses, often
 * enough. A recipe or a story laid out with 一、二、 has an outline but not these words.
 */
export function readsLikeWorkPlan(text: string): boolean {
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
