// `qingdan import --plan` prepares a plan before anyone connects: a relay started on that
// data dir serves it to a stock y-websocket client. Someone may also have opened the (empty)
// plan before it was imported: the relay then brings the imported plan to them.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readPlan, type TaskNode } from '../../shared/index.ts';
import { runImportCommand } from '../../server/import-command.ts';
import { eventually } from '../helpers/eventually.ts';
import { connectClient, makeTempDir, removeDir, startTestRelay } from '../helpers/relay.ts';
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

describe('qingdan import --plan, then the relay', () => {
  it('serves the imported plan to the first client that connects', async () => {
    const { data, importSeed } = setUp();
    await importSeed();

    const relay = await startTestRelay({ dataDir: data });
    cleanups.push(() => relay.close());
    const client = connectClient(relay.url.replace(/^http/, 'ws'), 'party-2023');
    cleanups.push(() => client.destroy());
    await client.synced();
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
    const relay = await startTestRelay({ dataDir: data, limits: { newPlanPollMs: 100 } });
    cleanups.push(() => relay.close());
    const early = connectClient(relay.url.replace(/^http/, 'ws'), 'party-2023');
    cleanups.push(() => early.destroy());
    await early.synced();
    expect(readPlan(early.doc).tasks).toEqual([]);

    await importSeed();
    await eventually(() => readPlan(early.doc).title === TITLE, 5000);
    expect(count(readPlan(early.doc).tasks)).toBe(19);
    const late = connectClient(relay.url.replace(/^http/, 'ws'), 'party-2023');
    cleanups.push(() => late.destroy());
    await late.synced();
    expect(count(readPlan(late.doc).tasks)).toBe(19);
  });

  it('keeps both when an edit of theirs is stored after the import and before the relay looked', async () => {
    const { data, importSeed } = setUp();
    // The relay does not look on its own here: only its own first commit can find the import.
    const relay = await startTestRelay({ dataDir: data, limits: { newPlanPollMs: 3_600_000 } });
    cleanups.push(() => relay.close());
    const early = connectClient(relay.url.replace(/^http/, 'ws'), 'party-2023');
    cleanups.push(() => early.destroy());
    await early.synced();

    await importSeed();
    early.doc.getMap('notes').set('early', '先到的批注');
    await eventually(() => readPlan(early.doc).title === TITLE, 5000);
    expect(count(readPlan(early.doc).tasks)).toBe(19);
    expect(early.doc.getMap('notes').get('early')).toBe('先到的批注');
    await relay.close();
    const again = await startTestRelay({ dataDir: data });
    cleanups.push(() => again.close());
    const reader = connectClient(again.url.replace(/^http/, 'ws'), 'party-2023');
    cleanups.push(() => reader.destroy());
    await reader.synced();
    expect(count(readPlan(reader.doc).tasks)).toBe(19);
    expect(reader.doc.getMap('notes').get('early')).toBe('先到的批注');
  });
});
