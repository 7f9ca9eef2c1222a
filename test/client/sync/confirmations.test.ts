import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import type { WebsocketProvider } from 'y-websocket';
import { ConfirmationTracker } from '../../../client/sync/confirmations.ts';
import { addTask, createPlan, updateTask } from '../../../shared/index.ts';

const LOCAL = { kind: 'test-local' };

/** A provider stand-in with the parts of y-websocket's provider the tracker uses, and a
 * relay doc that answers every sync step 1 the way a y-websocket relay does (step 2). */
function setup(doc: Y.Doc) {
  const relay = new Y.Doc();
  const sent: Uint8Array[] = [];
  const listeners = new Map<string, (arg: { status: string }) => void>();
  const original = vi.fn(
    (enc: encoding.Encoder, dec: decoding.Decoder, p: { doc: Y.Doc }) =>
      void syncProtocol.readSyncMessage(dec, enc, p.doc, 'relay'),
  );
  const provider = {
    doc,
    messageHandlers: [original],
    wsconnected: true,
    ws: { readyState: 1, send: (m: Uint8Array) => sent.push(m) },
    on: (name: string, fn: (arg: { status: string }) => void) => listeners.set(name, fn),
    off: (name: string) => listeners.delete(name),
  };
  /** Delivers a message from the relay, as y-websocket's readMessage does. */
  const receive = (msg: Uint8Array): void => {
    const dec = decoding.createDecoder(msg);
    const type = decoding.readVarUint(dec);
    const handler = provider.messageHandlers[type] as unknown as (
      e: encoding.Encoder,
      d: decoding.Decoder,
      p: unknown,
      emitSynced: boolean,
      t: number,
    ) => void;
    handler(encoding.createEncoder(), dec, provider, true, type);
  };
  /** The relay answers every step 1 sent so far. */
  const answer = (): void => {
    for (const m of sent.splice(0)) {
      const dec = decoding.createDecoder(m);
      decoding.readVarUint(dec);
      const enc = encoding.createEncoder();
      encoding.writeVarUint(enc, 0);
      syncProtocol.readSyncMessage(dec, enc, relay, null);
      receive(encoding.toUint8Array(enc));
    }
  };
  const connect = (): void => listeners.get('status')?.({ status: 'connected' });
  return {
    provider: provider as unknown as WebsocketProvider,
    relay,
    sent,
    original,
    receive,
    answer,
    connect,
  };
}

function step1(relay: Y.Doc): Uint8Array {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, 0);
  syncProtocol.writeSyncStep1(enc, relay);
  return encoding.toUint8Array(enc);
}

describe('ConfirmationTracker', () => {
  it('confirms local transactions from a probe answered with step 2 (any y-websocket relay)', () => {
    vi.useFakeTimers();
    const doc = new Y.Doc();
    const { provider, relay, sent, original, answer } = setup(doc);
    const t = new ConfirmationTracker(doc, provider, (o) => o === LOCAL);
    createPlan(doc, { title: '计划' }, { origin: LOCAL });
    const id = addTask(doc, null, { title: '一' }, {}, { origin: LOCAL });
    expect(t.count).toBe(2);

    // Nothing reached the relay yet: the probe after the pause says so.
    vi.advanceTimersByTime(400);
    expect(sent.length).toBe(1);
    answer();
    expect(t.count).toBe(2);
    Y.applyUpdate(relay, Y.encodeStateAsUpdate(doc));
    t.query();
    expect(sent.length).toBe(1);
    answer();
    expect(t.count).toBe(0);
    expect(original).toHaveBeenCalled();

    updateTask(doc, id, { title: '一二' }, { origin: LOCAL });
    expect(t.count).toBe(1);
    vi.advanceTimersByTime(400);
    answer();
    expect(t.count).toBe(1);
    Y.applyUpdate(relay, Y.encodeStateAsUpdate(doc));
    t.query();
    answer();
    expect(t.count).toBe(0);
    t.dispose();
    vi.useRealTimers();
  });

  it('reads the relay’s state vector from its own step 1 too', () => {
    const doc = new Y.Doc();
    const { provider, relay, receive } = setup(doc);
    const t = new ConfirmationTracker(doc, provider, (o) => o === LOCAL);
    createPlan(doc, { title: '计划' }, { origin: LOCAL });
    expect(t.count).toBe(1);
    receive(step1(relay));
    expect(t.count).toBe(1);
    Y.applyUpdate(relay, Y.encodeStateAsUpdate(doc));
    receive(step1(relay));
    expect(t.count).toBe(0);
    t.dispose();
  });

  it('does not take the answer to the provider’s own handshake for a probe', () => {
    const doc = new Y.Doc();
    const { provider, answer, connect, relay } = setup(doc);
    const t = new ConfirmationTracker(doc, provider, (o) => o === LOCAL);
    createPlan(doc, { title: '计划' }, { origin: LOCAL });
    connect();
    // The provider's handshake step 1 (full state vector): its step 2 carries nothing of ours.
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, 0);
    syncProtocol.writeSyncStep1(enc, doc);
    (provider.ws as unknown as { send: (m: Uint8Array) => void }).send(encoding.toUint8Array(enc));
    Y.applyUpdate(relay, Y.encodeStateAsUpdate(doc));
    answer();
    expect(t.count).toBe(1);
    t.query();
    answer();
    expect(t.count).toBe(0);
    t.dispose();
  });

  it('ignores remote transactions and restores the handler on dispose', () => {
    const doc = new Y.Doc();
    const { provider, original } = setup(doc);
    const t = new ConfirmationTracker(doc, provider, (o) => o === LOCAL);
    const other = new Y.Doc();
    createPlan(other, { title: '别人' });
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other), 'remote');
    expect(t.count).toBe(0);
    t.dispose();
    expect(provider.messageHandlers[0]).toBe(original);
  });

  it('counts changes of earlier sessions the stored relay state lacks, until a probe', () => {
    const earlier = new Y.Doc();
    createPlan(earlier, { title: '上次' });
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(earlier));
    const { provider, relay, answer } = setup(doc);
    const t = new ConfirmationTracker(doc, provider, () => false, Y.encodeStateVector(new Y.Doc()));
    expect(t.count).toBe(1);
    Y.applyUpdate(relay, Y.encodeStateAsUpdate(doc));
    t.query();
    answer();
    expect(t.count).toBe(0);
    t.dispose();
  });
});
