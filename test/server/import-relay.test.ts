// `qingdan import --plan` prepares a plan before anyone connects: a relay started on that
// data dir serves it to a stock y-websocket client.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readPlan, type TaskNode } from '../../shared/index.ts';
import { runImportCommand } from '../../server/import-command.ts';
import { connectClient, makeTempDir, removeDir, startTestRelay } from '../helpers/relay.ts';
import { fixture } from '../shared/import/helpers.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const count = (nodes: readonly TaskNode[]): number =>
  nodes.reduce((n, t) => n + 1 + count(t.children), 0);

describe('qingdan import --plan, then the relay', () => {
  it('serves the imported plan to the first client that connects', async () => {
    const dir = makeTempDir('qingdan-import-relay-');
    cleanups.push(() => removeDir(dir));
    const file = join(dir, 'seed.txt');
    writeFileSync(file, fixture('2023-party-conduct-implementation-opinions.txt'));
    const data = join(dir, 'data');
    let stderr = '';
    const code = await runImportCommand([file, '--plan', 'party-2023', '--data', data], {
      stdout: { write: () => true },
      stderr: { write: (s: string) => (stderr += s) },
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);

    const relay = await startTestRelay({ dataDir: data });
    cleanups.push(() => relay.close());
    const client = connectClient(relay.url.replace(/^http/, 'ws'), 'party-2023');
    cleanups.push(() => client.destroy());
    await client.synced();
    const plan = readPlan(client.doc);
    expect(plan.title).toBe('2023年关于加强党风廉政建设和反腐败工作的实施意见');
    expect(plan.year).toBe(2023);
    expect(plan.tasks.map((t) => t.title)).toEqual(['总体思路', '工作要求', '保障措施']);
    expect(count(plan.tasks)).toBe(19);
  });
});
