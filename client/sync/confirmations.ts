import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import type { WebsocketProvider } from 'y-websocket';

/** Wait after the last local edit before asking the relay what it has. */
export const QUERY_DELAY_MS = 300;
/** While changes stay unconfirmed on an open connection, ask again this often. */
const RETRY_MS = 5_000;

interface Pending {
  /** This client's clock after the transaction. */
  readonly clock: number;
  /** For a transaction that only deletes (no clock change): the query that must be answered. */
  readonly query: number;
}

/**
 * Counts the local transactions the relay has not yet confirmed.
 *
 * A local transaction that inserted anything is confirmed once the relay's clock for this
 * document's clientID has reached the clock after the transaction. One that only deleted
 * (an undo of an insertion) does not move the clock; it is confirmed once the relay answers
 * a query sent after it.
 *
 * The relay's clocks come from two places, both read by peeking at the provider's sync
 * handler (which still runs unchanged): the relay's own sync step 1 (its state vector),
 * and the answer to a *probe* — a sync step 1 this tracker sends after local edits, whose
 * state vector claims of this client (and of any other client of this device the relay
 * lacked) only what the relay is known to hold, so that the relay's step 2 carries back
 * what it got of them since; the end of that update (`parseUpdateMeta(update).to`) is the
 * relay's clock. The probe works with
 * any relay that speaks the y-websocket protocol; step 2 answers come in the order of the
 * step 1 messages on one socket.
 */
export class ConfirmationTracker {
  private _pending: Pending[] = [];
  private _relaySv: Map<number, number> | null = null;
  private _queriesSent = 0;
  private _queriesAnswered = 0;
  /** Step 1 messages sent on this socket whose step 2 has not come: the provider's own
   * handshake (null) or a probe (the clients it left out). */
  private _awaiting: (number[] | null)[] = [];
  private _timer: ReturnType<typeof setTimeout> | undefined;
  private _retry: ReturnType<typeof setInterval> | undefined;
  private readonly _listeners = new Set<() => void>();
  private readonly _originalHandler: WebsocketProvider['messageHandlers'][number];
  private _disposed = false;

  private readonly _doc: Y.Doc;
  private readonly _provider: WebsocketProvider;
  private readonly _isLocal: (origin: unknown) => boolean;
  private readonly _onRelaySv: ((sv: Uint8Array) => void) | undefined;

  /**
   * @param relaySv the relay's state vector as last stored, so that changes made in earlier
   *   sessions on this device count before the relay answers
   */
  constructor(
    doc: Y.Doc,
    provider: WebsocketProvider,
    isLocal: (origin: unknown) => boolean,
    relaySv: Uint8Array | null = null,
    onRelaySv?: (sv: Uint8Array) => void,
  ) {
    this._doc = doc;
    this._provider = provider;
    this._isLocal = isLocal;
    this._onRelaySv = onRelaySv;
    const _doc = doc;
    const _provider = provider;
    if (relaySv) this._relaySv = Y.decodeStateVector(relaySv);
    const original = _provider.messageHandlers[0] as WebsocketProvider['messageHandlers'][number];
    this._originalHandler = original;
    _provider.messageHandlers[0] = (encoder, decoder, provider, emitSynced, type) => {
      // emitSynced is false for messages from other tabs (BroadcastChannel): not the relay.
      if (emitSynced) this._peek(decoder);
      original(encoder, decoder, provider, emitSynced, type);
    };
    _doc.on('afterTransaction', this._onTransaction);
    _provider.on('status', this._onStatus);
    this._retry = setInterval(() => {
      if (this.count > 0) this.query();
    }, RETRY_MS);
  }

  /** Local changes not yet confirmed by the relay (this session's transactions, plus one per
   * other client of this device whose changes the relay lacks). */
  get count(): number {
    return this._pending.length + this._carried();
  }

  /** Whether the relay's state vector has been seen (this session or stored). */
  get known(): boolean {
    return this._relaySv !== null;
  }

  onChange(fn: () => void): () => void {
    this._listeners.add(fn);
    return () => this._listeners.delete(fn);
  }

  /** Sends a probe (a sync step 1 that claims only what the relay is known to hold of
   * this client) so the relay's answer tells what it has. */
  query(): void {
    const ws = this._provider.ws;
    if (!this._provider.wsconnected || ws === null || ws.readyState !== 1) return;
    const sv = Y.decodeStateVector(Y.encodeStateVector(this._doc));
    const probe = [this._doc.clientID, ...this._carriedClients()];
    // From the clock the relay is known to have: its answer echoes only what it got since.
    for (const c of probe) sv.set(c, this._relaySv?.get(c) ?? 0);
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep1);
    encoding.writeVarUint8Array(encoder, Y.encodeStateVector(sv));
    this._queriesSent += 1;
    this._awaiting.push(probe);
    ws.send(encoding.toUint8Array(encoder));
  }

  dispose(): void {
    if (this._disposed) return;
    this._disposed = true;
    this._provider.messageHandlers[0] = this._originalHandler;
    this._doc.off('afterTransaction', this._onTransaction);
    this._provider.off('status', this._onStatus);
    clearTimeout(this._timer);
    clearInterval(this._retry);
    this._listeners.clear();
  }

  private _carried(): number {
    return this._carriedClients().length;
  }

  /** Other clients of this doc whose changes the relay is known to lack. */
  private _carriedClients(): number[] {
    const relay = this._relaySv;
    if (relay === null) return [];
    const out: number[] = [];
    for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(this._doc)))
      if (client !== this._doc.clientID && clock > (relay.get(client) ?? 0)) out.push(client);
    return out;
  }

  private readonly _onTransaction = (tr: Y.Transaction): void => {
    if (!this._isLocal(tr.origin)) {
      if (this._relaySv !== null && tr.afterState.size !== tr.beforeState.size) this._emit();
      return;
    }
    const id = this._doc.clientID;
    const before = tr.beforeState.get(id) ?? 0;
    const after = tr.afterState.get(id) ?? 0;
    if (after === before && tr.deleteSet.clients.size === 0) return;
    this._pending.push({ clock: after, query: after === before ? this._queriesSent + 1 : 0 });
    this._emit();
    clearTimeout(this._timer);
    this._timer = setTimeout(() => this.query(), QUERY_DELAY_MS);
  };

  private readonly _onStatus = ({ status }: { status: string }): void => {
    if (status !== 'connected') return;
    this._firstOnSocket = true;
    // The provider sends its own step 1 right after this event: its answer is not a probe's.
    this._awaiting = [null];
  };

  private _firstOnSocket = false;

  private _peek(decoder: decoding.Decoder): void {
    const peek = decoding.createDecoder(decoder.arr);
    peek.pos = decoder.pos;
    const type = decoding.readVarUint(peek);
    if (type === syncProtocol.messageYjsSyncStep2) {
      const probe = this._awaiting.shift();
      if (!probe) return;
      const to = Y.parseUpdateMeta(decoding.readVarUint8Array(peek)).to;
      const sv = this._relaySv ?? new Map<number, number>();
      for (const c of probe) sv.set(c, Math.max(sv.get(c) ?? 0, to.get(c) ?? 0));
      this._queriesAnswered = this._queriesSent - this._awaiting.filter(Boolean).length;
      this._learned(sv);
      return;
    }
    if (type !== syncProtocol.messageYjsSyncStep1) return;
    this._learned(Y.decodeStateVector(decoding.readVarUint8Array(peek)));
    if (this._firstOnSocket) {
      // The relay's first step 1 comes before it has our offline edits (our step 2 answers
      // it): ask again once that answer is on its way.
      this._firstOnSocket = false;
      clearTimeout(this._timer);
      this._timer = setTimeout(() => this.query(), QUERY_DELAY_MS);
    }
  }

  private _learned(sv: Map<number, number>): void {
    this._relaySv = sv;
    this._onRelaySv?.(Y.encodeStateVector(sv));
    const relayClock = sv.get(this._doc.clientID) ?? 0;
    this._pending = this._pending.filter(
      (p) => p.clock > relayClock || p.query > this._queriesAnswered,
    );
    this._emit();
  }

  private _emit(): void {
    for (const fn of this._listeners) fn();
  }
}
