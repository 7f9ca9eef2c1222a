/**
 * Structured logging through pino: one JSON line per connection opened or closed and per
 * error. Log lines never carry a request's query string (issue 7 puts tokens there).
 */
import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

/** Log levels accepted by `--log-level`. */
export const LOG_LEVELS: readonly LevelWithSilent[] = [
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
];

/**
 * A logger writing JSON lines to stderr (stdout is kept for what a person reads: the URL to
 * open). Writes are synchronous so the last lines before an exit are not lost.
 */
export function createLogger(level: LevelWithSilent = 'info'): Logger {
  return pino(
    { level, base: { service: 'qingdan-relay' } },
    pino.destination({ dest: 2, sync: true }),
  );
}

/** A logger that writes nothing: for tests, whose console output fails the run. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/** The error fields worth logging: never the whole object, which may hold frame bytes. */
export function errorFields(error: unknown): { err: string; code?: string } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? { err: error.message, code } : { err: error.message };
  }
  return { err: String(error) };
}
