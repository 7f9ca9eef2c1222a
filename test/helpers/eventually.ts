/**
 * Polls `fn` until it stops throwing (or returns something other than `false`), or fails
 * with its last error once `timeoutMs` has passed. The wait between tries is a poll
 * interval, not a guess at how long something takes (Hocuspocus `retryableAssertion`).
 */
export async function eventually<T>(
  fn: () => T | Promise<T>,
  timeoutMs = 5000,
  intervalMs = 10,
): Promise<Exclude<T, false>> {
  const deadline = performance.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value !== false) return value as Exclude<T, false>;
      lastError = new Error('condition was false');
    } catch (error) {
      lastError = error;
    }
    if (performance.now() >= deadline) {
      throw lastError instanceof Error
        ? new Error(`eventually: not true after ${timeoutMs} ms: ${lastError.message}`, {
            cause: lastError,
          })
        : lastError;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
