/** Identifiers for records. */
import { toHex } from "./encoding.ts";
import type { Clock } from "./clock.ts";
import type { RandomSource } from "./random.ts";

/**
 * A 32-hex-character id that sorts by creation time (48-bit milliseconds, then 80 random
 * bits), so KV lists of such ids run oldest to newest without a separate index.
 */
export function timeOrderedId(clock: Clock, random: RandomSource): string {
  return clock.now().toString(16).padStart(12, "0") + toHex(random(10));
}

/** A random 128-bit id with no meaning. */
export function randomId(random: RandomSource): string {
  return toHex(random(16));
}
