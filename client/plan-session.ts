import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import type { WebsocketProvider } from 'y-websocket';
import {
  branchesOf,
  isAppError,
  metaOf,
  tasksOf,
  type AppError,
  type OpOptions,
} from '../shared/index.ts';
import {
  loadRelayStateVector,
  persistDoc,
  saveRelayStateVector,
  type DocPersistence,
} from './storage/doc-persistence.ts';
import type { StorageProblem } from './storage/errors.ts';
import { hasIndexedDb } from './storage/errors.ts';
import type { Profile } from './storage/device.ts';
import { connectPlan } from './sync/connect.ts';
import { loadToken } from './storage/tokens.ts';
import { ConfirmationTracker } from './sync/confirmations.ts';
import { AccessWatch } from './sync/access.ts';
import type { Role } from './sync/invite.ts';

/** What the sync indicator shows. */
export type SyncState = 'offline' | 'connecting' | 'synced';

/** What this user shows the others through awareness. */
export interface PresenceUser {
  readonly name: string;
  readonly branch: string;
  readonly color: string;
}

/** Another person on the plan. */
export interface Peer extends PresenceUser {
  readonly clientId: number;
  /** The task they are editing, if any. */
  readonly editing: string | null;
}

const COLORS = ['#b5412f', '#2f6db5', '#3a8a4f', '#8a5a2f', '#7a3fa0', '#2f8a8a', '#a03f6b'];

/** A stable colour per person, so the same person looks the same on every screen. */
export function colorFor(name: string): string {
  let h = 0;
  for (const ch of name) h = (h * 31 + (ch.codePointAt(0) ?? 0)) >>> 0;
  return COLORS[h % COLORS.length] as string;
}

export interface SessionOptions {
  /** Connect to the relay (default true). */
  readonly connect?: boolean;
  readonly serverUrl?: string;
  /**
   * The invite token for this plan (issue 7); without one the plan stays on this device.
   * Omitted: the one this device keeps for the plan (or for every plan).
   */
  readonly token?: string | null;
}

/**
 * One open plan: the Y.Doc, its copy in IndexedDB, the connection to the relay, presence,
 * undo of this user's own edits, and the unconfirmed-changes count. Components read it
 * through controllers and change the plan only through `edit`.
 *
 * Events: `sync` (state or count changed), `storage` (a storage problem), `undo` (stacks).
 */
export class PlanSession extends EventTarget {
  readonly doc = new Y.Doc();
  /** This tab's transaction origin: the only one the UndoManager tracks. */
  readonly origin = Object.freeze({ kind: 'qingdan-ui' as const });
  readonly awareness = new Awareness(this.doc);
  readonly undo: Y.UndoManager;
  provider: WebsocketProvider | null = null;
  tracker: ConfirmationTracker | null = null;
  storageProblem: StorageProblem | null = hasIndexedDb() ? null : 'unavailable';
  state: SyncState = 'offline';
  /** Last refused edit (shown to the user), cleared by the next successful one. */
  lastError: AppError | null = null;
  /** What the relay lets this device do with the plan (event `access` when it changes). */
  readonly access = new AccessWatch(this);
  private _persistence: DocPersistence | null = null;
  private _disposed = false;

  readonly planId: string;
  readonly profile: Profile;

  constructor(planId: string, profile: Profile) {
    super();
    this.planId = planId;
    this.profile = profile;
    this.undo = new Y.UndoManager([metaOf(this.doc), tasksOf(this.doc), branchesOf(this.doc)], {
      trackedOrigins: new Set([this.origin]),
    });
    const stacks = (): boolean => this.dispatchEvent(new Event('undo'));
    this.undo.on('stack-item-added', stacks);
    this.undo.on('stack-item-popped', stacks);
    this.undo.on('stack-cleared', stacks);
    this.awareness.setLocalState({
      user: { name: profile.name, branch: profile.branch, color: colorFor(profile.name) },
      editing: null,
    });
  }

  /** Loads the plan from this device, then connects. Resolves once it can be shown. */
  async open(opts: SessionOptions = {}): Promise<void> {
    if (this.storageProblem === null) {
      this._persistence = persistDoc(this.doc, this.planId, {
        onProblem: (p) => this._setProblem(p),
      });
      await this._persistence.whenLoaded;
      // For profiling (the client benchmark reads it): when the plan came out of IndexedDB.
      performance.mark('qingdan:plan-loaded');
      if (this._disposed) return;
    }
    addEventListener('pagehide', this._flush);
    addEventListener('pageshow', this._onPageShow);
    document.addEventListener('visibilitychange', this._onVisibility);
    addEventListener('beforeunload', this._onBeforeUnload);
    // The token gives the role; without a valid one the plan stays on this device (edits
    // included) until one is given. Unless the caller gives one, it is the token this device
    // keeps for the plan (or for every plan).
    const token =
      opts.token !== undefined ? opts.token : await loadToken(this.planId).catch(() => null);
    if (this._disposed) return;
    const mayConnect = this.access.begin(token);
    if (opts.connect === false || !mayConnect) return;
    const relaySv =
      this.storageProblem === null
        ? await loadRelayStateVector(this.planId).catch(() => null)
        : null;
    if (this._disposed) return;
    const provider = connectPlan(this.doc, this.planId, {
      awareness: this.awareness,
      ...(opts.serverUrl ? { serverUrl: opts.serverUrl } : {}),
      ...this.access.protocols(),
    });
    this.provider = provider;
    this.access.watch(provider);
    this.tracker = new ConfirmationTracker(
      this.doc,
      provider,
      (o) => o === this.origin || o === this.undo,
      relaySv,
      (sv) => void saveRelayStateVector(this.planId, sv).catch(() => undefined),
    );
    this.tracker.onChange(() => this._emitSync());
    provider.on('status', ({ status }) => {
      this.state =
        status === 'disconnected' ? 'offline' : provider.synced ? 'synced' : 'connecting';
      this._emitSync();
    });
    provider.on('sync', (synced: boolean) => {
      this.state = synced ? 'synced' : provider.wsconnected ? 'connecting' : 'offline';
      this._emitSync();
    });
    this.state = 'connecting';
    this._emitSync();
  }

  /** Who is doing this, for the plan API's `updatedBy`/`updatedAt`. */
  opts(): OpOptions {
    return {
      origin: this.origin,
      actor: { name: this.profile.name, at: new Date().toISOString() },
    };
  }

  /**
   * Runs one user gesture against the plan. A refused operation (AppError) is kept in
   * `lastError` for the UI; anything else is a bug and is rethrown.
   */
  edit<T>(fn: (opts: OpOptions) => T, { merge = false } = {}): T | undefined {
    // A viewer's session refuses edits (the relay would refuse them too, closing the link).
    if (this.readOnly) return undefined;
    try {
      const result = fn(this.opts());
      this.lastError = null;
      if (!merge) this.undo.stopCapturing();
      return result;
    } catch (e) {
      if (!isAppError(e)) throw e;
      this.lastError = e;
      this.dispatchEvent(new Event('error'));
      return undefined;
    }
  }

  /** Ends the current undo step (after a typing burst, on blur). */
  endGesture(): void {
    this.undo.stopCapturing();
  }

  /** Shows the others which task this user is editing. */
  setEditing(taskId: string | null): void {
    if (this.awareness.getLocalState()?.['editing'] === taskId) return;
    this.awareness.setLocalStateField('editing', taskId);
  }

  /** The other people on this plan now. */
  peers(): Peer[] {
    const out: Peer[] = [];
    for (const [clientId, s] of this.awareness.getStates()) {
      if (clientId === this.doc.clientID) continue;
      const user = (s as { user?: Partial<PresenceUser> }).user;
      if (!user || typeof user.name !== 'string') continue;
      const editing = (s as { editing?: unknown }).editing;
      out.push({
        clientId,
        name: user.name,
        branch: typeof user.branch === 'string' ? user.branch : '',
        color: typeof user.color === 'string' ? user.color : colorFor(user.name),
        editing: typeof editing === 'string' ? editing : null,
      });
    }
    return out.sort((a, b) => a.clientId - b.clientId);
  }

  /** The user's role on this plan, from the token; null without one. */
  get role(): Role | null {
    return this.access.role;
  }

  /** True for a viewer: every edit is refused. */
  get readOnly(): boolean {
    return this.access.role === 'viewer';
  }

  /** Unconfirmed local changes. */
  get unconfirmed(): number {
    return this.tracker?.count ?? 0;
  }

  /** Writes pending changes to IndexedDB now. */
  flush(): Promise<void> {
    return this._persistence?.flush() ?? Promise.resolve();
  }

  async dispose(): Promise<void> {
    if (this._disposed) return;
    this._disposed = true;
    removeEventListener('pagehide', this._flush);
    removeEventListener('pageshow', this._onPageShow);
    document.removeEventListener('visibilitychange', this._onVisibility);
    removeEventListener('beforeunload', this._onBeforeUnload);
    this.tracker?.dispose();
    this.access.dispose();
    this.awareness.setLocalState(null);
    this.provider?.destroy();
    this.undo.destroy();
    await this._persistence?.dispose();
    this.awareness.destroy();
    this.doc.destroy();
  }

  private _setProblem(p: StorageProblem): void {
    this.storageProblem = p;
    this.dispatchEvent(new Event('storage'));
  }

  private _emitSync(): void {
    this.dispatchEvent(new Event('sync'));
  }

  private readonly _flush = (): void => {
    void this.flush();
    // Leave the others' presence lists now rather than when the relay notices the socket
    // close (a page kept in the back/forward cache comes back through pageshow).
    this._presence = this.awareness.getLocalState();
    this.awareness.setLocalState(null);
  };

  private _presence: Record<string, unknown> | null = null;

  private readonly _onPageShow = (e: PageTransitionEvent): void => {
    if (e.persisted && this._presence && !this._disposed)
      this.awareness.setLocalState(this._presence);
  };

  private readonly _onVisibility = (): void => {
    if (document.visibilityState === 'hidden') void this.flush();
  };

  private readonly _onBeforeUnload = (e: BeforeUnloadEvent): void => {
    void this.flush();
    if (this.unconfirmed > 0) {
      e.preventDefault();
      // Older browsers show the prompt only when returnValue is set.
      e.returnValue = '';
    }
  };
}
