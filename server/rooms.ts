/**
 * The room registry: one room per loaded plan, its connections, its awareness entries.
 *
 * The write path is a group commit. Updates that arrive in one event-loop turn are checked
 * (Y.decodeUpdate) and queued; at the end of the turn (setImmediate) they are applied to
 * their room's Y.Doc, which is how we learn whether Yjs really accepts them, then go to the
 * store in one transaction, and only once that transaction is committed are they relayed,
 * merged into one update message per room. While a commit is in flight no sync reply is
 * served from the doc, and when the write fails the doc is rebuilt from the store: a relayed
 * or served edit is therefore always on disk. A failed write relays nothing: its senders are
 * closed and keep their edits locally until they reconnect.
 * Awareness changes of the turn are likewise sent as one awareness message per room. Renewals
 * (an entry sent again with the same state and a higher clock, which every y-protocols client
 * does every 15 s to stay alive) carry nothing new and are not urgent: each connection gets
 * the renewals it has not seen in one message every `awarenessRenewalMs`, instead of one
 * message per renewal, which every stock client would then echo back. The connections of a
 * room are served in turns spread over that period, so neither the relay nor the clients get
 * a whole room's renewals and their echoes at one moment.
 */
import * as Y from 'yjs';
import type { Logger } from './log.ts';
import { errorFields } from './log.ts';
import type { RelayMetrics } from './metrics.ts';
import { RefusalBackoff } from './refusals.ts';
import {
  CLOSE_FORBIDDEN,
  CLOSE_GOING_AWAY,
  CLOSE_INTERNAL_ERROR,
  CLOSE_INVALID_PAYLOAD,
  CLOSE_MESSAGE_TOO_BIG,
  CLOSE_POLICY_VIOLATION,
  decodeClientMessage,
  encodeAwareness,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  type AwarenessEntry,
  type ClientMessage,
  type DecodeLimits,
  type Socket,
} from './protocol.ts';
import { addsNothing, applyCheckedUpdate } from './update-check.ts';
import type { Store, WriteResult } from './store.ts';

/** Limits and timings of the registry. */
export interface RoomLimits {
  /** Largest frame accepted (also enforced by `ws` through `maxPayload`). */
  readonly maxMessageBytes: number;
  /** Sustained messages per second per connection; more closes it (1008). */
  readonly messagesPerSecond: number;
  /** Messages a connection may send in a burst above the sustained rate. */
  readonly messageBurst: number;
  /** Largest awareness state (JSON text length). */
  readonly maxAwarenessBytes: number;
  /** Awareness entries per plan; entries beyond it are not accepted. */
  readonly maxAwarenessEntriesPerPlan: number;
  /** Awareness client ids one connection may control (a stock client uses one). */
  readonly maxAwarenessClientsPerConnection: number;
  /** Awareness messages per second per connection; more are dropped (not closed). */
  readonly awarenessPerSecond: number;
  /**
   * How often each connection gets the awareness renewals it has not seen, in one message.
   * Clients drop an entry not renewed for 30 s and renew every 15 s: a second costs nothing.
   */
  readonly awarenessRenewalMs: number;
  /** How long an unused plan stays loaded after its last client left. */
  readonly unloadGraceMs: number;
  /** Ping period; a connection that did not answer the previous ping is dropped. */
  readonly pingIntervalMs: number;
  /** A peer with more than this many bytes unsent is not reading: it is closed (1008). */
  readonly maxBufferedBytes: number;
  /** Compact a plan's log once it has this many rows… */
  readonly compactEvery: number;
  /**
   * …and no edit came for this long (or at once past 10 × compactEvery): compacting during a
   * burst would spend the relay's core on merging the same plan again and again.
   */
  readonly compactQuietMs: number;
  /**
   * How often the store is asked whether a loaded plan with nothing stored has been created
   * by another process since (`qingdan import --plan` while someone has the empty plan open).
   */
  readonly newPlanPollMs: number;
  /**
   * How long a sender whose data was refused at a cost three times within a minute may not
   * connect to that plan (HTTP 429); doubled for each further block, up to 15 times this; 0:
   * never (see refusals.ts and `costlyRefusal`).
   */
  readonly refusalBlockMs: number;
  /**
   * Time the relay may spend answering one connection's sync requests, in milliseconds per
   * second (ten seconds' worth at once); a connection whose requests cost more is closed
   * (1008). A joiner's first answer always goes out, charged at most half of that; then a
   * stock client asks again only when it reconnects, and qingdan's client's probes (what the
   * relay got of its edits) cost microseconds. Without it one connection asking for a large
   * plan again and again, each time claiming a little of it, made the relay encode the plan
   * each time (~40 ms for 10,000 tasks), within the message rate limit, and held every plan's
   * edits for seconds.
   */
  readonly syncMsPerSecond: number;
}

/** Defaults of {@link RoomLimits}. */
export const DEFAULT_LIMITS: RoomLimits = {
  maxMessageBytes: 8 * 1024 * 1024,
  messagesPerSecond: 1000,
  messageBurst: 2000,
  maxAwarenessBytes: 16 * 1024,
  maxAwarenessEntriesPerPlan: 1000,
  maxAwarenessClientsPerConnection: 4,
  awarenessPerSecond: 50,
  awarenessRenewalMs: 1000,
  unloadGraceMs: 5000,
  pingIntervalMs: 30_000,
  maxBufferedBytes: 32 * 1024 * 1024,
  compactEvery: 1000,
  compactQuietMs: 2000,
  newPlanPollMs: 1000,
  refusalBlockMs: 60_000,
  syncMsPerSecond: 25,
};

/** Who is connecting, as decided at the upgrade (issue 7 fills `principal` from a token). */
export interface ConnectionContext {
  readonly planId: string;
  /** A read-only connection gets sync and awareness; an edit from it closes it (4403). */
  readonly readOnly: boolean;
  /** Claims of the authenticated user, for logs and a future audit trail. Never a token. */
  readonly principal?: Readonly<Record<string, string | number | boolean>>;
  /** Who sends on it, for the refusal back-off (refusals.ts `senderKey`); unset: not tracked. */
  readonly sender?: string;
}

/** Dependencies of the registry. */
export interface RoomDeps {
  readonly store: Store;
  readonly logger: Logger;
  readonly metrics: RelayMetrics;
  readonly limits: RoomLimits;
}

/** A room's connections take turns for awareness renewals: one slot per tick. */
const RENEWAL_SLOTS = 10;

/** Removed awareness client ids remembered per plan (see Room.awarenessTombstones). */
const MAX_AWARENESS_TOMBSTONES = 4096;

interface AwarenessSlot {
  clock: number;
  state: string;
  owner: Connection | null;
}

interface PendingWrite {
  readonly room: Room;
  readonly conn: Connection;
  readonly update: Uint8Array;
}

class Room {
  doc = new Y.Doc({ gc: true });
  /** The doc may hold changes that are not stored (a failed write or a throwing update). */
  needsReload = false;
  readonly conns = new Set<Connection>();
  readonly awareness = new Map<number, AwarenessSlot>();
  /**
   * Clocks of awareness entries removed lately. Stock clients echo every awareness change
   * they apply; an echo of a state sent just before its owner left must not bring it back.
   */
  readonly awarenessTombstones = new Map<number, number>();
  /** Client ids whose awareness changed this turn. */
  readonly dirtyAwareness = new Set<number>();
  /**
   * Awareness renewals (same state, higher clock) not yet relayed to every connection: client
   * id → sequence number of its last renewal, in ascending order of it. An entry whose state
   * changed since leaves: the change was relayed to everyone at once.
   */
  readonly renewals = new Map<number, number>();
  /** Sequence number of the last renewal. */
  renewalSeq = 0;
  /** Ticks of renewal delivery: each serves the connections of one slot. */
  renewalTimer: ReturnType<typeof setTimeout> | undefined;
  renewalTick = 0;
  /** Committed updates to relay at the end of this turn. */
  outUpdates: Uint8Array[] = [];
  /** Connections whose updates are in `outUpdates`. */
  readonly outSenders = new Set<Connection>();
  ready = false;
  disposed = false;
  unloadTimer: ReturnType<typeof setTimeout> | undefined;
  /** A commit of updates already applied to `doc` is in flight: serve no sync reply. */
  committing = false;
  /** Sync step 1 requests that arrived while committing, answered after the commit. */
  deferredSyncs: { conn: Connection; stateVector: Uint8Array }[] = [];
  /** Pending quiet-time compaction. */
  compactTimer: ReturnType<typeof setTimeout> | undefined;
  /** When the last commit past compactEvery happened (performance.now()). */
  lastCommitAt = 0;
  /** Rows in the plan's log, as far as this relay knows. */
  logRows = 0;
  /**
   * The store holds rows of this plan. Until it does, another process may create the plan
   * (`qingdan import --plan`): the relay then brings that content into the room.
   */
  inStore = false;
  /** Rows another process stored are being read into the room. */
  adopting = false;
  /** Writes queued or in flight for this room. */
  pendingWrites = 0;
  private _fullState: Uint8Array | undefined;
  readonly planId: string;

  constructor(planId: string) {
    this.planId = planId;
  }

  /** The whole state, cached for late joiners until the doc changes. */
  fullState(): Uint8Array {
    this._fullState ??= Y.encodeStateAsUpdate(this.doc);
    return this._fullState;
  }

  /**
   * Applies a client's update (already through the decoder) and returns what to store and
   * relay: the update, or what it placed when it left items pending (see update-check.ts).
   * Throws when Yjs does, or when the update would make replicas disagree; the doc may then be
   * half-changed.
   */
  applyFromClient(update: Uint8Array, origin: Connection): Uint8Array {
    this._fullState = undefined;
    return applyCheckedUpdate(this.doc, update, origin);
  }

  /** Applies a stored row; throws when Yjs does (the doc may then be half-changed). */
  applyStored(update: Uint8Array): void {
    this._fullState = undefined;
    Y.applyUpdate(this.doc, update, null);
  }

  /** Replaces the doc by a fresh one (after a failed write, to drop what was not stored). */
  resetDoc(): void {
    this._fullState = undefined;
    this.doc.destroy();
    this.doc = new Y.Doc({ gc: true });
  }

  liveAwarenessEntries(): number {
    let n = 0;
    for (const slot of this.awareness.values()) if (slot.state !== 'null') n += 1;
    return n;
  }
}

/** One client connection, as seen by the registry. `http.ts` feeds it the socket's events. */
export class Connection {
  readonly id: number;
  readonly ctx: ConnectionContext;
  readonly openedAt = Date.now();
  /** Awareness client ids this connection has set. */
  readonly awarenessClients = new Set<number>();
  messagesIn = 0;
  bytesIn = 0;
  /** The renewals of its room up to this sequence number have been sent to it. */
  renewalCursor: number;
  closed = false;
  alive = true;
  private _tokens: number;
  private _awarenessTokens: number;
  /** Milliseconds of sync answers this connection may still cost (see syncMsPerSecond). */
  private _syncBudgetMs: number;
  private _answeredSync = false;
  private _lastRefill = performance.now();
  private _queued: Uint8Array[] = [];
  private _queuedBytes = 0;
  private readonly _socket: Socket;
  private readonly _registry: RoomRegistry;
  /** The room of the connection's plan. */
  readonly room: Room;

  constructor(registry: RoomRegistry, room: Room, socket: Socket, ctx: ConnectionContext) {
    this.id = registry.nextConnectionId();
    this._registry = registry;
    this.room = room;
    this._socket = socket;
    this.ctx = ctx;
    this.renewalCursor = room.renewalSeq;
    this._tokens = registry.limits.messageBurst;
    this._awarenessTokens = registry.limits.awarenessPerSecond;
    this._syncBudgetMs = this._syncBurstMs();
  }

  /** Feed one received frame. */
  receive(data: Uint8Array): void {
    if (this.closed) return;
    const { limits, metrics } = this._registry;
    this.alive = true;
    this.messagesIn += 1;
    this.bytesIn += data.byteLength;
    metrics.messagesIn += 1;
    metrics.bytesIn += data.byteLength;
    if (data.byteLength > limits.maxMessageBytes) {
      metrics.error('oversize');
      this.close(CLOSE_MESSAGE_TOO_BIG, 'message too big');
      return;
    }
    this._refill();
    if (this._tokens < 1) {
      metrics.error('rate_limited');
      this._registry.logger.warn(
        { event: 'rate_limited', conn: this.id, plan: this.ctx.planId },
        'message rate limit exceeded',
      );
      this.close(CLOSE_POLICY_VIOLATION, 'message rate limit exceeded');
      return;
    }
    this._tokens -= 1;
    if (!this.room.ready) {
      // The plan is still loading: hold what the client sent, within bounds (the token bucket
      // bounds the count, this the bytes).
      this._queuedBytes += data.byteLength;
      if (this._queuedBytes > 2 * limits.maxMessageBytes) {
        metrics.error('rate_limited');
        this.close(CLOSE_POLICY_VIOLATION, 'too much data before the plan was loaded');
        return;
      }
      this._queued.push(data);
      return;
    }
    this._handle(data);
  }

  /** The peer answered a ping. */
  pong(): void {
    this.alive = true;
  }

  /** The socket closed (by either side). */
  socketClosed(code: number): void {
    this._registry.detach(this, code, '');
  }

  /** Sends a frame, closing a peer that stopped reading. */
  send(message: Uint8Array): void {
    if (this.closed) return;
    if (this._socket.bufferedAmount > this._registry.limits.maxBufferedBytes) {
      this._registry.metrics.error('slow_consumer');
      this.close(CLOSE_POLICY_VIOLATION, 'not reading fast enough');
      return;
    }
    this._registry.metrics.messagesOut += 1;
    this._registry.metrics.bytesOut += message.byteLength;
    this._socket.send(message);
  }

  /** Closes the connection and removes it (and its awareness) from its room at once. */
  close(code: number, reason: string): void {
    if (this.closed) return;
    try {
      this._socket.close(code, reason);
    } catch {
      this._socket.terminate();
    }
    this._registry.detach(this, code, reason);
  }

  /** Drops the connection without a handshake. */
  terminate(reason: string): void {
    if (this.closed) return;
    this._socket.terminate();
    this._registry.detach(this, 1006, reason);
  }

  /** Sends a ping, or drops the peer when it did not answer the previous one. */
  heartbeat(): void {
    if (this.closed) return;
    if (!this.alive) {
      this.terminate('no pong');
      return;
    }
    this.alive = false;
    try {
      this._socket.ping();
    } catch {
      this.terminate('ping failed');
    }
  }

  /** The room is loaded: greet the client and handle what it sent meanwhile. */
  start(): void {
    if (this.closed) return;
    this.send(encodeSyncStep1(this.room.doc));
    if (this.room.awareness.size > 0) {
      this.send(encodeAwareness(awarenessEntries(this.room, this.room.awareness.keys())));
    }
    const queued = this._queued;
    this._queued = [];
    this._queuedBytes = 0;
    for (const data of queued) {
      if (this.closed) return;
      this._handle(data);
    }
  }

  /**
   * Takes one token of the awareness rate limit. Only messages that change something are
   * charged: stock clients echo every awareness change they receive, which must not use up
   * their budget for their own changes.
   */
  takeAwarenessToken(): boolean {
    if (this._awarenessTokens < 1) return false;
    this._awarenessTokens -= 1;
    return true;
  }

  /** Answers a sync step 1 with what the client lacks, and charges the time to its budget. */
  answerSync(stateVector: Uint8Array): void {
    if (this.closed) return;
    const started = performance.now();
    const update = claimsNothingOf(this.room.doc, stateVector)
      ? this.room.fullState()
      : Y.encodeStateAsUpdate(this.room.doc, stateVector);
    this.send(encodeSyncStep2(update));
    const cost = performance.now() - started;
    // A joiner's first answer is charged at most half the budget: a very large plan's first
    // answer must not leave its later, cheap requests refused.
    this._syncBudgetMs -= this._answeredSync ? cost : Math.min(cost, this._syncBurstMs() / 2);
    this._answeredSync = true;
  }

  /** The most a connection's sync budget holds. */
  private _syncBurstMs(): number {
    return SYNC_BUDGET_SECONDS * this._registry.limits.syncMsPerSecond;
  }

  private _refill(): void {
    const now = performance.now();
    const elapsed = (now - this._lastRefill) / 1000;
    this._lastRefill = now;
    const { messagesPerSecond, messageBurst, awarenessPerSecond, syncMsPerSecond } =
      this._registry.limits;
    this._tokens = Math.min(messageBurst, this._tokens + elapsed * messagesPerSecond);
    this._syncBudgetMs = Math.min(
      this._syncBurstMs(),
      this._syncBudgetMs + elapsed * syncMsPerSecond,
    );
    this._awarenessTokens = Math.min(
      awarenessPerSecond,
      this._awarenessTokens + elapsed * awarenessPerSecond,
    );
  }

  private _handle(data: Uint8Array): void {
    let message: ClientMessage;
    try {
      message = decodeClientMessage(data, this._registry.decodeLimits);
    } catch (error) {
      // Whatever a frame makes the decoder throw closes that connection, never the process.
      this._registry.metrics.error('bad_frame');
      this._registry.logger.warn(
        {
          event: 'bad_frame',
          conn: this.id,
          plan: this.ctx.planId,
          bytes: data.byteLength,
          ...errorFields(error),
        },
        'malformed frame: closing the connection',
      );
      this.close(CLOSE_INVALID_PAYLOAD, 'malformed message');
      if (data.byteLength >= COSTLY_FRAME_BYTES) this._registry.costlyRefusal(this);
      return;
    }
    const room = this.room;
    switch (message.type) {
      case 'sync-step1':
        if (this._syncBudgetMs < 0) {
          this._registry.metrics.error('rate_limited');
          this._registry.logger.warn(
            { event: 'rate_limited', conn: this.id, plan: this.ctx.planId },
            'sync requests cost too much: closing',
          );
          this.close(CLOSE_POLICY_VIOLATION, 'too many sync requests');
          return;
        }
        if (room.committing)
          room.deferredSyncs.push({ conn: this, stateVector: message.stateVector });
        else this.answerSync(message.stateVector);
        return;
      case 'sync-step2':
      case 'update':
        // Nothing new (every client's first sync reply, empty; a reconnecting client's, its
        // whole delete set, all known): nothing to store or relay, and no edit of a viewer's.
        if (addsNothing(room.doc, message.decoded)) return;
        if (this.ctx.readOnly) {
          this._registry.metrics.error('read_only_write');
          this.close(CLOSE_FORBIDDEN, 'read-only connection: edits are not accepted');
          this._registry.costlyRefusal(this);
          return;
        }
        this._registry.enqueueWrite(room, this, message.update);
        return;
      case 'awareness':
        this._registry.applyAwareness(room, this, message.entries);
        return;
      case 'query-awareness':
        this.send(encodeAwareness(awarenessEntries(room, room.awareness.keys())));
        return;
    }
  }
}

/**
 * A frame at least this large that does not decode counts toward its sender's back-off:
 * decoding 8 MiB of structs that fail at the end takes the relay ~0.5 s.
 */
const COSTLY_FRAME_BYTES = 64 * 1024;

/** A connection's sync budget holds this many seconds' worth of `syncMsPerSecond`. */
const SYNC_BUDGET_SECONDS = 10;

/**
 * True when a state vector claims nothing the doc holds (empty, or only clients the doc has
 * not seen, as a fresh device with offline edits sends): the answer is then the whole state,
 * which the room caches, instead of encoding it afresh for each such request.
 */
function claimsNothingOf(doc: Y.Doc, stateVector: Uint8Array): boolean {
  if (stateVector.length <= 1) return true;
  for (const [client, clock] of Y.decodeStateVector(stateVector))
    if (clock > 0 && doc.store.clients.has(client)) return false;
  return true;
}

function awarenessEntries(room: Room, ids: Iterable<number>): AwarenessEntry[] {
  const entries: AwarenessEntry[] = [];
  for (const clientId of ids) {
    const slot = room.awareness.get(clientId);
    if (slot !== undefined) entries.push({ clientId, clock: slot.clock, state: slot.state });
  }
  return entries;
}

/** Loaded plans and their connections. One per relay; all state lives on the instance. */
export class RoomRegistry {
  readonly limits: RoomLimits;
  readonly metrics: RelayMetrics;
  readonly logger: Logger;
  readonly decodeLimits: DecodeLimits;
  /** Senders held back after refused updates; the upgrade consults it. */
  readonly refusals: RefusalBackoff;
  private readonly _store: Store;
  private readonly _rooms = new Map<string, Room>();
  private _writes: PendingWrite[] = [];
  private readonly _dirtyRooms = new Set<Room>();
  private _flushScheduled = false;
  private _flushing: Promise<void> | undefined;
  private _connections = 0;
  private readonly _pingTimer: ReturnType<typeof setInterval>;
  private readonly _newPlanTimer: ReturnType<typeof setInterval>;
  /** Loaded rooms whose plan has nothing stored ({@link Room.inStore} false). */
  private readonly _unstored = new Set<Room>();
  /** Rooms whose first rows were just committed: read back what else the store has. */
  private readonly _toAdopt = new Set<Room>();
  /** Plans to compact, each with the length of its log when it was asked for. */
  private readonly _compactQueue = new Map<string, number>();
  /** The plan being compacted now, if any. */
  private _compactingPlan: string | undefined;
  private _compacting = false;
  private _closing = false;
  private _lastConnectionId = 0;

  constructor(deps: RoomDeps) {
    this._store = deps.store;
    this.logger = deps.logger;
    this.metrics = deps.metrics;
    this.limits = deps.limits;
    this.decodeLimits = {
      maxAwarenessStateLength: deps.limits.maxAwarenessBytes,
      maxAwarenessEntriesPerMessage: Math.max(64, deps.limits.maxAwarenessEntriesPerPlan),
    };
    this.refusals = new RefusalBackoff({
      windowMs: 60_000,
      blockMs: deps.limits.refusalBlockMs,
      maxBlockMs: 15 * deps.limits.refusalBlockMs,
    });
    this._pingTimer = setInterval(() => this._heartbeat(), deps.limits.pingIntervalMs);
    this._pingTimer.unref();
    this._newPlanTimer = setInterval(() => this._findNewPlans(), deps.limits.newPlanPollMs);
    this._newPlanTimer.unref();
  }

  /** A fresh connection id (for log lines). */
  nextConnectionId(): number {
    this._lastConnectionId += 1;
    return this._lastConnectionId;
  }

  /** Open connections. */
  get connectionCount(): number {
    return this._connections;
  }

  /** Plans held in memory. */
  get loadedPlans(): number {
    return this._rooms.size;
  }

  /** Awareness entries held across loaded plans (tombstones included until relayed). */
  get awarenessEntries(): number {
    let n = 0;
    for (const room of this._rooms.values()) n += room.awareness.size;
    return n;
  }

  /** True while background compaction has work queued or running. */
  get compacting(): boolean {
    return this._compacting;
  }

  /** Ids of the plans held in memory. */
  loadedPlanIds(): string[] {
    return [...this._rooms.keys()];
  }

  /** Adds a connection to its plan's room, loading the plan on its first connection. */
  connect(socket: Socket, ctx: ConnectionContext): Connection {
    let room = this._rooms.get(ctx.planId);
    if (room === undefined) {
      room = new Room(ctx.planId);
      this._rooms.set(ctx.planId, room);
      void this._load(room);
    }
    if (room.unloadTimer !== undefined) {
      clearTimeout(room.unloadTimer);
      room.unloadTimer = undefined;
    }
    const conn = new Connection(this, room, socket, ctx);
    room.conns.add(conn);
    this._connections += 1;
    this.metrics.connectionsOpened += 1;
    this.logger.info(
      {
        event: 'connection_open',
        conn: conn.id,
        plan: ctx.planId,
        readOnly: ctx.readOnly,
        ...ctx.principal,
      },
      'connection opened',
    );
    if (room.ready) conn.start();
    return conn;
  }

  /** Closes every connection for which `match` is true (issue 7: revoking a token). */
  closeConnections(
    match: (ctx: ConnectionContext) => boolean,
    code: number,
    reason: string,
  ): number {
    let n = 0;
    for (const room of this._rooms.values()) {
      for (const conn of [...room.conns]) {
        if (match(conn.ctx)) {
          conn.close(code, reason);
          n += 1;
        }
      }
    }
    return n;
  }

  /**
   * The plan's stored updates; null when the store cannot read them, in which case the room is
   * closed (its clients keep their copies and reconnect) and disposed.
   */
  private async _readStored(
    room: Room,
    event: 'load_failed' | 'reload_failed',
  ): Promise<Uint8Array[] | null> {
    try {
      return await this._store.loadUpdates(room.planId);
    } catch (error) {
      this.metrics.error('store_read');
      this.logger.error({ event, plan: room.planId, ...errorFields(error) }, 'could not load plan');
      for (const conn of [...room.conns])
        conn.close(CLOSE_INTERNAL_ERROR, 'could not load the plan');
      this._dispose(room);
      return null;
    }
  }

  private async _load(room: Room): Promise<void> {
    await this._mergeLongLog(room);
    if (room.disposed) return;
    const updates = await this._readStored(room, 'load_failed');
    if (updates === null || room.disposed) return;
    this._applyStored(room, updates);
    room.ready = true;
    for (const conn of [...room.conns]) conn.start();
    if (room.logRows >= this.limits.compactEvery) this._scheduleCompaction(room);
    if (room.conns.size === 0) this._armUnload(room);
  }

  /**
   * Before a plan loads, a log of compactEvery rows or more (a relay killed during a burst
   * leaves one) is merged by the store, on its own thread: applying 24,000 rows here held the
   * event loop for ~230 ms, and with it every plan's connections; the merged state applies in
   * a tenth of that. The plan's own clients wait for the merge instead. Should it fail, the
   * rows load as they are (`_compactOne` logs it).
   */
  private async _mergeLongLog(room: Room): Promise<void> {
    let rows: number;
    try {
      rows = await this._store.logLength(room.planId);
    } catch {
      return; // The load that follows reads the store again, and reports a failure.
    }
    if (rows >= this.limits.compactEvery && !room.disposed)
      await this._compactOne(room.planId, rows);
  }

  /**
   * Counts a refusal that cost the relay real work toward its sender's back-off (refusals.ts):
   * an update refused after applying it (the plan's doc is rebuilt), an edit of a viewer's
   * (decoded in full first), a large frame that did not decode. Small malformed frames cost
   * microseconds and do not count.
   */
  costlyRefusal(conn: Connection): void {
    const sender = conn.ctx.sender;
    if (sender === undefined || !this.refusals.refused(sender)) return;
    this.logger.warn(
      { event: 'sender_blocked', plan: conn.ctx.planId, principal: conn.ctx.principal },
      'data refused again and again: holding this sender back',
    );
  }

  /** Queues a checked update for the group commit at the end of this turn. */
  enqueueWrite(room: Room, conn: Connection, update: Uint8Array): void {
    this._writes.push({ room, conn, update });
    room.pendingWrites += 1;
    this._scheduleFlush();
  }

  /** Applies an awareness message from `conn`, within the per-plan and per-connection bounds. */
  applyAwareness(room: Room, conn: Connection, entries: readonly AwarenessEntry[]): void {
    const limits = this.limits;
    const accepted: AwarenessEntry[] = [];
    for (const entry of entries) {
      const slot = room.awareness.get(entry.clientId);
      if (slot !== undefined && slot.owner !== conn && slot.owner !== null && !slot.owner.closed) {
        // Another live connection's client id (or an echo of it): never let one peer rewrite another.
        continue;
      }
      if (entry.state === 'null') {
        if (slot === undefined || slot.state === 'null' || entry.clock < slot.clock) continue;
      } else {
        if (slot !== undefined && entry.clock <= slot.clock) continue;
        const removedAt = room.awarenessTombstones.get(entry.clientId);
        if (slot === undefined && removedAt !== undefined && entry.clock <= removedAt) continue;
        if (
          !conn.awarenessClients.has(entry.clientId) &&
          conn.awarenessClients.size >= limits.maxAwarenessClientsPerConnection
        ) {
          this.metrics.error('awareness_limit');
          continue;
        }
        if (
          (slot === undefined || slot.state === 'null') &&
          room.liveAwarenessEntries() >= limits.maxAwarenessEntriesPerPlan
        ) {
          this.metrics.error('awareness_limit');
          continue;
        }
      }
      accepted.push(entry);
    }
    if (accepted.length === 0) return;
    if (!conn.takeAwarenessToken()) {
      this.metrics.error('awareness_limit');
      return;
    }
    let changed = false;
    for (const entry of accepted) {
      const slot = room.awareness.get(entry.clientId);
      const renewal =
        slot !== undefined &&
        slot.owner === conn &&
        entry.state !== 'null' &&
        slot.state === entry.state &&
        !room.dirtyAwareness.has(entry.clientId);
      room.renewals.delete(entry.clientId);
      room.awareness.set(entry.clientId, { clock: entry.clock, state: entry.state, owner: conn });
      room.awarenessTombstones.delete(entry.clientId);
      if (entry.state === 'null') conn.awarenessClients.delete(entry.clientId);
      else conn.awarenessClients.add(entry.clientId);
      if (renewal) {
        room.renewalSeq += 1;
        room.renewals.set(entry.clientId, room.renewalSeq);
      } else {
        room.dirtyAwareness.add(entry.clientId);
        changed = true;
      }
    }
    if (room.renewals.size > 0) this._armRenewal(room);
    if (!changed) return;
    this._dirtyRooms.add(room);
    this._scheduleFlush();
  }

  private _armRenewal(room: Room): void {
    if (room.renewalTimer !== undefined) return;
    room.renewalTimer = setTimeout(
      () => this._renewalTick(room),
      this.limits.awarenessRenewalMs / RENEWAL_SLOTS,
    );
    room.renewalTimer.unref();
  }

  /**
   * Sends the connections of this tick's slot the renewals they have not seen (the current
   * clock and state of each renewed entry), one message per connection; connections that saw
   * the same renewals share one encoded message.
   */
  private _renewalTick(room: Room): void {
    room.renewalTimer = undefined;
    if (room.disposed) return;
    const slot = room.renewalTick % RENEWAL_SLOTS;
    room.renewalTick += 1;
    const messages = new Map<number, Uint8Array | null>();
    let oldestCursor = room.renewalSeq;
    for (const conn of room.conns) {
      if (conn.id % RENEWAL_SLOTS === slot && conn.renewalCursor < room.renewalSeq) {
        let message = messages.get(conn.renewalCursor);
        if (message === undefined) {
          const ids: number[] = [];
          for (const [clientId, seq] of room.renewals)
            if (seq > conn.renewalCursor) ids.push(clientId);
          const entries = awarenessEntries(room, ids);
          message = entries.length > 0 ? encodeAwareness(entries) : null;
          messages.set(conn.renewalCursor, message);
        }
        // Owners included: its own renewal is what keeps a lone client's connection alive
        // (y-websocket reconnects after 30 s without a message).
        if (message !== null) conn.send(message);
        conn.renewalCursor = room.renewalSeq;
      }
      oldestCursor = Math.min(oldestCursor, conn.renewalCursor);
    }
    // Renewals every connection has been sent are done with.
    for (const [clientId, seq] of room.renewals) {
      if (seq > oldestCursor) break;
      room.renewals.delete(clientId);
    }
    if (room.renewals.size > 0) this._armRenewal(room);
  }

  /** Removes a closed connection: its awareness goes for everyone, its room may unload. */
  detach(conn: Connection, code: number, reason: string): void {
    if (conn.closed) return;
    conn.closed = true;
    const room = conn.room;
    this._connections -= 1;
    this.logger.info(
      {
        event: 'connection_close',
        conn: conn.id,
        plan: conn.ctx.planId,
        code,
        reason,
        ms: Date.now() - conn.openedAt,
        messagesIn: conn.messagesIn,
        bytesIn: conn.bytesIn,
      },
      'connection closed',
    );
    room.conns.delete(conn);
    for (const clientId of conn.awarenessClients) {
      const slot = room.awareness.get(clientId);
      if (slot === undefined || slot.owner !== conn || slot.state === 'null') continue;
      // y-protocols' removeAwarenessStates: a higher clock with a null state removes it.
      room.awareness.set(clientId, { clock: slot.clock + 1, state: 'null', owner: null });
      room.renewals.delete(clientId);
      room.dirtyAwareness.add(clientId);
    }
    conn.awarenessClients.clear();
    if (room.dirtyAwareness.size > 0) {
      this._dirtyRooms.add(room);
      this._scheduleFlush();
    }
    if (room.conns.size === 0 && room.ready && !room.disposed) this._armUnload(room);
  }

  private _armUnload(room: Room): void {
    if (room.unloadTimer !== undefined || this._closing) return;
    room.unloadTimer = setTimeout(() => {
      room.unloadTimer = undefined;
      if (room.conns.size > 0 || room.disposed) return;
      if (room.pendingWrites > 0 || room.committing || room.dirtyAwareness.size > 0) {
        this._armUnload(room);
        return;
      }
      this._dispose(room);
      if (room.logRows > 1) this._scheduleCompaction(room);
    }, this.limits.unloadGraceMs);
  }

  private _dispose(room: Room): void {
    if (room.disposed) return;
    room.disposed = true;
    if (room.unloadTimer !== undefined) clearTimeout(room.unloadTimer);
    room.unloadTimer = undefined;
    if (room.compactTimer !== undefined) clearTimeout(room.compactTimer);
    room.compactTimer = undefined;
    room.awareness.clear();
    room.awarenessTombstones.clear();
    room.dirtyAwareness.clear();
    room.renewals.clear();
    if (room.renewalTimer !== undefined) clearTimeout(room.renewalTimer);
    room.renewalTimer = undefined;
    room.outUpdates = [];
    room.outSenders.clear();
    room.doc.destroy();
    if (this._rooms.get(room.planId) === room) this._rooms.delete(room.planId);
    this._dirtyRooms.delete(room);
    this._unstored.delete(room);
    this._toAdopt.delete(room);
  }

  private _scheduleFlush(): void {
    if (this._flushScheduled) return;
    this._flushScheduled = true;
    setImmediate(() => {
      this._flushScheduled = false;
      if (this._flushing !== undefined) {
        // A write is still in flight (an asynchronous store): flush again once it is done.
        void this._flushing.then(() => this._scheduleFlush());
        return;
      }
      this._flushing = this._flush().finally(() => {
        this._flushing = undefined;
      });
    });
  }

  private async _flush(): Promise<void> {
    const writes = this._writes;
    this._writes = [];
    if (writes.length > 0) await this._commit(writes);
    for (const room of this._dirtyRooms) this._broadcast(room);
    this._dirtyRooms.clear();
    for (const room of this._toAdopt) {
      this._toAdopt.delete(room);
      await this._adoptStored(room);
    }
  }

  /**
   * Applies the turn's updates to their rooms' docs, commits those that applied in one
   * transaction, and only then queues them for relaying. Y.decodeUpdate accepts some updates
   * that Y.applyUpdate then throws on half-way (found by fuzzing, see test/fixtures/relay/),
   * and some that apply but would place items differently on other replicas (update-check.ts):
   * such an update is refused (1007), and its room's doc is rebuilt from the store, as it is
   * after a failed write, so the doc never keeps a change that is not stored.
   */
  private async _commit(writes: readonly PendingWrite[]): Promise<void> {
    const applied: PendingWrite[] = [];
    for (const w of writes) {
      w.room.pendingWrites -= 1;
      if (w.room.disposed) continue;
      try {
        const placed = w.room.applyFromClient(w.update, w.conn);
        applied.push(placed === w.update ? w : { ...w, update: placed });
      } catch (error) {
        w.room.needsReload = true;
        this.metrics.error('apply_update');
        this.logger.warn(
          { event: 'bad_update', conn: w.conn.id, plan: w.room.planId, ...errorFields(error) },
          'update does not apply: refusing it',
        );
        w.conn.close(CLOSE_INVALID_PAYLOAD, 'update does not apply');
        this.costlyRefusal(w.conn);
      }
    }
    if (applied.length > 0) {
      const rooms = new Set(applied.map((w) => w.room));
      for (const room of rooms) room.committing = true;
      const started = performance.now();
      let result: WriteResult;
      try {
        result = await this._store.appendUpdates(
          applied.map((w) => ({ planId: w.room.planId, update: w.update })),
        );
      } catch (error) {
        result = { ok: false, code: 'io', message: errorFields(error).err };
      }
      for (const room of rooms) room.committing = false;
      this.metrics.observeWrite((performance.now() - started) / 1000);
      if (result.ok) {
        this.metrics.updatesCommitted += applied.length;
        for (const w of applied) {
          const room = w.room;
          if (!room.inStore) {
            // The first rows of this plan: another process may have created it meanwhile.
            room.inStore = true;
            this._unstored.delete(room);
            this._toAdopt.add(room);
          }
          room.logRows += 1;
          room.outUpdates.push(w.update);
          room.outSenders.add(w.conn);
          this._dirtyRooms.add(room);
          if (room.logRows >= this.limits.compactEvery) this._compactWhenQuiet(room);
        }
      } else {
        this.metrics.error('store_write');
        this.logger.error(
          {
            event: 'store_write_failed',
            code: result.code,
            updates: applied.length,
            err: result.message,
          },
          'could not save updates: refusing them',
        );
        const reason =
          result.code === 'disk_full'
            ? 'storage full: edit not saved'
            : `storage error (${result.code}): edit not saved`;
        for (const w of applied) w.room.needsReload = true;
        for (const conn of new Set(applied.map((w) => w.conn)))
          conn.close(CLOSE_INTERNAL_ERROR, reason);
      }
    }
    for (const w of writes) {
      if (w.room.needsReload && !w.room.disposed) await this._reload(w.room);
    }
    for (const w of writes) {
      const deferred = w.room.deferredSyncs;
      if (deferred.length === 0 || w.room.committing) continue;
      w.room.deferredSyncs = [];
      for (const { conn, stateVector } of deferred) conn.answerSync(stateVector);
    }
  }

  /** Rebuilds a room's doc from the store: what it holds beyond the store is dropped. */
  private async _reload(room: Room): Promise<void> {
    room.needsReload = false;
    const updates = await this._readStored(room, 'reload_failed');
    if (updates === null || room.disposed) return;
    room.resetDoc();
    this._applyStored(room, updates);
  }

  private _applyStored(room: Room, updates: readonly Uint8Array[]): void {
    for (const update of updates) {
      try {
        room.applyStored(update);
      } catch (error) {
        // A stored row that does not apply (rows are applied before they are stored, so this
        // is not expected): keep serving the rest of the plan.
        this.metrics.error('apply_update');
        this.logger.error(
          { event: 'bad_stored_update', plan: room.planId, ...errorFields(error) },
          'skipped a stored update',
        );
      }
    }
    room.logRows = updates.length;
    room.inStore = updates.length > 0;
    if (room.inStore) this._unstored.delete(room);
    else this._unstored.add(room);
  }

  /** Looks for plans that another process created while their room was loaded empty. */
  private _findNewPlans(): void {
    for (const room of this._unstored) {
      if (room.disposed || room.inStore) {
        this._unstored.delete(room);
        continue;
      }
      if (!room.ready || room.adopting) continue;
      room.adopting = true;
      void this._adoptStored(room).finally(() => {
        room.adopting = false;
      });
    }
  }

  /**
   * Reads what is stored for a room's plan that the room has not got (rows another process
   * wrote while the room held nothing stored), applies it and relays it to every connection.
   * When the store holds just the rows the room knows of (none yet, or its own first commit),
   * it reads nothing more. Never throws: a failed read is logged and tried again at the next poll.
   */
  private async _adoptStored(room: Room): Promise<void> {
    let updates: Uint8Array[];
    try {
      if ((await this._store.logLength(room.planId)) === room.logRows) return;
      updates = await this._store.loadUpdates(room.planId);
    } catch (error) {
      this.metrics.error('store_read');
      this.logger.warn(
        { event: 'new_plan_check_failed', plan: room.planId, ...errorFields(error) },
        'could not look for the plan in the store',
      );
      if (!room.disposed) {
        room.inStore = false;
        this._unstored.add(room);
      }
      return;
    }
    if (room.disposed) return;
    const before = Y.encodeStateVector(room.doc);
    this._applyStored(room, updates);
    const after = Y.encodeStateVector(room.doc);
    if (Buffer.compare(before, after) === 0) return;
    this.logger.info(
      { event: 'plan_stored_elsewhere', plan: room.planId, rows: updates.length },
      'plan created by another process: relaying it',
    );
    this._sendToAll(room, encodeUpdate(Y.encodeStateAsUpdate(room.doc, before)));
  }

  private _broadcast(room: Room): void {
    if (room.disposed) return;
    let update: Uint8Array | undefined;
    let awareness: Uint8Array | undefined;
    if (room.outUpdates.length > 0) {
      const updates = room.outUpdates;
      room.outUpdates = [];
      try {
        update = encodeUpdate(updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates));
      } catch {
        update = undefined;
        for (const u of updates) this._sendToAll(room, encodeUpdate(u));
      }
    }
    if (room.dirtyAwareness.size > 0) {
      awareness = encodeAwareness(awarenessEntries(room, room.dirtyAwareness));
      for (const clientId of room.dirtyAwareness) {
        const slot = room.awareness.get(clientId);
        if (slot?.state !== 'null') continue;
        room.awareness.delete(clientId);
        room.awarenessTombstones.set(clientId, slot.clock);
        if (room.awarenessTombstones.size > MAX_AWARENESS_TOMBSTONES) {
          const oldest = room.awarenessTombstones.keys().next();
          if (oldest.done !== true) room.awarenessTombstones.delete(oldest.value);
        }
      }
      room.dirtyAwareness.clear();
    }
    // A turn with one sender: it has its own update already, so it is not echoed back, and
    // the others are served first. (Awareness is echoed: y-websocket clients drop a connection
    // that sent nothing for 30 s, and awareness renewals are what a lone client receives.)
    const soleSender =
      room.outSenders.size === 1 ? room.outSenders.values().next().value : undefined;
    room.outSenders.clear();
    // One frame per message: a y-websocket client reads exactly one message per frame.
    for (const conn of room.conns) {
      if (conn === soleSender) continue;
      if (update !== undefined) conn.send(update);
      if (awareness !== undefined) conn.send(awareness);
    }
    if (soleSender !== undefined && awareness !== undefined) soleSender.send(awareness);
  }

  private _sendToAll(room: Room, message: Uint8Array): void {
    for (const conn of room.conns) conn.send(message);
  }

  private _heartbeat(): void {
    for (const room of this._rooms.values()) for (const conn of [...room.conns]) conn.heartbeat();
  }

  /**
   * Compacts the room's plan once it has been quiet for compactQuietMs (or is far too long).
   * Called on every commit past compactEvery, so it keeps one timer per quiet period and moves
   * it on when it fires early, rather than replacing a timer per commit.
   */
  private _compactWhenQuiet(room: Room): void {
    room.lastCommitAt = performance.now();
    if (room.logRows >= 10 * this.limits.compactEvery) {
      if (room.compactTimer !== undefined) clearTimeout(room.compactTimer);
      room.compactTimer = undefined;
      // Once, not again for every commit that comes while it runs: under a steady stream of
      // edits that would merge the same plan back to back and take the relay's core.
      if (this._compactingPlan !== room.planId) this._scheduleCompaction(room);
      return;
    }
    if (room.compactTimer !== undefined) return;
    const arm = (delay: number): void => {
      room.compactTimer = setTimeout(() => {
        room.compactTimer = undefined;
        if (room.disposed) return;
        const quietFor = performance.now() - room.lastCommitAt;
        if (quietFor < this.limits.compactQuietMs) arm(this.limits.compactQuietMs - quietFor);
        else this._scheduleCompaction(room);
      }, delay);
      room.compactTimer.unref();
    };
    arm(this.limits.compactQuietMs);
  }

  private _scheduleCompaction(room: Room): void {
    if (this._closing) return;
    this._compactQueue.set(room.planId, room.logRows);
    if (this._compacting) return;
    this._compacting = true;
    const step = (): void => {
      const next = this._compactQueue.entries().next();
      if (next.done === true || this._closing) {
        this._compacting = false;
        return;
      }
      const [id, rows] = next.value;
      this._compactQueue.delete(id);
      this._compactingPlan = id;
      void this._compactOne(id, rows).finally(() => {
        this._compactingPlan = undefined;
        setImmediate(step);
      });
    };
    setImmediate(step);
  }

  /**
   * Merges the plan's log into one row: all the rows its room counts now, or counted when it
   * asked (it has unloaded since, and has not been loaded again), so that the next compaction
   * is compactEvery rows away.
   */
  private async _compactOne(planId: string, asked: number): Promise<void> {
    const loaded = this._rooms.get(planId);
    // A room still loading counts no rows yet.
    const rows = loaded?.ready === true ? loaded.logRows : asked;
    try {
      const result = await this._store.compact(planId, rows);
      if (result.merged === 0) return;
      this.metrics.compactions += 1;
      const room = this._rooms.get(planId);
      if (room !== undefined) room.logRows = Math.max(1, room.logRows - result.merged + 1);
      if (result.dropped > 0) {
        this.metrics.error('compaction');
        this.logger.error(
          { event: 'compaction_dropped', plan: planId, dropped: result.dropped },
          'dropped stored updates that do not apply',
        );
      }
      this.logger.debug(
        { event: 'compacted', plan: planId, rows: result.merged },
        'compacted plan log',
      );
    } catch (error) {
      this.metrics.error('compaction');
      this.logger.error(
        { event: 'compaction_failed', plan: planId, ...errorFields(error) },
        'compaction failed',
      );
    }
  }

  /**
   * Graceful stop: closes every connection (1001), commits what is queued, unloads every plan.
   * The store stays open; its owner closes it.
   */
  async close(): Promise<void> {
    this._closing = true;
    clearInterval(this._pingTimer);
    clearInterval(this._newPlanTimer);
    for (const room of this._rooms.values()) {
      for (const conn of [...room.conns]) conn.close(CLOSE_GOING_AWAY, 'relay shutting down');
    }
    while (this._flushScheduled || this._flushing !== undefined || this._writes.length > 0) {
      if (this._flushing !== undefined) await this._flushing;
      else if (this._writes.length > 0 && !this._flushScheduled) this._scheduleFlush();
      else await new Promise<void>((resolve) => setImmediate(resolve));
    }
    for (const room of [...this._rooms.values()]) this._dispose(room);
  }
}
