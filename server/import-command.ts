/**
 * `qingdan import FILE --json` and `qingdan import FILE --plan ID [--data DIR] [--force]`.
 * Bad input gets a clear message and a non-zero exit code, and creates nothing: the file is
 * read and checked before the store is even opened.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as Y from 'yjs';
import {
  countOutline,
  formatOutlineCounts,
  importPolicyText,
  isImportError,
  outlineToPlan,
  type Outline,
} from '../shared/import/index.ts';
import { PLAN_ID_PATTERN } from './http.ts';
import { readPolicyFile } from './import-file.ts';
import { openStore } from './store.ts';
import { DataDirError, asDataDirError } from './tokens.ts';

/** Where the command writes. */
export interface ImportCommandIo {
  readonly stdout: { write(chunk: string): unknown };
  readonly stderr: { write(chunk: string): unknown };
}

/** The usage text of `qingdan import`. */
export const IMPORT_USAGE = `usage: qingdan import FILE --json
       qingdan import FILE --plan ID [--data DIR] [--force]
  FILE          a .txt (UTF-8, UTF-16, GBK/GB18030) or .docx policy document
  --json        print the outline as JSON (UTF-8) on stdout
  --plan ID     create plan ID in the relay's store; refuses an ID that exists
  --data DIR    data dir of the store (default ./data; created when missing)
  --force       create the plan even though the outline has warnings
Limits: 2 MB of plain text, a 20 MB .docx, 1,048,576 characters.
`;

/** Exit codes: 0 done, 1 the input or the store refused, 2 a usage error. */
export const EXIT_OK = 0;
export const EXIT_REFUSED = 1;
export const EXIT_USAGE = 2;

/**
 * Runs `qingdan import` with the arguments after the verb and returns the exit code. Never
 * calls process.exit, so it can be tested in-process.
 */
export async function runImportCommand(
  argv: readonly string[],
  io: ImportCommandIo,
): Promise<number> {
  let values: { json?: boolean; plan?: string; data?: string; force?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        plan: { type: 'string' },
        data: { type: 'string' },
        force: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    io.stderr.write(`qingdan import: ${(error as Error).message}\n${IMPORT_USAGE}`);
    return EXIT_USAGE;
  }
  if (values.help === true) {
    io.stdout.write(IMPORT_USAGE);
    return EXIT_OK;
  }
  const usage = (message: string): number => {
    io.stderr.write(`qingdan import: ${message}\n${IMPORT_USAGE}`);
    return EXIT_USAGE;
  };
  const [file, ...extra] = positionals;
  if (file === undefined) return usage('name the file to import');
  if (extra.length > 0) return usage(`one file at a time (got ${positionals.length})`);
  if ((values.json === true) === (values.plan !== undefined))
    return usage('give exactly one of --json or --plan ID');
  if (values.plan !== undefined && !PLAN_ID_PATTERN.test(values.plan))
    return usage(`plan id must be 1–64 letters, digits, '-' or '_' (got “${values.plan}”)`);

  let outline: Outline;
  try {
    outline = importPolicyText((await readPolicyFile(file)).text);
  } catch (error) {
    if (isImportError(error)) {
      io.stderr.write(`qingdan import: ${file}: ${error.message}\n`);
      return EXIT_REFUSED;
    }
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') {
      const what =
        code === 'ENOENT'
          ? '文件不存在 (no such file)'
          : code === 'EISDIR'
            ? '这是一个文件夹 (is a directory)'
            : '没有读取权限 (permission denied)';
      io.stderr.write(`qingdan import: ${file}: ${what}\n`);
      return EXIT_REFUSED;
    }
    throw error;
  }

  if (values.json === true) {
    io.stdout.write(`${JSON.stringify(outline, null, 2)}\n`);
    for (const w of outline.warnings) io.stderr.write(`qingdan import: warning: ${w}\n`);
    return EXIT_OK;
  }

  const planId = values.plan ?? '';
  if (outline.warnings.length > 0 && values.force !== true) {
    io.stderr.write(
      `qingdan import: ${file}: not creating plan ${planId}, the outline has warnings:\n` +
        outline.warnings.map((w) => `  - ${w}\n`).join('') +
        `Check it with --json; to create the plan anyway, add --force.\n`,
    );
    return EXIT_REFUSED;
  }

  const dataDir = resolve(values.data ?? './data');
  let store: ReturnType<typeof openStore>;
  try {
    store = openStore(dataDir);
  } catch (error) {
    // A data dir that is a file, or one we may not write: say so as the other verbs do.
    const unusable = asDataDirError(dataDir, error);
    io.stderr.write(
      unusable instanceof DataDirError
        ? `qingdan import: ${unusable.message}\n`
        : `qingdan import: cannot open the store in ${dataDir}: ${(error as Error).message}\n`,
    );
    return EXIT_REFUSED;
  }
  try {
    if (await store.hasPlan(planId)) {
      io.stderr.write(
        `qingdan import: plan ${planId} already exists in ${dataDir}; import only creates new plans.\n`,
      );
      return EXIT_REFUSED;
    }
    const doc = new Y.Doc();
    try {
      outlineToPlan(doc, outline);
      const result = await store.createPlan(planId, Y.encodeStateAsUpdate(doc));
      if (!result.ok) {
        const why =
          result.code === 'exists'
            ? `plan ${planId} already exists in ${dataDir}; import only creates new plans.`
            : `could not write plan ${planId} to ${dataDir}: ${result.message}`;
        io.stderr.write(`qingdan import: ${why}\n`);
        return EXIT_REFUSED;
      }
    } finally {
      doc.destroy();
    }
  } finally {
    await store.close();
  }
  io.stdout.write(
    `created plan ${planId}: ${outline.title ?? '(untitled)'} — ${formatOutlineCounts(countOutline(outline))} (data: ${dataDir})\n`,
  );
  return EXIT_OK;
}
