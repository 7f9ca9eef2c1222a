import * as Y from 'yjs';
import {
  ImportError,
  importErrorMessage,
  outlineToPlan,
  readPlan,
  type Actor,
  type Outline,
} from '../../shared/index.ts';
import { loadDocState, saveDocState } from '../storage/doc-persistence.ts';
import { rememberPlan } from '../storage/device.ts';
import { newPlanId } from '../router.ts';

/** Options for `createImportedPlan`. */
export interface ImportedPlanOptions {
  /** The plan's title (default: the outline's). */
  readonly title?: string;
  /** Recorded as who created the tasks. */
  readonly actor?: Actor;
  /** The new plan's id (default: a fresh one); refused when this device has that plan. */
  readonly id?: string;
}

/**
 * Creates a NEW plan from an outline and stores it on this device, the way the home page's
 * 新建 does: a fresh Y.Doc under a fresh id, written to IndexedDB; the plan page then opens
 * it from there and syncs it to the relay. Import never touches a plan that exists, because
 * re-seeding a synced document doubles its content. Resolves with the plan id; rejects when
 * the device cannot store it, or with ImportError('plan-not-empty') when it already holds a
 * plan of that id (nothing is created then).
 */
export async function createImportedPlan(
  outline: Outline,
  options: ImportedPlanOptions = {},
): Promise<string> {
  const id = options.id ?? newPlanId();
  // saveDocState appends to a plan's stored records: an id this device holds would grow.
  if ((await loadDocState(id)) !== null)
    throw new ImportError('plan-not-empty', importErrorMessage('plan-not-empty'));
  const doc = new Y.Doc();
  let title: string;
  try {
    outlineToPlan(doc, outline, {
      ...(options.title !== undefined && options.title.trim() !== ''
        ? { title: options.title.trim() }
        : {}),
      ...(options.actor !== undefined ? { actor: options.actor } : {}),
    });
    title = readPlan(doc).title;
    await saveDocState(id, doc);
  } finally {
    doc.destroy();
  }
  // The list of plans on this device is a convenience: the plan itself is stored.
  await rememberPlan(id, title, new Date().toISOString()).catch(() => undefined);
  return id;
}
