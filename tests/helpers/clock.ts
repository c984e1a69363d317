/** A clock tests move by hand. */
import type { Clock } from "../../lib/runtime/clock.ts";

/** A controllable clock. */
export interface TestClock extends Clock {
  advanceSeconds(seconds: number): void;
}

/**
 * Starts at the real time: altcha-lib also compares challenge expiry with the real clock,
 * so the test clock must never run behind it.
 */
export function createTestClock(startMs = Date.now()): TestClock {
  let nowMs = startMs;
  return {
    now: () => nowMs,
    advanceSeconds(seconds) {
      nowMs += seconds * 1000;
    },
  };
}
