/**
 * The plan API: one Yjs document per plan (年度清单), typed operations on it, and plain
 * snapshots to render. Isomorphic: no DOM, no Node. The layout is in docs/schema.md.
 */
export { AppError, isAppError, type AppErrorCode } from './errors.ts';
export { LOCAL_EDIT, FROM_STORAGE, FROM_REMOTE } from './origins.ts';
export {
  SCHEMA_VERSION,
  META,
  TASKS,
  BRANCHES,
  STATUSES,
  TEXT_FIELDS,
  metaOf,
  tasksOf,
  branchesOf,
  isIsoDate,
  type Deadline,
  type TaskStatus,
  type TextField,
} from './schema.ts';
export {
  createPlan,
  updatePlan,
  addTask,
  updateTask,
  moveTask,
  removeTask,
  restoreTask,
  addBranch,
  updateBranch,
  removeBranch,
  type Actor,
  type OpOptions,
  type TaskFields,
  type NewTask,
  type Place,
  type NewBranch,
  type BranchPatch,
} from './ops.ts';
export {
  readPlan,
  readBranches,
  readTask,
  readTrash,
  type Plan,
  type Branch,
  type Task,
  type TaskNode,
  type TrashEntry,
} from './read.ts';
export { resolveTree, isInSubtree, type ResolvedTree } from './tree.ts';
export { applyTextDiff, wellFormed } from './text-diff.ts';
export {
  VERSIONS,
  agreeVersion,
  readVersions,
  readVersion,
  versionsOf,
  type Version,
  type VersionInfo,
} from './versions.ts';
export {
  COMPARED_FIELDS,
  comparePlans,
  fieldText,
  type Change,
  type ComparedField,
  type FieldChange,
} from './compare.ts';
export {
  TABLE_COLUMNS,
  COLUMN_LABELS,
  planTable,
  tableToCsv,
  isTask,
  isStructured,
  deadlineText,
  formatDate,
  type TableColumn,
  type TableRow,
} from './table.ts';
export * from './import/index.ts';
