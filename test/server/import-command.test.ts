import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readPlan } from '../../shared/index.ts';
import type { Outline } from '../../shared/import/index.ts';
import { runImportCommand } from '../../server/import-command.ts';
import { openStore } from '../../server/store.ts';
import { fixture } from '../shared/import/helpers.ts';

let dir: string | null = null;
function temp(): string {
  dir ??= mkdtempSync(join(tmpdir(), 'qingdan-import-cmd-'));
  return dir;
}
function tempFile(name: string, content: string | Uint8Array): string {
  const path = join(temp(), name);
  writeFileSync(path, content);
  return path;
}
afterEach(() => {
  if (dir !== null) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runImportCommand(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}

async function storedPlan(data: string, id: string): Promise<ReturnType<typeof readPlan> | null> {
  const store = openStore(data);
  try {
    const state = await store.loadState(id);
    if (state === null) return null;
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    return readPlan(doc);
  } finally {
    await store.close();
  }
}

const seed = (): string =>
  tempFile('seed.txt', fixture('2023-party-conduct-implementation-opinions.txt'));

describe('qingdan import FILE --json', () => {
  it('prints the outline as JSON on stdout and exits 0', async () => {
    const r = await run(seed(), '--json');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const outline = JSON.parse(r.stdout) as Outline;
    expect(outline.title).toBe('2023年关于加强党风廉政建设和反腐败工作的实施意见');
    expect(outline.nodes.map((n) => n.title)).toEqual(['总体思路', '工作要求', '保障措施']);
    expect(outline.warnings).toEqual([]);
  });

  it('prints an outline that does not read like a work plan with its warning', async () => {
    const r = await run(tempFile('recipe.txt', fixture('recipe.txt')), '--json');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as Outline).warnings).toHaveLength(1);
    expect(r.stderr).toContain('warning');
  });
});

describe('bad input exits non-zero with a clear message', () => {
  it.each([
    ['an empty file', 'empty.txt', '', '文件是空的'],
    [
      'a binary file',
      'x.txt',
      new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13]),
      '不是文本文件',
    ],
    ['text with no outline', 'letter.txt', fixture('no-outline.txt'), '没有找到提纲'],
    ['an oversized file', 'big.txt', new Uint8Array(3 * 1024 * 1024).fill(0x41), '2 MB'],
    ['a .pdf', 'scan.pdf', '%PDF-1.7', '.docx'],
  ])('%s', async (_what, name, content, message) => {
    const r = await run(tempFile(name, content), '--json');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
  });

  it('a missing file', async () => {
    const r = await run(join(temp(), 'nope.txt'), '--json');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no such file');
  });

  it('usage errors exit 2', async () => {
    expect((await run()).code).toBe(2);
    expect((await run(seed())).code).toBe(2);
    expect((await run(seed(), '--json', '--plan', 'p1')).code).toBe(2);
    expect((await run(seed(), '--plan', '../etc')).code).toBe(2);
    expect((await run(seed(), '--json', '--bogus')).code).toBe(2);
  });
});

describe('qingdan import FILE --plan ID', () => {
  it('creates the plan in a data dir that does not exist yet', async () => {
    const data = join(temp(), 'fresh', 'data');
    const r = await run(seed(), '--plan', 'party-2023', '--data', data);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('3 个部分 · 6 项 · 13 项任务');
    const plan = await storedPlan(data, 'party-2023');
    expect(plan?.title).toBe('2023年关于加强党风廉政建设和反腐败工作的实施意见');
    expect(plan?.tasks.map((t) => t.title)).toEqual(['总体思路', '工作要求', '保障措施']);
  });

  it('refuses an id that exists and leaves that plan as it was', async () => {
    const data = join(temp(), 'data');
    expect((await run(seed(), '--plan', 'p1', '--data', data)).code).toBe(0);
    const before = await storedPlan(data, 'p1');
    const other = tempFile('points.txt', fixture('work-points.txt'));
    const r = await run(other, '--plan', 'p1', '--data', data);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('already exists');
    expect(await storedPlan(data, 'p1')).toEqual(before);
  });

  it('needs --force for an outline with warnings, and creates nothing without it', async () => {
    const data = join(temp(), 'data');
    const recipe = tempFile('recipe.txt', fixture('recipe.txt'));
    const refused = await run(recipe, '--plan', 'r1', '--data', data);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--force');
    expect(existsSync(data)).toBe(false);
    const forced = await run(recipe, '--plan', 'r1', '--data', data, '--force');
    expect(forced.code).toBe(0);
    expect((await storedPlan(data, 'r1'))?.tasks).toHaveLength(4);
  });

  it('says so when the data dir cannot be a store (it is a file)', async () => {
    const notADir = tempFile('data', 'a file, not a directory');
    const r = await run(seed(), '--plan', 'p1', '--data', notADir);
    expect(r.code).toBe(1);
    // In the words the other verbs use (test/server/cli.test.ts).
    expect(r.stderr).toMatch(/^qingdan import: cannot use the data dir /);
    expect(r.stderr).toContain(notADir);
    expect(r.stderr).toContain('must be a directory this user can write to');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('creates nothing, not even the data dir, from bad input', async () => {
    const data = join(temp(), 'data');
    const r = await run(tempFile('empty.txt', ''), '--plan', 'p1', '--data', data);
    expect(r.code).toBe(1);
    expect(existsSync(data)).toBe(false);
  });
});
