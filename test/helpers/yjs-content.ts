import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

/** A fresh doc (gc on, as the relay's) holding `updates`, applied in order. */
export function docWith(...updates: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc({ gc: true });
  for (const u of updates) Y.applyUpdate(doc, u);
  return doc;
}

/**
 * Everything a reader sees in the relay fixtures' docs (`tasks`, `meta`, `t`, `arr`), with map
 * keys sorted (their order is not content). `formatting: false` leaves out the text's
 * formatting attributes.
 */
export function contentOf(doc: Y.Doc, { formatting = true } = {}): unknown {
  const canon = (v: unknown): unknown => {
    if (v instanceof Y.AbstractType) return canon(v.toJSON());
    if (v instanceof Y.Doc) return `doc:${v.guid}`;
    if (typeof v === 'bigint') return `${v}n`;
    if (Array.isArray(v)) return v.map(canon);
    if (v !== null && typeof v === 'object' && !(v instanceof Uint8Array)) {
      const o = v as Record<string, unknown>;
      return Object.fromEntries(
        Object.keys(o)
          .sort()
          .map((k) => [k, canon(o[k])]),
      );
    }
    return v;
  };
  return canon({
    tasks: doc.getMap('tasks').toJSON(),
    meta: doc.getMap('meta').toJSON(),
    t: formatting ? doc.getText('t').toDelta() : doc.getText('t').toString(),
    arr: doc.getArray('arr').toJSON(),
  });
}

/** A y-websocket sync frame carrying `update` (messageSync, then messageYjsUpdate). */
export function updateFrame(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, 2);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

/** The update a sync frame carries; throws if it is not one. */
export function updateOfFrame(frame: Uint8Array): Uint8Array {
  const decoder = decoding.createDecoder(frame);
  if (decoding.readVarUint(decoder) !== 0 || decoding.readVarUint(decoder) !== 2)
    throw new Error('not a sync update frame');
  return decoding.readVarUint8Array(decoder);
}
