/** Parsing the per-IP request budgets of the configuration (`N/Ts`). */
import type { RateLimitRule } from "../../kv/rate_limits.ts";

/** Parses `N/Ts`; returns null when the text is not of that form. */
export function parseRateLimitRule(text: string): RateLimitRule | null {
  const match = /^(\d{1,6})\/(\d{1,6})s$/.exec(text.trim());
  if (!match) return null;
  const limit = Number(match[1]);
  const windowSeconds = Number(match[2]);
  if (limit < 1 || windowSeconds < 1) return null;
  return { limit, windowSeconds };
}
