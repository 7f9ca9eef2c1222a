/**
 * Transaction origins, compared by identity (Hocuspocus `TransactionOrigin`, y-indexeddb's
 * `origin !== this`). Undo tracks only what this user did:
 * `new Y.UndoManager(types, { trackedOrigins: new Set([LOCAL_EDIT]) })`.
 */
export const LOCAL_EDIT = Object.freeze({ kind: 'local-edit' as const });

/** State loaded from the device's own storage; never written back by the saver. */
export const FROM_STORAGE = Object.freeze({ kind: 'storage' as const });

/** State that arrived from another replica (the relay, another tab). */
export const FROM_REMOTE = Object.freeze({ kind: 'remote' as const });
