/**
 * Optimistic concurrency for Deno KV: read, then commit with `check(versionstamp)`; on a
 * conflict, back off with jitter and read again, a bounded number of times.
 */

/** Thrown when contention outlasts every retry; maps to a 500, never to success. */
export class ContentionError extends Error {
  override name = "ContentionError";
}

/** Attempts before giving up: enough for dozens of racing requests on one key. */
const maxAttempts = 40;

/**
 * Runs `attempt` until it returns a value other than `retry`.
 *
 * `attempt` reads what it needs and commits; it returns `retry` when its commit's checks
 * failed because another writer got there first.
 */
export async function withRetry<T>(
  attempt: (retry: typeof RETRY) => Promise<T | typeof RETRY>,
): Promise<T> {
  for (let i = 0; i < maxAttempts; i++) {
    const result = await attempt(RETRY);
    if (result !== RETRY) return result;
    // Full jitter (AWS architecture blog): spreads racing writers apart.
    const ceilingMs = Math.min(50, 2 ** Math.min(i, 6));
    await new Promise((resolve) =>
      setTimeout(resolve, Math.random() * ceilingMs)
    );
  }
  throw new ContentionError("KV contention outlasted every retry");
}

/** Marker returned by an attempt whose commit lost a race. */
export const RETRY: unique symbol = Symbol("retry");

/** Milliseconds from `now` to `expiresAt`, at least one, for `expireIn` clean-up. */
export function cleanupAfterMs(expiresAt: number, now: number): number {
  return Math.max(1, expiresAt - now);
}
