import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import type { WebsocketProvider } from 'y-websocket';
import { ConfirmationTracker } from '../../../client/sync/confirmations.ts';
import { addTask, createPlan, updateTask } from '../../../shared/index.ts';

const LOCAL = { kind: 'test-local' };

/** A provider stand-in: the parts of y-websocket's provider the tracker uses. */
function fakeProvider(doc: Y.Doc) {
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
  /** Delivers a message from the relay to the provider, as y-websocket's readMessage does. */
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
  return { provider: provider as unknown as WebsocketProvider, sent, original, receive };
}

function step1(relay: Y.Doc): Uint8Array {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, 0);
  syncProtocol.writeSyncStep1(enc, relay);
  return encoding.toUint8Array(enc);
}

describe('ConfirmationTracker', () => {
  it('counts local transactions until the relay’s state vector covers them', () => {
    vi.useFakeTimers();
    const doc = new Y.Doc();
    const relay = new Y.Doc();
    const { provider, sent, original, receive } = fakeProvider(doc);
    const t = new ConfirmationTracker(doc, provider, (o) => o === LOCAL);
    createPlan(doc, { title: '计划' }, { origin: LOCAL });
    const id = addTask(doc, null, { title: '一' }, {}, { origin: LOCAL });
    updateTask(doc, id, { title: '一二' }, { origin: LOCAL });
    expect(t.count).toBe(3);

    // The relay has the first two only.
    const partial = new Y.Doc();
    Y.applyUpdate(relay, Y.encodeStateAsUpdate(doc));
    Y.applyUpdate(partial, Y.encodeStateAsUpdate(doc));
    receive(step1(partial));
    expect(t.count).toBe(0);
    expect(original).toHaveBeenCalledTimes(1);

    updateTask(doc, id, { title: '一二三' }, { origin: LOCAL });
    expect(t.count).toBe(1);
    // After the pause, it asks the relay with a sync step 1 of its own.
    vi.advanceTimersByTime(400);
    expect(sent.length).toBe(1);
    receive(step1(relay));
    expect(t.count).toBe(1);
    Y.applyUpdate(relay, Y.encodeStateAsUpdate(doc));
    receive(step1(relay));
    expect(t.count).toBe(0);
    t.dispose();
    vi.useRealTimers();
  });

  it('ignores remote transactions and restores the handler on dispose', () => {
    const doc = new Y.Doc();
    const { provider, original } = fakeProvider(doc);
    const t = new ConfirmationTracker(doc, provider, (o) => o === LOCAL);
    const other = new Y.Doc();
    createPlan(other, { title: '别人' });
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other), 'remote');
    expect(t.count).toBe(0);
    t.dispose();
    expect(provider.messageHandlers[0]).toBe(original);
  });

  it('counts changes of earlier sessions the stored relay state lacks', () => {
    const earlier = new Y.Doc();
    createPlan(earlier, { title: '上次' });
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(earlier));
    const { provider } = fakeProvider(doc);
    const t = new ConfirmationTracker(doc, provider, () => false, Y.encodeStateVector(new Y.Doc()));
    expect(t.count).toBe(1);
    t.dispose();
  });
});
