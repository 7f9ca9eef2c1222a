/**
 * Fuzzes the relay's update path: mutates valid edits byte by byte and, for every mutated
 * update that Yjs takes (and, unless --no-check, that the relay's decoder and
 * server/update-check.ts let through),
 * checks that a doc rebuilt from the result's state (a late joiner, the compacted plan) and
 * one that reloads the stored rows (loads at all, and) read the same as the live doc, and
 * that the content can be read. Prints the counts; writes what it finds as sync frames into test-results/fuzz/.
 * Anything it finds belongs in test/fixtures/relay/ (see the README there).
 *
 *   npm run fuzz -- [--seed N] [--count N] [--base plan|fixture] [--edits N] [--no-check]
 *
 * `--base fixture` starts from test/fixtures/relay/base-state.update, `plan` (the default)
 * from plan-state.update; `--edits N` puts up to N edits into each update (default 1).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as Y from 'yjs';
import { decodeClientMessage } from '../../server/protocol.ts';
import { UpdateRefused, applyCheckedUpdate } from '../../server/update-check.ts';
import { seededRandom } from '../helpers/random.ts';
import { contentOf, docWith, updateFrame } from '../helpers/yjs-content.ts';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    count: { type: 'string', default: '20000' },
    base: { type: 'string', default: 'plan' },
    edits: { type: 'string', default: '1' },
    'no-check': { type: 'boolean', default: false },
  },
});
const ROOT = new URL('../../', import.meta.url).pathname;
const OUT = `${ROOT}test-results/fuzz/`;
const base = new Uint8Array(
  readFileSync(
    `${ROOT}test/fixtures/relay/${values.base === 'fixture' ? 'base-state' : 'plan-state'}.update`,
  ),
);

const random = seededRandom(Number(values.seed));
const below = (n: number): number => Math.floor(random() * n);

/** One edit of the kinds a plan sees, on what the doc holds. May throw on odd content. */
function edit(doc: Y.Doc): void {
  const tasks = doc.getMap<unknown>('tasks');
  const keys = [...tasks.keys()];
  const key = keys.length > 0 && random() < 0.8 ? keys[below(keys.length)]! : `n${below(100)}`;
  const task = tasks.get(key);
  const title = task instanceof Y.Map ? task.get('title') : undefined;
  const text = title instanceof Y.Text ? title : doc.getText('t');
  const arr = doc.getArray<unknown>('arr');
  switch (below(10)) {
    case 0:
      text.insert(below(text.length + 1), '新增文字');
      break;
    case 1:
      if (text.length > 0) text.delete(below(text.length), 1 + below(2));
      break;
    case 2:
      if (text.length > 0) text.format(0, Math.min(3, text.length), { bold: true });
      break;
    case 3:
      if (task instanceof Y.Map) task.set('status', 'doing');
      else tasks.set(key, 'x');
      break;
    case 4:
      tasks.delete(key);
      break;
    case 5: {
      const m = new Y.Map<unknown>();
      tasks.set(key, m);
      const t = new Y.Text();
      m.set('title', t);
      t.insert(0, '措施');
      break;
    }
    case 6:
      arr.insert(below(arr.length + 1), [below(9), 'x']);
      break;
    case 7:
      if (arr.length > 0) arr.delete(below(arr.length), 1);
      break;
    case 8:
      doc.getMap('meta').set('year', 2023);
      break;
    default:
      if (task instanceof Y.Map) task.set('deadline', { text: '6月底前' });
  }
}

function validUpdate(): Uint8Array {
  const doc = docWith(base);
  doc.clientID = 11 + below(3);
  const before = Y.encodeStateVector(doc);
  for (let i = 0, n = 1 + below(Number(values.edits)); i < n; i++) {
    try {
      edit(doc);
    } catch {
      // An edit that does not fit what an earlier one left: skip it.
    }
  }
  const update = Y.encodeStateAsUpdate(doc, before);
  doc.destroy();
  return update;
}

function mutate(update: Uint8Array): Uint8Array {
  const b = Uint8Array.from(update);
  const at = below(b.length);
  switch (below(5)) {
    case 0:
      for (let i = 0, n = 1 + below(3); i < n; i++) b[below(b.length)] = below(256);
      return b;
    case 1:
      b[at] = b[at]! ^ (1 << below(8));
      return b;
    case 2:
      b[at] = (b[at]! + (random() < 0.5 ? 1 : 255)) & 255;
      return b;
    case 3:
      return Uint8Array.from([...b.subarray(0, at), below(256), ...b.subarray(at)]);
    default:
      return Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + 1)]);
  }
}

const LIMITS = { maxAwarenessStateLength: 1000, maxAwarenessEntriesPerMessage: 10 };
const counts = { mutated: 0, taken: 0, refused: 0, diverged: 0, unreadable: 0, unloadable: 0 };
mkdirSync(OUT, { recursive: true });
function found(kind: 'diverged' | 'unreadable' | 'unloadable', update: Uint8Array): void {
  counts[kind] += 1;
  const name = `${kind}-${values.base}-${values.seed}-${counts[kind]}.frame`;
  if (counts[kind] <= 20) writeFileSync(`${OUT}${name}`, updateFrame(update));
}

for (let i = 0; i < Number(values.count); i++) {
  const update = mutate(validUpdate());
  counts.mutated += 1;
  try {
    // As the relay decodes a frame (without the relay, what Yjs's own decoder takes).
    if (values['no-check']) Y.decodeUpdate(update);
    else decodeClientMessage(updateFrame(update), LIMITS);
  } catch {
    continue;
  }
  const live = docWith(base);
  // What the relay would store and relay.
  let stored = update;
  try {
    if (values['no-check']) Y.applyUpdate(live, update);
    else stored = applyCheckedUpdate(live, update, null);
  } catch (error) {
    if (error instanceof UpdateRefused) counts.refused += 1;
    live.destroy();
    continue;
  }
  counts.taken += 1;
  let seen: string;
  try {
    seen = JSON.stringify(contentOf(live));
  } catch {
    found('unreadable', update);
    live.destroy();
    continue;
  }
  let joiner: Y.Doc;
  let reloaded: Y.Doc;
  try {
    joiner = docWith(Y.encodeStateAsUpdate(live));
    reloaded = docWith(base, stored);
  } catch {
    found('unloadable', update);
    continue;
  }
  const same = (d: Y.Doc): boolean => JSON.stringify(contentOf(d)) === seen;
  if (!same(joiner) || !same(reloaded)) found('diverged', update);
  for (const d of [live, joiner, reloaded]) d.destroy();
}
console.log(JSON.stringify({ ...values, ...counts }));
