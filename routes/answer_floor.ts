/**
 * A floor under the time of an answer that names an account ID to a stranger
 * (recovery). The work of those requests is the same for IDs with and without an
 * account (the same reads, writes, crypto and message), but not the same to the tenth
 * of a millisecond: reading a stored record costs more than finding none, and a write
 * lands elsewhere in the database. Measured in process (bench/account_timing.ts) that
 * residue still told the two apart over 60 requests; answering no sooner than a floor
 * well above the work makes every such answer take the floor.
 */
import type { MiddlewareHandler } from "hono";

/** Answers, whatever the outcome, no sooner than `floorMs` after the request came. */
export function answerNoSoonerThan(floorMs: number): MiddlewareHandler {
  return async function answerNoSoonerThan(_c, next) {
    const started = performance.now();
    try {
      await next();
    } finally {
      const left = started + floorMs - performance.now();
      if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
    }
  };
}
