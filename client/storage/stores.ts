import { createStore, type UseStore } from 'idb-keyval';

/**
 * One IndexedDB database per concern: idb-keyval cannot add an object store to a database
 * that already exists, so each concern gets its own (STYLE.md §4). Created lazily, so that
 * importing this module touches no storage (and tests can install fake-indexeddb first).
 */
const made = new Map<string, UseStore>();

function store(db: string, name: string): UseStore {
  let s = made.get(db);
  if (s === undefined) made.set(db, (s = createStore(db, name)));
  return s;
}

/** Plan id → one merged Yjs update holding the plan's state on this device. */
export const docsStore = (): UseStore => store('qingdan-docs', 'updates');
/** Plan id → the relay's last known state vector (for the unconfirmed count after a reload). */
export const relayStore = (): UseStore => store('qingdan-relay', 'state-vectors');
/** Plan id → {@link DevicePlan}: the plans on this device. */
export const plansStore = (): UseStore => store('qingdan-plans', 'plans');
/** Single keys: `profile`, `locale`. */
export const prefsStore = (): UseStore => store('qingdan-prefs', 'prefs');

/** Forgets the cached store handles (tests delete the databases between cases). */
export function resetStores(): void {
  made.clear();
}
/** Plan id (or `*`, every plan) → the invite token this device was given (issue 7). */
export const tokensStore = (): UseStore => store('qingdan-tokens', 'tokens');
