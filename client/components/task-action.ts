/** What a row asks the tree to do (structure changes need the tree's context). */
export type TaskActionKind =
  'add-child' | 'add-after' | 'delete' | 'toggle' | 'up' | 'down' | 'indent' | 'outdent';

/** Fired by a task row; handled by `<cl-task-tree>`. */
export class TaskAction extends Event {
  readonly kind: TaskActionKind;
  readonly taskId: string;
  constructor(kind: TaskActionKind, taskId: string) {
    super('task-action', { bubbles: true, composed: true });
    this.kind = kind;
    this.taskId = taskId;
  }
}
