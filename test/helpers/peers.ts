import * as Y from 'yjs';

/** A Y.Doc with a pinned clientID, so tests are deterministic. */
export function peer(clientID: number): Y.Doc {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  return doc;
}

/** Peers with clientIDs 1..n. */
export function peers(n: number): Y.Doc[] {
  return Array.from({ length: n }, (_, i) => peer(i + 1));
}

/** Sends `from` everything `to` lacks. */
export function syncTo(from: Y.Doc, to: Y.Doc): void {
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
}

/** Exchanges state between every pair, so all end with the same state. */
export function syncAll(...docs: Y.Doc[]): void {
  for (const a of docs) for (const b of docs) if (a !== b) syncTo(a, b);
}
