/**
 * The app factory: takes its dependencies, composes middleware and one sub-app per area.
 * Tests build the real app on `:memory:` KV with a controllable clock and a fake transport.
 */
import { type Context, Hono, type Next } from "hono";
import type { RouterRoute } from "hono/types";
import { countAnswer } from "./answer_metrics.ts";
import { sweepExpiredCounters } from "../kv/rate_limits.ts";
import { HTTPException } from "hono/http-exception";
import {
  type Argon2idEngine,
  selectArgon2idEngine,
} from "../lib/crypto/argon2id.ts";
import type { Clock } from "../lib/runtime/clock.ts";
import type { Config, Secrets } from "../lib/runtime/config.ts";
import type { Deps, PasscodePolicy } from "../lib/deps.ts";
import type { Log } from "../lib/runtime/log_writer.ts";
import { ApiError, problemBody } from "../lib/runtime/errors.ts";
import { buildKeyring } from "../lib/crypto/keyring.ts";
import type { MessageTransport } from "../lib/messages/message_transport.ts";
import { createOutboxDeliverer } from "../lib/messages/outbox_delivery.ts";
import {
  createPasscodeHasher,
  type PasscodeHasher,
} from "../lib/crypto/passcode_hash.ts";
import { toBase64Url } from "../lib/runtime/encoding.ts";
import { nobodysAccountUuid } from "../kv/accounts.ts";
import { sealSecret } from "../lib/crypto/secret_box.ts";
import { createPasscodePolicy } from "../lib/account/passcode_policy.ts";
import { createRangeApiCheck } from "../lib/account/breached_passcodes.ts";
import type { RandomSource } from "../lib/runtime/random.ts";
import type { Assets } from "../lib/runtime/assets.ts";
import { completeResponseHeaders } from "./response_headers.ts";
import { limitRequestBody } from "./body_limit.ts";
import { type AppEnv, clientIpResolver, unsafeMethods } from "./env.ts";
import { healthRoutes } from "./health.ts";
import { sessionCheckRoutes } from "./session_check.ts";
import { loadBrandAssets } from "./pages/brand.ts";
import { createVerifiedTokenCache } from "../lib/sessions/verified_token_cache.ts";
import { lazy } from "../lib/runtime/lazy.ts";
import { activeTraceId } from "../lib/runtime/telemetry.ts";
import { describe, documented } from "./route_docs.ts";

/** The API's name in its document and reference. */
const apiTitle = "Exchange login service";
/** API.md: request bodies are at most 16 KiB. */
export const maxBodyBytes = 16 * 1024;
/** Delivery right after a request waits at most this long; the sweep does the rest. */
const inlineDeliveryTimeoutMs = 3000;
/** A breach-corpus answer later than this is no answer: the check fails open. */
const breachCheckTimeoutMs = 1500;

/** What {@link createApp} needs. */
export interface AppOptions {
  kv: Deno.Kv;
  clock: Clock;
  random: RandomSource;
  config: Config;
  secrets: Secrets;
  transport: MessageTransport;
  log: Log;
  /** Defaults to the fastest engine of this runtime. */
  argon2idEngine?: Argon2idEngine;
  /** The browser assets of `deno task build`, read when the pages are built. */
  assets: () => Promise<Assets>;
  /** Replaces the passcode hasher (tests count its calls). */
  hasher?: PasscodeHasher;
  /** Replaces the passcode policy (tests count its calls). */
  passcodePolicy?: PasscodePolicy;
}

/** The app and what main.ts schedules beside it. */
export interface Service {
  app: Hono<AppEnv>;
  deps: Deps;
  /** What `GET /openapi.json` answers (built on first use, like the routes it reads). */
  openApiDocument(): Promise<Record<string, unknown>>;
  /** Every route of the app in the order they are matched, the deferred ones loaded. */
  routes(): Promise<RouterRoute[]>;
  /** Delivers due outbox entries; run by `Deno.cron` every minute. */
  sweepOutbox(): Promise<{ delivered: number; failed: number }>;
  /**
   * Deletes expired rate-limit and lockout counters and passkey sign-in challenges;
   * run by `Deno.cron`.
   */
  sweepCounters(): Promise<number>;
  /** Applies MFA resets whose 48-hour wait is over; run by `Deno.cron`. */
  sweepMfaResets(): Promise<number>;
  /** Finishes sign-outs a stopped request left half done; run by `Deno.cron`. */
  sweepSessionRevocations(): Promise<number>;
  /** Ends settings locks whose unlock countdown is over; run by `Deno.cron`. */
  sweepSettingsUnlocks(): Promise<number>;
  /** Applies recovery resets a settings lock delayed; run by `Deno.cron`. */
  sweepDelayedRecoveries(): Promise<number>;
}

/** Builds the service. Throws on malformed secrets: bad configuration fails at start. */
export async function createApp(options: AppOptions): Promise<Service> {
  const { kv, clock, random, config, log } = options;
  const hasher = options.hasher ?? createPasscodeHasher({
    engine: options.argon2idEngine ?? await selectArgon2idEngine(),
    random,
  });
  const deliverer = createOutboxDeliverer({
    kv,
    transport: options.transport,
    clock,
    onFailure: (messageId, error) =>
      log({ level: "warn", msg: "message delivery failed", messageId, error }),
  });
  const keyring = await buildKeyring(options.secrets);
  const deps: Deps = {
    kv,
    clock,
    random,
    config,
    keyring,
    hasher,
    dummyPasscodeHash: lazy(() => hasher.hash(toBase64Url(random(24)))),
    dummySealedTotpSecret: lazy(async () => {
      const { generateTotpSecret } = await import("../lib/crypto/totp.ts");
      return sealSecret(
        keyring.dataEncryption,
        random,
        nobodysAccountUuid,
        generateTotpSecret(random),
      );
    }),
    passcodePolicy: options.passcodePolicy ?? createPasscodePolicy({
      rpName: config.rpName,
      appOrigins: config.appOrigins,
      isBreached: config.breachedPasscodeCheck === "hibp"
        ? createRangeApiCheck({
          rangeUrl: config.breachedPasscodeRangeUrl,
          timeoutMs: breachCheckTimeoutMs,
          log,
        })
        : null,
    }),
    deliverer,
    verifiedTokens: createVerifiedTokenCache(),
    log,
  };

  // Read now, though only the pages serve it: a bad BRAND_LOGO stops the start.
  const brand = await loadBrandAssets(config.brand);
  const app = new Hono<AppEnv>();
  // Every request: its id and client address, the delivery of the messages it queued,
  // the response's fixed headers, the log line. One layer, because each layer of
  // middleware costs every session check.
  app.use(async function requestFrame(c, next) {
    const started = performance.now();
    // Generated here: an incoming X-Request-Id is the client's word, not ours.
    const requestId = crypto.randomUUID();
    c.set("requestId", requestId);
    c.set("clientIp", clientIpResolver(c, config.trustedProxyHops, log));
    const messageIds: string[] = [];
    c.set("messageIds", messageIds);
    await next();
    if (messageIds.length > 0) await deliverBeforeResponding(messageIds);
    completeResponseHeaders(c.res.headers);
    c.res.headers.set("X-Request-Id", requestId);
    const route = c.get("route") ?? c.req.routePath;
    countAnswer(c.req.method, route, c.res.status, c.get("problemCode"));
    log({
      level: c.res.status >= 500 ? "error" : "info",
      msg: "request",
      id: requestId,
      // Deno's span of this request, when OpenTelemetry is on: logs meet traces.
      traceId: activeTraceId(),
      method: c.req.method,
      route,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    });
  });
  // Awaited so that isolates frozen after the response (Deno Deploy) still deliver;
  // bounded so a slow provider delays nobody long. Failures stay in the outbox.
  async function deliverBeforeResponding(messageIds: string[]): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      deliverer.deliver(messageIds),
      new Promise((resolve) => {
        timer = setTimeout(resolve, inlineDeliveryTimeoutMs);
      }),
    ]);
    clearTimeout(timer);
  }
  // Only requests that may carry a body pass through this: a layer of middleware is a
  // measurable share of a session check.
  app.on(
    unsafeMethods,
    "*",
    documented(
      limitRequestBody(maxBodyBytes, () => {
        throw new ApiError(
          "payload_too_large",
          `Request bodies are limited to ${maxBodyBytes} bytes.`,
        );
      }),
      { problems: { 413: ["payload_too_large"] } },
    ),
  );

  app.route("/", healthRoutes(deps));
  app.route("/v1", sessionCheckRoutes(deps));

  const deferred = lazy(async () => {
    const [{ deferredRoutes }, { notFound }] = await Promise.all([
      import("./deferred_routes.ts"),
      import("./not_found.ts"),
    ]);
    const routes = new Hono<AppEnv>();
    routes.use(joinRequestFrame);
    routes.route(
      "/",
      deferredRoutes(deps, { built: await options.assets(), brand }, apiTitle),
    );
    // Answered here, not thrown: the frame's join reads the problem's code after it.
    routes.notFound(async (c) =>
      problemResponse(notFound(await allRoutes(), c.req.path), c)
    );
    routes.onError(problemResponse);
    return routes;
  });
  const allRoutes = async () => [...app.routes, ...(await deferred()).routes];
  const documentOnce = lazy(async () => {
    const [{ buildOpenApiDocument }, routes] = await Promise.all([
      import("./openapi.ts"),
      allRoutes(),
    ]);
    return buildOpenApiDocument(routes, {
      title: apiTitle,
      version: "1",
      serverUrl: config.appOrigins[0],
    });
  });
  app.get(
    "/openapi.json",
    describe({
      summary: "This document",
      responses: {
        200: {
          description: "The OpenAPI 3.1 document",
          schema: (z) => z.looseObject({ openapi: z.literal("3.1.0") }),
        },
      },
    }),
    async (c) => c.json(await documentOnce()),
  );
  // Last: whatever the routes above do not answer.
  app.all("*", async (c) =>
    (await deferred()).fetch(c.req.raw, {
      remoteAddr: c.env?.remoteAddr,
      frame: c,
    }));

  app.onError(problemResponse);
  /** The problem+json answer to anything thrown; no stack, no internals. */
  function problemResponse(error: unknown, c: Context<AppEnv>): Response {
    const apiError = toApiError(error);
    c.set("problemCode", apiError.code);
    if (apiError.status >= 500) {
      log({
        level: "error",
        msg: "unhandled error",
        id: c.get("requestId"),
        error: error instanceof Error
          ? `${error.name}: ${error.message}`
          : "unknown",
      });
    }
    for (const [name, value] of Object.entries(apiError.headers)) {
      c.header(name, value);
    }
    c.header("Cache-Control", "no-store");
    return c.body(
      JSON.stringify(problemBody(apiError)),
      apiError.status as 400,
      {
        "Content-Type": "application/problem+json",
      },
    );
  }

  return {
    app,
    deps,
    openApiDocument: documentOnce,
    routes: allRoutes,
    sweepOutbox: () => deliverer.sweep(),
    sweepCounters: () => sweepExpiredCounters(kv, clock.now()),
    // The sweeps' modules load on their first run, not before the first answer.
    sweepMfaResets: async () =>
      (await import("../lib/account/mfa_reset.ts")).applyDueMfaResets(deps),
    sweepSessionRevocations: async () =>
      (await import("../lib/sessions/session_revocation.ts"))
        .sweepSessionRevocations(deps),
    sweepSettingsUnlocks: async () =>
      (await import("../lib/account/settings_lock_change.ts"))
        .endDueSettingsUnlocks(deps),
    sweepDelayedRecoveries: async () =>
      (await import("../lib/account/delayed_recovery.ts"))
        .applyDueDelayedRecoveries(deps),
  };
}

/** Maps anything thrown to the error the client sees; no stack, no internals. */
function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof HTTPException) {
    if (error.status === 413) return new ApiError("payload_too_large");
    if (error.status === 400) {
      // Hono's JSON parser: "Malformed JSON in request body".
      return new ApiError("invalid_request", "The body is not valid JSON.");
    }
  }
  return new ApiError("internal", "Something went wrong. Try again later.");
}

/**
 * Runs a deferred route inside the request frame of routes/app.ts: the frame's id,
 * client address and message queue; the answer's problem code and route back to it,
 * for its log line and metrics.
 */
async function joinRequestFrame(c: Context<AppEnv>, next: Next): Promise<void> {
  const frame = c.env.frame!;
  c.set("requestId", frame.get("requestId"));
  c.set("clientIp", frame.get("clientIp"));
  c.set("messageIds", frame.get("messageIds"));
  await next();
  frame.set("problemCode", c.get("problemCode"));
  frame.set("route", c.req.routePath);
}
