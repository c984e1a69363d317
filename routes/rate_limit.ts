/**
 * Per-IP rate limits (API.md, configuration) with the IETF RateLimit header fields
 * (draft-ietf-httpapi-ratelimit-headers): `RateLimit-Policy: "login";q=10;w=60` and
 * `RateLimit: "login";r=7;t=42`.
 */
import type { Context, MiddlewareHandler } from "hono";
import { commitGuards, type PendingGuard } from "../kv/guards.ts";
import { type RateLimitState, requestCountGuard } from "../kv/rate_limits.ts";
import { clientKey } from "../lib/client_address.ts";
import type { Config } from "../lib/config.ts";
import type { Deps } from "../lib/deps.ts";
import { ApiError } from "../lib/errors.ts";
import type { AppEnv } from "./env.ts";

/** The route groups of API.md's `RATE_LIMIT_*` settings. */
export type RateLimitBucket = keyof Config["rateLimits"];

/**
 * Counts the request against the client's budget for `bucket` and sets the headers;
 * `429` when spent. For routes that must do cheaper checks first (a locked login).
 */
export async function throttle(
  deps: Deps,
  c: Context<AppEnv>,
  bucket: RateLimitBucket,
): Promise<void> {
  const { guard, apply } = throttleGuard(deps, c, bucket);
  const [state] = await commitGuards(deps.kv, [guard]);
  apply(state!);
}

/**
 * {@link throttle} in two halves, for a route that commits the count with other guards
 * (the login): the guard, and the outcome applied (the headers; `429` when spent).
 */
export function throttleGuard(
  deps: Deps,
  c: Context<AppEnv>,
  bucket: RateLimitBucket,
): PendingGuard<RateLimitState> {
  const rule = deps.config.rateLimits[bucket];
  return {
    guard: requestCountGuard(
      bucket,
      clientKey(c.get("clientIp")()),
      rule,
      deps.clock.now(),
    ),
    apply(state) {
      c.header(
        "RateLimit-Policy",
        `"${bucket}";q=${rule.limit};w=${rule.windowSeconds}`,
      );
      c.header(
        "RateLimit",
        `"${bucket}";r=${state.remaining};t=${state.resetSeconds}`,
      );
      if (!state.allowed) {
        throw new ApiError(
          "rate_limited",
          "Too many requests from your network.",
          { headers: { "Retry-After": String(state.resetSeconds) } },
        );
      }
    },
  };
}

/** {@link throttle} before any other work of the route. */
export function rateLimit(
  deps: Deps,
  bucket: RateLimitBucket,
): MiddlewareHandler<AppEnv> {
  return async function rateLimit(c, next) {
    await throttle(deps, c, bucket);
    await next();
  };
}
