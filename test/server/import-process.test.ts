// `qingdan import` as its own process, through the real command line (bin/qingdan.js):
// UTF-8 JSON on stdout, exit codes, and a process that exits by itself (the store leaves no
// handle open).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Outline } from '../../shared/import/index.ts';
import { fixture } from '../shared/import/helpers.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const QINGDAN_ARGS = ['bin/qingdan.js', 'import'];

let dir: string | null = null;
function tempFile(name: string, content: string | Uint8Array): string {
  dir ??= mkdtempSync(join(tmpdir(), 'qingdan-import-process-'));
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}
afterEach(() => {
  if (dir !== null) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

function qingdanImport(...args: string[]): {
  status: number | null;
  stdout: string;
  stderr: string;
} {
  const r = spawnSync(process.execPath, [...QINGDAN_ARGS, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('qingdan import in its own process', () => {
  it('prints the seed’s outline as UTF-8 JSON and exits 0', () => {
    const file = tempFile('意见.txt', fixture('2023-party-conduct-implementation-opinions.txt'));
    const r = qingdanImport(file, '--json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const outline = JSON.parse(r.stdout) as Outline;
    expect(outline.title).toBe('2023年关于加强党风廉政建设和反腐败工作的实施意见');
    expect(outline.nodes.map((n) => n.title)).toEqual(['总体思路', '工作要求', '保障措施']);
  });

  it('exits 1 with a message for bad input, and creates a plan once with --plan', () => {
    const empty = qingdanImport(tempFile('empty.txt', ''), '--json');
    expect(empty.status).toBe(1);
    expect(empty.stdout).toBe('');
    expect(empty.stderr).toContain('文件是空的');
    const data = join(dir ?? tmpdir(), 'data');
    const file = tempFile('points.txt', fixture('work-points.txt'));
    const created = qingdanImport(file, '--plan', 'points-2024', '--data', data);
    expect(created.stderr).toBe('');
    expect(created.status).toBe(0);
    const again = qingdanImport(file, '--plan', 'points-2024', '--data', data);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('already exists');
  });
});
