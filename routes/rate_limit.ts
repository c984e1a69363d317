/**
 * Rate limits with the IETF RateLimit header fields
 * (draft-ietf-httpapi-ratelimit-headers): `RateLimit-Policy: "login";q=10;w=60` and
 * `RateLimit: "login";r=7;t=42`. Per client network (API.md, configuration), and per
 * account for the security changes of a signed-in account.
 */
import type { Context, MiddlewareHandler } from "hono";
import { commitGuards, type PendingGuard } from "../kv/guards.ts";
import { type RateLimitState, requestCountGuard } from "../kv/rate_limits.ts";
import { clientKey } from "../lib/runtime/client_address.ts";
import type { Config } from "../lib/runtime/config.ts";
import type { Deps } from "../lib/deps.ts";
import { ApiError } from "../lib/runtime/errors.ts";
import { rateLimitRefusals } from "../lib/runtime/telemetry.ts";
import { type AppEnv, unsafeMethods } from "./env.ts";
import type { SessionEnv } from "./session_transport.ts";
import { type DocPart, documented } from "./route_docs.ts";

/** What a counted route documents: the RateLimit headers, and `429` when spent. */
export const rateLimitedDoc: DocPart = {
  rateLimited: true,
  problems: { 429: ["rate_limited"] },
};

/** The route groups of API.md's `RATE_LIMIT_*` settings. */
export type RateLimitBucket = keyof Config["rateLimits"];

/**
 * Counts the request against the budget of `subject` (by default the client's network)
 * for `bucket` and sets the headers; `429` when spent. For routes that must do cheaper
 * checks first (a locked login).
 */
export async function throttle<E extends AppEnv>(
  deps: Deps,
  c: Context<E>,
  bucket: RateLimitBucket,
  subject?: string,
): Promise<void> {
  const { guard, apply } = throttleGuard(deps, c, bucket, subject);
  const { outcomes: [state] } = await commitGuards(deps.kv, [guard]);
  apply(state!);
}

/**
 * {@link throttle} in two halves, for a route that commits the count with other guards
 * (the login): the guard, and the outcome applied (the headers; `429` when spent).
 */
export function throttleGuard<E extends AppEnv>(
  deps: Deps,
  c: Context<E>,
  bucket: RateLimitBucket,
  subject: string = clientKey(c.get("clientIp")()),
): PendingGuard<RateLimitState> {
  const rule = deps.config.rateLimits[bucket];
  return {
    guard: requestCountGuard(
      bucket,
      subject,
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
        rateLimitRefusals.add(1, { bucket });
        throw new ApiError(
          "rate_limited",
          subject.startsWith("account:")
            ? "Too many changes to this account's security settings."
            : "Too many requests from your network.",
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
  return documented(
    async function rateLimit(c, next) {
      await throttle(deps, c, bucket);
      await next();
    } satisfies MiddlewareHandler<AppEnv>,
    rateLimitedDoc,
  );
}

/**
 * The per-account budget of security changes (`RATE_LIMIT_SECURITY`), for the routes of
 * a signed-in account: each change verifies a passcode or code and may hash and send a
 * message, so a stolen session must not buy that work at will. Reading settings is not
 * counted, nor is removing access (`DELETE`): an owner must always be able to shed a
 * thief's passkeys and sessions, however much of the budget the thief spent.
 */
export function limitSecurityChanges(
  deps: Deps,
): MiddlewareHandler<SessionEnv> {
  const counted = unsafeMethods.filter((method) => method !== "DELETE");
  return documented(
    async function limitSecurityChanges(c, next) {
      if (counted.includes(c.req.method)) {
        await throttle(
          deps,
          c,
          "security",
          `account:${c.get("auth").session.accountUuid}`,
        );
      }
      await next();
    } satisfies MiddlewareHandler<SessionEnv>,
    { ...rateLimitedDoc, methods: counted },
  );
}
