import type { Branch, Plan, TaskNode } from './read.ts';

/** The columns of the printed checklist, in their fixed order. */
export const TABLE_COLUMNS = [
  'seq',
  'title',
  'measures',
  'lead',
  'owners',
  'assignee',
  'deadline',
  'notes',
] as const;
export type TableColumn = (typeof TABLE_COLUMNS)[number];

/** Header labels as official task tables write them. */
export const COLUMN_LABELS: Readonly<Record<TableColumn, string>> = {
  seq: '序号',
  title: '工作任务',
  measures: '具体措施',
  lead: '牵头领导',
  owners: '责任单位',
  assignee: '责任人',
  deadline: '完成时限',
  notes: '备注（进展）',
};

/** A row of the table: a heading (section, item) or a task with its cells. */
export type TableRow =
  | {
      readonly kind: 'group';
      readonly id: string;
      /** 1 = section (一、), 2 = item (（一）), … */
      readonly level: number;
      readonly number: string;
      readonly title: string;
    }
  | {
      readonly kind: 'task';
      readonly id: string;
      readonly level: number;
      readonly cells: Readonly<Record<TableColumn, string>>;
    };

/**
 * True for the nodes that are tasks: leaves. A top-level leaf in a plan that has sections
 * with children is the document's guiding text (总体思路) unless someone gave it a
 * responsibility (lead, owners, assignee or deadline).
 */
export function isTask(node: TaskNode, level: number, structured: boolean): boolean {
  if (node.children.length > 0) return false;
  if (level > 1 || !structured) return true;
  return (
    node.lead !== '' ||
    node.owners.length > 0 ||
    node.assignee !== '' ||
    node.deadline.text !== undefined ||
    node.deadline.date !== undefined
  );
}

/** True when the plan has at least one section with children. */
export function isStructured(plan: Pick<Plan, 'tasks'>): boolean {
  return plan.tasks.some((t) => t.children.length > 0);
}

/** 2023-06-30 → 2023年6月30日 */
export function formatDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** A deadline as the table prints it: the words as written, else the date. */
export function deadlineText(task: Pick<TaskNode, 'deadline'>): string {
  if (task.deadline.text) return task.deadline.text;
  return task.deadline.date ? formatDate(task.deadline.date) : '';
}

function ownerNames(task: TaskNode, branches: readonly Branch[]): string {
  return task.owners
    .map((id) => branches.find((b) => b.id === id)?.name ?? '')
    .filter((n) => n)
    .join('、');
}

/**
 * The plan as the rows of the printed checklist: headings for sections and items with
 * their outline numbers, a row per task numbered 1…N. With `branch`, only that branch's
 * tasks (as owner) and the headings above them — the branch's 责任清单.
 */
export function planTable(plan: Plan, opts: { readonly branch?: string } = {}): TableRow[] {
  const structured = isStructured(plan);
  const rows: TableRow[] = [];
  let seq = 0;
  const walk = (nodes: readonly TaskNode[], level: number): void => {
    for (const node of nodes) {
      if (isTask(node, level, structured)) {
        if (opts.branch !== undefined && !node.owners.includes(opts.branch)) continue;
        seq += 1;
        rows.push({
          kind: 'task',
          id: node.id,
          level,
          cells: {
            seq: String(seq),
            title: node.number + node.title,
            measures: node.measures,
            lead: node.lead,
            owners: ownerNames(node, plan.branches),
            assignee: node.assignee,
            deadline: deadlineText(node),
            notes: node.notes,
          },
        });
        continue;
      }
      if (node.children.length === 0) continue;
      const at = rows.length;
      rows.push({ kind: 'group', id: node.id, level, number: node.number, title: node.title });
      const before = seq;
      walk(node.children, level + 1);
      // A heading with no task under it (all filtered out) is dropped with its sub-headings.
      if (seq === before) rows.length = at;
    }
  };
  walk(plan.tasks, 1);
  return rows;
}

/**
 * The table as CSV: UTF-8 with a byte-order mark and CRLF line ends, so Excel on Chinese
 * Windows opens it right. Headings go in the task column.
 */
export function tableToCsv(
  rows: readonly TableRow[],
  columns: readonly TableColumn[] = TABLE_COLUMNS,
  labels: Readonly<Record<TableColumn, string>> = COLUMN_LABELS,
): string {
  const quote = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = [columns.map((c) => quote(labels[c])).join(',')];
  for (const row of rows) {
    if (row.kind === 'task') lines.push(columns.map((c) => quote(row.cells[c])).join(','));
    else
      lines.push(
        columns.map((c) => (c === 'title' ? quote(row.number + row.title) : '')).join(','),
      );
  }
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}
