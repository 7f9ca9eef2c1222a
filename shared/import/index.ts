/**
 * Import: a policy document (实施意见, 工作要点, 工作方案, 整改方案, 任务分工) as text or bytes
 * → an Outline to preview and fix → a new plan. Pure and isomorphic; the file readers are
 * in server/import-file.ts (Node) and client/import/read-file.ts (browser).
 */
export {
  ImportError,
  isImportError,
  importErrorMessage,
  MAX_IMPORT_CHARS,
  MAX_TEXT_FILE_BYTES,
  MAX_DOCX_FILE_BYTES,
  type ImportErrorCode,
  type Outline,
  type OutlineNode,
} from './types.ts';
export { importPolicyText, tryImportPolicyText } from './parse.ts';
export {
  decodePolicyBytes,
  decodePolicyBytesWithEncoding,
  type DecodedText,
  type TextEncodingName,
} from './decode.ts';
export { readsLikeWorkPlan } from './heuristics.ts';
export {
  nodeAt,
  updateNode,
  changeLevel,
  mergeIntoPrevious,
  splitNode,
  dropNode,
  isOutlineTask,
  outlineEntries,
  countOutline,
  formatOutlineCounts,
  type OutlinePath,
  type OutlineCounts,
  type OutlineEntry,
} from './edit.ts';
export { deadlineDate } from './deadline.ts';
export { outlineToPlan, type OutlineToPlanOptions, type OutlineToPlanResult } from './to-plan.ts';
export { docxHtmlToText } from './docx-html.ts';
