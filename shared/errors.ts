/** Why an operation on a plan was refused. */
export type AppErrorCode =
  | 'not-found'
  | 'exists'
  | 'deleted'
  | 'invalid-field'
  | 'invalid-value'
  | 'invalid-date'
  | 'invalid-status'
  | 'unknown-branch'
  | 'duplicate-name'
  | 'cycle'
  | 'invalid-place';

/**
 * The one error type of the plan API. Every operation validates its whole input before it
 * writes, so a thrown AppError means the document was not changed.
 */
export class AppError extends Error {
  readonly code: AppErrorCode;

  constructor(code: AppErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
  }
}

/** True when `e` is an AppError, optionally of one code. */
export function isAppError(e: unknown, code?: AppErrorCode): e is AppError {
  return e instanceof AppError && (code === undefined || e.code === code);
}
