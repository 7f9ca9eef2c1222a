/**
 * The `qingdan` command line. Each verb returns an exit code; nothing here calls
 * process.exit, so the relay can shut down cleanly. The only module that reads argv and
 * installs signal handlers.
 *
 * To add a verb: write `async function myVerb(args): Promise<number>` and add it to VERBS.
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { firstStartInvite } from './access.ts';
import { runAuthCommand } from './auth-command.ts';
import { createLogger, LOG_LEVELS } from './log.ts';
import { DEFAULT_LIMITS } from './rooms.ts';
import { startRelay } from './relay.ts';
import { DataDirError } from './tokens.ts';
import { runImportCommand } from './import-command.ts';

const SERVE_USAGE = `usage: qingdan serve [options]
  --host HOST                  interface to listen on (default 127.0.0.1)
  --port PORT                  port, 0 for any free one (default 8080)
  --data DIR                   data dir holding the store (default ./data)
  --public-url URL             the URL people open: the allowed Origin and the base of
                               invite links (default http://HOST:PORT)
  --allow-origin ORIGIN        another Origin pages may connect from (repeatable;
                               scheme://host:* allows any port of that host)
  --durability normal|full     full fsyncs every commit (default normal)
  --max-message-bytes N        largest WebSocket message (default ${DEFAULT_LIMITS.maxMessageBytes})
  --max-db-mb N                cap the database size; writes past it are refused
  --max-connections N          concurrent WebSocket connections (default 10000)
  --max-messages-per-second N  per connection, sustained (default ${DEFAULT_LIMITS.messagesPerSecond})
  --max-awareness-bytes N      largest awareness state (default ${DEFAULT_LIMITS.maxAwarenessBytes})
  --max-awareness-entries N    awareness entries per plan (default ${DEFAULT_LIMITS.maxAwarenessEntriesPerPlan})
  --unload-grace-ms N          keep an unused plan loaded this long (default ${DEFAULT_LIMITS.unloadGraceMs})
  --ping-interval-ms N         drop peers that miss a ping (default ${DEFAULT_LIMITS.pingIntervalMs})
  --refusal-block-ms N         a sender whose data was refused 3 times in a minute (updates
                               that do not apply, a viewer's edits, large bad frames) may not
                               connect to that plan for this long (HTTP 429), doubling up to
                               15 times it; 0: never (default ${DEFAULT_LIMITS.refusalBlockMs})
  --log-level LEVEL            ${LOG_LEVELS.join('|')} (default info); logs go to stderr
`;

const USAGE = `usage: qingdan <verb> [options]
verbs:
  serve     run the relay (qingdan serve --help)
  import    read a policy document into an outline or a new plan (qingdan import --help)
  invite    print an invite link: --plan ID --role admin|editor|viewer --name NAME [--days N]
  revoke    revoke an invite: qingdan revoke TOKEN-ID [--data DIR]
  tokens    list invites: qingdan tokens [--plan ID] [--data DIR] [--json]
`;

class UsageError extends Error {
  override name = 'UsageError';
}

function intOption(value: string | undefined, name: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${name} must be an integer >= ${min}`);
  return n;
}

async function serve(args: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8080' },
      data: { type: 'string', default: './data' },
      'public-url': { type: 'string' },
      'allow-origin': { type: 'string', multiple: true },
      durability: { type: 'string', default: 'normal' },
      'max-message-bytes': { type: 'string' },
      'max-db-mb': { type: 'string' },
      'max-connections': { type: 'string' },
      'max-messages-per-second': { type: 'string' },
      'max-awareness-bytes': { type: 'string' },
      'max-awareness-entries': { type: 'string' },
      'unload-grace-ms': { type: 'string' },
      'ping-interval-ms': { type: 'string' },
      'refusal-block-ms': { type: 'string' },
      'log-level': { type: 'string', default: 'info' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) {
    process.stdout.write(SERVE_USAGE);
    return 0;
  }
  const durability = values.durability;
  if (durability !== 'normal' && durability !== 'full') {
    throw new UsageError('--durability must be normal or full');
  }
  const level = LOG_LEVELS.find((l) => l === values['log-level']);
  if (level === undefined)
    throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}`);
  const port = intOption(values.port, '--port', 0) ?? 8080;
  if (port > 65535) throw new UsageError('--port must be <= 65535');
  const maxDbMb = intOption(values['max-db-mb'], '--max-db-mb', 1);
  const maxConnections = intOption(values['max-connections'], '--max-connections', 1);
  const limits = {
    maxMessageBytes: intOption(values['max-message-bytes'], '--max-message-bytes', 1024),
    messagesPerSecond: intOption(values['max-messages-per-second'], '--max-messages-per-second', 1),
    maxAwarenessBytes: intOption(values['max-awareness-bytes'], '--max-awareness-bytes', 64),
    maxAwarenessEntriesPerPlan: intOption(
      values['max-awareness-entries'],
      '--max-awareness-entries',
      1,
    ),
    unloadGraceMs: intOption(values['unload-grace-ms'], '--unload-grace-ms', 0),
    pingIntervalMs: intOption(values['ping-interval-ms'], '--ping-interval-ms', 100),
    refusalBlockMs: intOption(values['refusal-block-ms'], '--refusal-block-ms', 0),
  };
  const definedLimits = Object.fromEntries(
    Object.entries(limits).filter(([, v]) => v !== undefined),
  );
  if (limits.messagesPerSecond !== undefined) {
    definedLimits.messageBurst = limits.messagesPerSecond * 2;
  }
  const publicUrl = values['public-url'];
  if (publicUrl !== undefined && !URL.canParse(publicUrl))
    throw new UsageError(`--public-url “${publicUrl}” is not a URL`);
  const logger = createLogger(level);
  const dataDir = resolve(values.data ?? './data');
  let relay: Awaited<ReturnType<typeof startRelay>>;
  try {
    relay = await startRelay({
      host: values.host ?? '127.0.0.1',
      port,
      dataDir,
      durability,
      logger,
      limits: definedLimits,
      ...(maxDbMb === undefined ? {} : { maxDbBytes: maxDbMb * 1024 * 1024 }),
      ...(maxConnections === undefined ? {} : { maxConnections }),
      ...(publicUrl === undefined ? {} : { publicUrl }),
      ...(values['allow-origin'] === undefined ? {} : { allowOrigins: values['allow-origin'] }),
    });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    // In use, not ours to take, not this machine's address, or a host name that does not resolve.
    if (
      code === 'EADDRINUSE' ||
      code === 'EACCES' ||
      code === 'EADDRNOTAVAIL' ||
      code === 'ENOTFOUND' ||
      code === 'EAI_AGAIN'
    ) {
      process.stderr.write(
        `qingdan serve: cannot listen on ${values.host ?? '127.0.0.1'}:${port} (${String(code)})\n`,
      );
      return 1;
    }
    throw error;
  }
  logger.info({ event: 'listening', url: relay.url, data: dataDir, durability }, 'relay listening');
  // A fresh data dir: one admin link for every plan, printed once (stdout is for people,
  // never the log), so that `npm ci && npm start` gives a working first link. One write with
  // the URL line, so whoever reads the URL has the link too.
  const first = relay.tokens && firstStartInvite(relay.tokens, relay.publicUrl, Date.now());
  process.stdout.write(
    `qingdan relay listening on ${relay.url}/ (data: ${dataDir})\n` +
      (first
        ? `\nFirst start: an admin invite for every plan (shown only this once; make more with\n\`qingdan invite\`). Open it in a browser:\n  ${first}\n\n`
        : `Open ${relay.url}/ in a browser with an invite link (\`qingdan invite --help\`).\n`),
  );
  const signal = await new Promise<NodeJS.Signals>((done) => {
    process.once('SIGTERM', () => done('SIGTERM'));
    process.once('SIGINT', () => done('SIGINT'));
  });
  logger.info({ event: 'shutdown', signal }, 'shutting down');
  await relay.close();
  logger.info({ event: 'stopped' }, 'relay stopped');
  return 0;
}

const authVerb =
  (verb: 'invite' | 'revoke' | 'tokens') =>
  (args: readonly string[]): Promise<number> =>
    runAuthCommand(verb, args, { stdout: process.stdout, stderr: process.stderr });

const VERBS: Readonly<Record<string, (args: readonly string[]) => Promise<number>>> = {
  serve,
  import: (args) => runImportCommand(args, { stdout: process.stdout, stderr: process.stderr }),
  invite: authVerb('invite'),
  revoke: authVerb('revoke'),
  tokens: authVerb('tokens'),
};

/** Runs one `qingdan` command line and returns its exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [verb, ...args] = argv;
  if (verb === undefined || verb === 'help' || verb === '--help' || verb === '-h') {
    process.stdout.write(USAGE);
    return 0;
  }
  const run = VERBS[verb];
  if (run === undefined) {
    process.stderr.write(`qingdan: unknown verb '${verb}'\n${USAGE}`);
    return 2;
  }
  try {
    return await run(args);
  } catch (error) {
    if (
      error instanceof UsageError ||
      (error as { code?: unknown }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ||
      (error as { code?: unknown }).code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE'
    ) {
      process.stderr.write(`qingdan ${verb}: ${(error as Error).message}\n`);
      return 2;
    }
    if (error instanceof DataDirError) {
      process.stderr.write(`qingdan ${verb}: ${error.message}\n`);
      return 1;
    }
    const code = (error as { code?: unknown }).code;
    if (
      code === 'SQLITE_NOTADB' ||
      (typeof code === 'string' && code.startsWith('SQLITE_CORRUPT'))
    ) {
      process.stderr.write(
        `qingdan ${verb}: a database in the data dir is damaged (${(error as Error).message}). ` +
          'Restore the data dir from a backup; the clients keep their own copies of every plan.\n',
      );
      return 1;
    }
    throw error;
  }
}
