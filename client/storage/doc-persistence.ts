import * as Y from 'yjs';
import { get, update } from 'idb-keyval';
import { FROM_STORAGE } from '../../shared/index.ts';
import { docsStore, relayStore } from './stores.ts';
import { storageProblem, type StorageProblem } from './errors.ts';

/** How long local updates gather before one write (the issue asks for about 100 ms). */
export const SAVE_DELAY_MS = 100;
/** Compact after this many writes, so the stored update stays bounded by the plan's size. */
const COMPACT_EVERY = 50;

/** A Y.Doc bound to its copy in IndexedDB. */
export interface DocPersistence {
  /** Resolves once the stored state (if any) has been applied; never rejects. */
  readonly whenLoaded: Promise<void>;
  /** Writes whatever is pending now (pagehide, tests). */
  flush(): Promise<void>;
  /** Replaces the stored state by one compact update, merging what other tabs wrote. */
  compact(): Promise<void>;
  /** Stops saving; flushes what is pending first. Idempotent. */
  dispose(): Promise<void>;
}

export interface PersistOptions {
  /** Called when a write fails (disk full, storage unavailable). */
  readonly onProblem?: (problem: StorageProblem, error: unknown) => void;
  readonly delayMs?: number;
}

/**
 * Loads a plan from IndexedDB into `doc` and saves every later change (except what came
 * from storage itself) within `delayMs`. Every write is a read-merge-write in one
 * IndexedDB transaction (`update`), so two tabs editing the same plan offline never
 * overwrite each other: each write merges into whatever is stored.
 */
export function persistDoc(doc: Y.Doc, planId: string, opts: PersistOptions = {}): DocPersistence {
  const delay = opts.delayMs ?? SAVE_DELAY_MS;
  let pending: Uint8Array[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let writes = 0;
  let disposed = false;
  let chain: Promise<void> = Promise.resolve();

  const report = (e: unknown): void => opts.onProblem?.(storageProblem(e), e);

  const onUpdate = (u: Uint8Array, origin: unknown): void => {
    if (origin === FROM_STORAGE) return;
    pending.push(u);
    if (timer === undefined) timer = setTimeout(() => void flush(), delay);
  };

  // Writes run one after another, so a compaction never races a pending merge.
  const enqueue = (job: () => Promise<void>): Promise<void> => {
    chain = chain.then(job).catch(report);
    return chain;
  };

  const flush = (): Promise<void> => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0) return chain;
    const next = pending.length === 1 ? (pending[0] as Uint8Array) : Y.mergeUpdates(pending);
    pending = [];
    writes += 1;
    const job = enqueue(() =>
      update<Uint8Array>(planId, (old) => (old ? Y.mergeUpdates([old, next]) : next), docsStore()),
    );
    return writes % COMPACT_EVERY === 0 ? job.then(compact) : job;
  };

  const compact = (): Promise<void> =>
    enqueue(() =>
      update<Uint8Array>(
        planId,
        (old) => {
          // Whatever another tab stored meanwhile comes into this doc first, so the compact
          // state written back holds it too. Applying is synchronous: still inside the
          // IndexedDB transaction.
          if (old) Y.applyUpdate(doc, old, FROM_STORAGE);
          return Y.encodeStateAsUpdate(doc);
        },
        docsStore(),
      ),
    );

  const whenLoaded = (async () => {
    try {
      const stored = await get<Uint8Array>(planId, docsStore());
      if (disposed) return;
      if (stored) Y.applyUpdate(doc, stored, FROM_STORAGE);
    } catch (e) {
      report(e);
    }
  })();

  doc.on('update', onUpdate);
  return {
    whenLoaded,
    flush,
    compact,
    async dispose() {
      if (disposed) return;
      disposed = true;
      doc.off('update', onUpdate);
      await flush();
    },
  };
}

/**
 * Stores a whole document as a plan's state (a plan created or imported on this device),
 * merged into anything already stored under that id.
 */
export async function saveDocState(planId: string, doc: Y.Doc): Promise<void> {
  const state = Y.encodeStateAsUpdate(doc);
  await update<Uint8Array>(
    planId,
    (old) => (old ? Y.mergeUpdates([old, state]) : state),
    docsStore(),
  );
}

/** The stored state of a plan, or null. */
export async function loadDocState(planId: string): Promise<Uint8Array | null> {
  return (await get<Uint8Array>(planId, docsStore())) ?? null;
}

/** The relay's state vector as last seen for a plan, or null. */
export async function loadRelayStateVector(planId: string): Promise<Uint8Array | null> {
  return (await get<Uint8Array>(planId, relayStore())) ?? null;
}

export async function saveRelayStateVector(planId: string, sv: Uint8Array): Promise<void> {
  await update<Uint8Array>(planId, () => sv, relayStore());
}
