/** Identifiers for records. */
import { toHex } from "./encoding.ts";
import type { Clock } from "./clock.ts";
import type { RandomSource } from "./random.ts";

// Monotonic within this isolate: ids made in the same millisecond keep their order.
let lastMs = -1;
let sequence = 0;

/**
 * A 32-hex-character id that sorts by creation time: 48-bit milliseconds, a 16-bit
 * sequence within the millisecond, then 64 random bits. KV lists of such ids run oldest
 * to newest without a separate index.
 */
export function timeOrderedId(clock: Clock, random: RandomSource): string {
  const nowMs = clock.now();
  if (nowMs === lastMs) {
    sequence = (sequence + 1) & 0xffff;
  } else {
    lastMs = nowMs;
    sequence = 0;
  }
  return nowMs.toString(16).padStart(12, "0") +
    sequence.toString(16).padStart(4, "0") + toHex(random(8));
}

/** A random 128-bit id with no meaning. */
export function randomId(random: RandomSource): string {
  return toHex(random(16));
}
