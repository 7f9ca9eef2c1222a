import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './build.ts';

/** A real relay (`qingdan serve`) running as a child process. */
export interface RelayProcess {
  /** `http://127.0.0.1:PORT` (no trailing slash). */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** Stops the process (SIGTERM, then SIGKILL); the data dir stays. */
  stop(): Promise<void>;
  /** Stops and starts it again on the same port and data dir. */
  restart(): Promise<void>;
  /** Stops it and removes the data dir (unless it was given). */
  dispose(): Promise<void>;
}

async function spawnRelay(
  port: number,
  dataDir: string,
  args: readonly string[],
): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(
    process.execPath,
    [
      join(ROOT, 'bin/qingdan.js'),
      'serve',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--data',
      dataDir,
      '--log-level',
      'warn',
      ...args,
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const actual = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`relay did not start:\n${out}\n${err}`));
    }, 20_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`relay exited with ${code}:\n${out}\n${err}`));
    });
  });
  return { child, port: actual };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Starts `node bin/qingdan.js serve --port 0` on a fresh temporary data dir (or `dataDir`)
 * and resolves with the URL it printed. `args` go to `qingdan serve` as they are (e.g.
 * `--public-url`, once the relay checks the Origin). Always `dispose()` it (afterAll / onTestFinished).
 */
export async function startRelay(
  opts: { dataDir?: string; args?: readonly string[] } = {},
): Promise<RelayProcess> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'qingdan-e2e-'));
  const args = opts.args ?? [];
  let child: ChildProcess;
  let port: number;
  try {
    ({ child, port } = await spawnRelay(0, dataDir, args));
  } catch (e) {
    if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  return {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    dataDir,
    stop: () => stopChild(child),
    async restart() {
      await stopChild(child);
      ({ child, port } = await spawnRelay(port, dataDir, args));
    },
    async dispose() {
      await stopChild(child);
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
