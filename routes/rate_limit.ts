/**
 * Per-IP rate limits (API.md, configuration) with the IETF RateLimit header fields
 * (draft-ietf-httpapi-ratelimit-headers): `RateLimit-Policy: "login";q=10;w=60` and
 * `RateLimit: "login";r=7;t=42`. Checked before any other work of the route.
 */
import type { MiddlewareHandler } from "hono";
import { countRequest } from "../kv/rate_limits.ts";
import { clientKey } from "../lib/client_address.ts";
import type { Config } from "../lib/config.ts";
import type { Deps } from "../lib/deps.ts";
import { ApiError } from "../lib/errors.ts";
import type { AppEnv } from "./env.ts";

/** The route groups of API.md's `RATE_LIMIT_*` settings. */
export type RateLimitBucket = keyof Config["rateLimits"];

/** Counts the request against the client's budget for `bucket`; `429` when spent. */
export function rateLimit(
  deps: Deps,
  bucket: RateLimitBucket,
): MiddlewareHandler<AppEnv> {
  const rule = deps.config.rateLimits[bucket];
  const policy = `"${bucket}";q=${rule.limit};w=${rule.windowSeconds}`;
  return async function rateLimit(c, next) {
    const state = await countRequest(
      deps.kv,
      bucket,
      clientKey(c.var.clientIp),
      rule,
      deps.clock.now(),
    );
    const headers = {
      "RateLimit-Policy": policy,
      RateLimit: `"${bucket}";r=${state.remaining};t=${state.resetSeconds}`,
    };
    if (!state.allowed) {
      throw new ApiError(
        "rate_limited",
        "Too many requests from your network.",
        {
          headers: { ...headers, "Retry-After": String(state.resetSeconds) },
        },
      );
    }
    await next();
    for (const [name, value] of Object.entries(headers)) c.header(name, value);
  };
}
