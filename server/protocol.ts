/**
 * The y-websocket wire protocol as the relay speaks it: decoding what a client sends, with
 * every length checked, and encoding what the relay sends back. Nothing here does I/O; the
 * relay talks to sockets through the minimal {@link Socket} interface, so the same code runs
 * over `ws`, a test double, or (later) another transport.
 */
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';

/** Top-level message types of y-websocket (y-websocket/src/y-websocket.js). */
export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;

/**
 * Sub-types of a sync message, from y-protocols. Its readSyncMessage is not used on input:
 * it applies an update before anything can check it. Awareness is decoded here too rather
 * than through y-protocols' Awareness, which parses and re-serialises every state and keeps
 * a timer per document; the wire format is the same.
 */
export const SYNC_STEP1: number = syncProtocol.messageYjsSyncStep1;
export const SYNC_STEP2: number = syncProtocol.messageYjsSyncStep2;
export const SYNC_UPDATE: number = syncProtocol.messageYjsUpdate;

/**
 * WebSocket close codes the relay uses. 1xxx are RFC 6455; 4400–4499 mirror HTTP 4xx and tell
 * a stock y-websocket client not to reconnect (its `defaultShouldReconnect`), so they are kept
 * for decisions a reconnect cannot change (auth). Everything transient stays outside that range.
 */
export const CLOSE_NORMAL = 1000;
/** The relay is shutting down; the client reconnects to the next one. */
export const CLOSE_GOING_AWAY = 1001;
/** A frame that does not decode as a y-websocket message, or an update Yjs cannot read. */
export const CLOSE_INVALID_PAYLOAD = 1007;
/** Rate limit, awareness bounds, a peer that does not read what we send. */
export const CLOSE_POLICY_VIOLATION = 1008;
/** A frame larger than --max-message-bytes (`ws` sends it itself through `maxPayload`). */
export const CLOSE_MESSAGE_TOO_BIG = 1009;
/** The store refused the write (disk full, read-only); the update was not saved nor relayed. */
export const CLOSE_INTERNAL_ERROR = 1011;
/** No valid credentials (issue 7 plugs the token check in through `authorize`). */
export const CLOSE_UNAUTHORIZED = 4401;
/** Valid credentials, but not allowed: e.g. a read-only connection that sent an edit. */
export const CLOSE_FORBIDDEN = 4403;

/**
 * What the relay needs from a connected socket. `ws`'s WebSocket satisfies it; so can a
 * test double (Hocuspocus `WebSocketLike`).
 */
export interface Socket {
  send(data: Uint8Array): void;
  close(code: number, reason: string): void;
  /** Drop the connection without a closing handshake (a peer that stopped answering pings). */
  terminate(): void;
  ping(): void;
  /** Bytes queued for sending and not yet handed to the kernel. */
  readonly bufferedAmount: number;
}

/** One entry of an awareness update, with its state kept as the JSON text that was sent. */
export interface AwarenessEntry {
  readonly clientId: number;
  readonly clock: number;
  /** JSON text; `'null'` removes the entry. Kept as text so relaying never re-serialises it. */
  readonly state: string;
}

/** What `Y.decodeUpdate` reads from an update. */
export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

/** A decoded client message. */
export type ClientMessage =
  | { readonly type: 'sync-step1'; readonly stateVector: Uint8Array }
  | {
      readonly type: 'sync-step2' | 'update';
      readonly update: Uint8Array;
      /** Its structs and deletions, as the check before applying decoded them. */
      readonly decoded: DecodedUpdate;
    }
  | { readonly type: 'awareness'; readonly entries: readonly AwarenessEntry[] }
  | { readonly type: 'query-awareness' };

/** Limits applied while decoding. */
export interface DecodeLimits {
  /** Largest JSON text of one awareness state, in UTF-16 code units. */
  readonly maxAwarenessStateLength: number;
  /** Most entries one awareness message may carry. */
  readonly maxAwarenessEntriesPerMessage: number;
}

/** Why a frame was refused; the message is safe to log (it never contains frame content). */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });
const MAX_CLIENT_ID = 0xffff_ffff;

/**
 * lib0's `readVarUint8Array` silently returns a shorter view when the length runs past the end
 * (it uses `subarray`), so a truncated frame would decode "successfully". Check it here.
 */
function readBytes(decoder: decoding.Decoder, what: string): Uint8Array {
  const length = decoding.readVarUint(decoder);
  if (length > decoder.arr.length - decoder.pos) {
    throw new ProtocolError(`truncated ${what}: ${length} bytes announced`);
  }
  return decoding.readUint8Array(decoder, length);
}

function readUint(decoder: decoding.Decoder, what: string): number {
  try {
    return decoding.readVarUint(decoder);
  } catch (cause) {
    throw new ProtocolError(`bad ${what}`, { cause });
  }
}

function decodeAwareness(payload: Uint8Array, limits: DecodeLimits): AwarenessEntry[] {
  const decoder = decoding.createDecoder(payload);
  const count = readUint(decoder, 'awareness entry count');
  if (count > limits.maxAwarenessEntriesPerMessage) {
    throw new ProtocolError(`awareness message with ${count} entries`);
  }
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = readUint(decoder, 'awareness client id');
    const clock = readUint(decoder, 'awareness clock');
    if (clientId > MAX_CLIENT_ID) throw new ProtocolError('awareness client id out of range');
    const bytes = readBytes(decoder, 'awareness state');
    let state: string;
    try {
      state = fatalUtf8.decode(bytes);
    } catch (cause) {
      throw new ProtocolError('awareness state is not UTF-8', { cause });
    }
    if (state.length > limits.maxAwarenessStateLength) {
      throw new ProtocolError(`awareness state of ${state.length} characters`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(state);
    } catch (cause) {
      throw new ProtocolError('awareness state is not JSON', { cause });
    }
    // y-protocols clients JSON.parse every state they receive and expect an object or null.
    if (typeof parsed !== 'object') throw new ProtocolError('awareness state is not an object');
    entries.push({ clientId, clock, state: parsed === null ? 'null' : state });
  }
  if (decoder.pos !== payload.length) throw new ProtocolError('trailing bytes in awareness');
  return entries;
}

function decodeUpdatePayload(update: Uint8Array): DecodedUpdate {
  // Check the update before anything applies it: Y.applyUpdate can throw half-way and leave a
  // Y.Doc half-changed, which y-protocols would then broadcast and a store would keep.
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  try {
    decoded = Y.decodeUpdate(update);
  } catch (cause) {
    throw new ProtocolError('update does not decode', { cause });
  }
  // Yjs never writes an empty struct or deletion, and takes both: an empty struct shares its
  // id with the next one, and an empty deletion makes the state Yjs encodes for late joiners
  // throw when applied (found by fuzzing, see test/fixtures/relay/).
  for (const struct of decoded.structs) {
    if (!(struct.length > 0)) throw new ProtocolError('update holds an empty item');
  }
  for (const ranges of decoded.ds.clients.values()) {
    for (const range of ranges) {
      if (!(range.len > 0)) throw new ProtocolError('update deletes an empty range');
    }
  }
  return decoded;
}

/**
 * Decodes one client frame. Throws {@link ProtocolError} for anything malformed, truncated,
 * over a limit, or of a type a client does not send; the caller closes that connection.
 */
export function decodeClientMessage(data: Uint8Array, limits: DecodeLimits): ClientMessage {
  try {
    return decodeUnchecked(data, limits);
  } catch (error) {
    // lib0 throws plain Errors ("Unexpected end of array") from deep inside: whatever a frame
    // makes the decoder throw is the frame's fault, never the relay's.
    if (error instanceof ProtocolError) throw error;
    throw new ProtocolError(
      `bad frame: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
      },
    );
  }
}

function decodeUnchecked(data: Uint8Array, limits: DecodeLimits): ClientMessage {
  const decoder = decoding.createDecoder(data);
  const type = readUint(decoder, 'message type');
  let message: ClientMessage;
  switch (type) {
    case MESSAGE_SYNC: {
      const step = readUint(decoder, 'sync message type');
      const payload = readBytes(decoder, 'sync payload');
      if (step === SYNC_STEP1) {
        try {
          Y.decodeStateVector(payload);
        } catch (cause) {
          throw new ProtocolError('state vector does not decode', { cause });
        }
        message = { type: 'sync-step1', stateVector: payload };
      } else if (step === SYNC_STEP2 || step === SYNC_UPDATE) {
        const decoded = decodeUpdatePayload(payload);
        message = {
          type: step === SYNC_STEP2 ? 'sync-step2' : 'update',
          update: payload,
          decoded,
        };
      } else {
        throw new ProtocolError(`unknown sync message type ${step}`);
      }
      break;
    }
    case MESSAGE_AWARENESS:
      message = {
        type: 'awareness',
        entries: decodeAwareness(readBytes(decoder, 'awareness'), limits),
      };
      break;
    case MESSAGE_QUERY_AWARENESS:
      message = { type: 'query-awareness' };
      break;
    default:
      // MESSAGE_AUTH is server-to-client only.
      throw new ProtocolError(`unknown message type ${type}`);
  }
  if (decoder.pos !== data.length) throw new ProtocolError('trailing bytes after message');
  return message;
}

/**
 * An encoder's bytes as a Buffer over the same memory. `ws` turns every Uint8Array it is given
 * into a Buffer, once per send: a message relayed to 200 sockets would be wrapped 200 times.
 */
function messageBytes(encoder: encoding.Encoder): Buffer {
  const bytes = encoding.toUint8Array(encoder);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The relay's sync step 1: its state vector, so the client answers with what the relay lacks. */
export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  syncProtocol.writeSyncStep1(encoder, doc);
  return messageBytes(encoder);
}

/**
 * Sync step 2 carrying an already encoded update (what the client lacks). y-protocols'
 * writeSyncStep2 encodes it from the doc each time; the relay caches the full state.
 */
export function encodeSyncStep2(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, SYNC_STEP2);
  encoding.writeVarUint8Array(encoder, update);
  return messageBytes(encoder);
}

/** A document update message. */
export function encodeUpdate(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  syncProtocol.writeUpdate(encoder, update);
  return messageBytes(encoder);
}

/** An awareness message with the given entries, in y-protocols' awareness encoding. */
export function encodeAwareness(entries: Iterable<AwarenessEntry>): Uint8Array {
  const list = [...entries];
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, list.length);
  for (const entry of list) {
    encoding.writeVarUint(inner, entry.clientId);
    encoding.writeVarUint(inner, entry.clock);
    encoding.writeVarString(inner, entry.state);
  }
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(encoder, encoding.toUint8Array(inner));
  return messageBytes(encoder);
}
