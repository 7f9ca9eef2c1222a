/** Why storage failed, in the terms the UI explains to the user. */
export type StorageProblem = 'quota' | 'unavailable';

/**
 * Classifies an IndexedDB failure. A full disk surfaces as `QuotaExceededError`; private
 * windows, disabled storage and broken profiles surface as a missing `indexedDB`, an
 * `InvalidStateError`/`UnknownError`, or a failed open.
 */
export function storageProblem(e: unknown): StorageProblem {
  const name = (e as { name?: unknown } | null)?.name;
  if (name === 'QuotaExceededError') return 'quota';
  const inner = (e as { cause?: unknown; target?: { error?: unknown } } | null)?.target?.error;
  if ((inner as { name?: unknown } | undefined)?.name === 'QuotaExceededError') return 'quota';
  return 'unavailable';
}

/** True when the browser offers IndexedDB at all. */
export function hasIndexedDb(): boolean {
  return typeof indexedDB !== 'undefined' && indexedDB !== null;
}
