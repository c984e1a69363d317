/**
 * Fixed-window request counters per client and route group. Each window is its own key,
 * so a counter never needs resetting; the value carries `expiresAt` (KV's `expireIn`
 * cleans up at some point after it, and the sweep below does so on our clock).
 */
import { expiringCounterPrefixes, rateLimitKey } from "./keys.ts";
import type { Guard } from "./guards.ts";
import { cleanupAfterMs } from "./retry.ts";

/** A request budget written `N/Ts`, e.g. `10/60s` (API.md, configuration). */
export interface RateLimitRule {
  limit: number;
  windowSeconds: number;
}

interface WindowCount {
  count: number;
  expiresAt: number;
}

/** The state of a client's budget after counting one request. */
export interface RateLimitState {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window ends. */
  resetSeconds: number;
}

/**
 * Counts a request against the client's window; a refusal when the budget is spent
 * (refused requests are not counted: they cost nothing more).
 */
export function requestCountGuard(
  bucket: string,
  client: string,
  rule: RateLimitRule,
  nowMs: number,
): Guard<RateLimitState> {
  const windowMs = rule.windowSeconds * 1000;
  const window = Math.floor(nowMs / windowMs);
  const expiresAt = (window + 1) * windowMs;
  const resetSeconds = Math.max(1, Math.ceil((expiresAt - nowMs) / 1000));
  const key = rateLimitKey(bucket, client, window);
  return {
    key,
    decide(entry) {
      const count = (entry.value as WindowCount | null)?.count ?? 0;
      if (count >= rule.limit) {
        return {
          outcome: {
            allowed: false,
            limit: rule.limit,
            remaining: 0,
            resetSeconds,
          },
        };
      }
      return {
        outcome: {
          allowed: true,
          limit: rule.limit,
          remaining: rule.limit - count - 1,
          resetSeconds,
        },
        write: (operation) =>
          operation.set(key, { count: count + 1, expiresAt }, {
            expireIn: cleanupAfterMs(expiresAt, nowMs),
          }),
      };
    },
  };
}

/** Deletes counters whose `expiresAt` has passed; returns how many. */
export async function sweepExpiredCounters(
  kv: Deno.Kv,
  nowMs: number,
): Promise<number> {
  let deleted = 0;
  for (const prefix of expiringCounterPrefixes()) {
    for await (
      const entry of kv.list<
        { expiresAt?: number; lockedUntil?: number | null }
      >({
        prefix,
      })
    ) {
      const end = Math.max(
        entry.value.expiresAt ?? 0,
        entry.value.lockedUntil ?? 0,
      );
      if (end > nowMs) continue;
      // Checked: a counter written meanwhile is live again and stays.
      const result = await kv.atomic().check(entry).delete(entry.key).commit();
      if (result.ok) deleted++;
    }
  }
  return deleted;
}
