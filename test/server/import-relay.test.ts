// `qingdan import --plan` prepares a plan before anyone connects: a relay started on that
// data dir serves it to a stock y-websocket client. Someone may also have opened the (empty)
// plan before it was imported: the relay then brings the imported plan to them.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readPlan, type TaskNode } from '../../shared/index.ts';
import { runImportCommand } from '../../server/import-command.ts';
import { eventually } from '../helpers/eventually.ts';
import type { RoomLimits } from '../../server/rooms.ts';
import {
  connectClient,
  makeTempDir,
  removeDir,
  startTestRelay,
  type TestClient,
  type TestRelay,
} from '../helpers/relay.ts';
import { fixture } from '../shared/import/helpers.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const count = (nodes: readonly TaskNode[]): number =>
  nodes.reduce((n, t) => n + 1 + count(t.children), 0);

const TITLE = '2023年关于加强党风廉政建设和反腐败工作的实施意见';

/** A temp dir with the seed file; returns the data dir and an importer into it. */
function setUp(): { data: string; importSeed: () => Promise<void> } {
  const dir = makeTempDir('qingdan-import-relay-');
  cleanups.push(() => removeDir(dir));
  const file = join(dir, 'seed.txt');
  writeFileSync(file, fixture('2023-party-conduct-implementation-opinions.txt'));
  const data = join(dir, 'data');
  return {
    data,
    async importSeed() {
      let stderr = '';
      const code = await runImportCommand([file, '--plan', 'party-2023', '--data', data], {
        stdout: { write: () => true },
        stderr: { write: (s: string) => (stderr += s) },
      });
      expect(stderr).toBe('');
      expect(code).toBe(0);
    },
  };
}

/** A relay on `data`, closed after the test. */
async function relayOn(data: string, limits: Partial<RoomLimits> = {}): Promise<TestRelay> {
  const relay = await startTestRelay({ dataDir: data, limits });
  cleanups.push(() => relay.close());
  return relay;
}

/** A stock client of the seed's plan id on `relay`, synced, destroyed after the test. */
async function openSeedPlan(relay: TestRelay): Promise<TestClient> {
  const client = connectClient(relay.url.replace(/^http/, 'ws'), 'party-2023');
  cleanups.push(() => client.destroy());
  await client.synced();
  return client;
}

describe('qingdan import --plan, then the relay', () => {
  it('serves the imported plan to the first client that connects', async () => {
    const { data, importSeed } = setUp();
    await importSeed();

    const client = await openSeedPlan(await relayOn(data));
    const plan = readPlan(client.doc);
    expect(plan.title).toBe(TITLE);
    expect(plan.year).toBe(2023);
    expect(plan.tasks.map((t) => t.title)).toEqual(['总体思路', '工作要求', '保障措施']);
    expect(count(plan.tasks)).toBe(19);
  });
});

describe('qingdan import --plan while someone has that empty plan open', () => {
  it('brings the imported plan to them without a reconnect', async () => {
    const { data, importSeed } = setUp();
    const relay = await relayOn(data, { newPlanPollMs: 100 });
    const early = await openSeedPlan(relay);
    expect(readPlan(early.doc).tasks).toEqual([]);

    await importSeed();
    await eventually(() => readPlan(early.doc).title === TITLE, 5000);
    expect(count(readPlan(early.doc).tasks)).toBe(19);
    const late = await openSeedPlan(relay);
    expect(count(readPlan(late.doc).tasks)).toBe(19);
  });

  it('keeps both when an edit of theirs is stored after the import and before the relay looked', async () => {
    const { data, importSeed } = setUp();
    // The relay does not look on its own here: only its own first commit can find the import.
    const relay = await relayOn(data, { newPlanPollMs: 3_600_000 });
    const early = await openSeedPlan(relay);

    await importSeed();
    early.doc.getMap('notes').set('early', '先到的批注');
    await eventually(() => readPlan(early.doc).title === TITLE, 5000);
    expect(count(readPlan(early.doc).tasks)).toBe(19);
    expect(early.doc.getMap('notes').get('early')).toBe('先到的批注');
    await relay.close();
    const reader = await openSeedPlan(await relayOn(data));
    expect(count(readPlan(reader.doc).tasks)).toBe(19);
    expect(reader.doc.getMap('notes').get('early')).toBe('先到的批注');
  });
});
