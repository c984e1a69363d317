/** The session: read, confirm, refresh, log out, list and revoke. */
import { Hono } from "hono";
import { getCookie } from "hono/cookie";
import { z } from "zod";
import { listAccountSessions } from "../kv/sessions.ts";
import type { Deps } from "../lib/deps.ts";
import { ApiError } from "../lib/runtime/errors.ts";
import {
  endAccountSessions,
  endSessions,
  isSessionLive,
  refreshSession,
} from "../lib/sessions/sessions.ts";
import { type AppEnv, requestOrigin } from "./env.ts";
import {
  idParameter,
  problemSchema,
  secondFactorFields,
  sixDigitCode,
} from "./fields.ts";
import { webauthnResponseField } from "./devices.ts";
import { limitSecurityChanges } from "./rate_limit.ts";
import { isConfirmed } from "../lib/safeguards/second_factor.ts";
import {
  confirmationOptions,
  confirmSession,
} from "../lib/webauthn/session_confirmation.ts";
import {
  assertSameOrigin,
  clearSessionCookies,
  deliverTokens,
  refreshCookie,
  requireSession,
  type SessionEnv,
} from "./session_transport.ts";
import { describe, jsonBody } from "./validation.ts";

const iso = (ms: number) => new Date(ms).toISOString();
const unauthenticated = {
  401: {
    description: "unauthenticated, session_revoked",
    schema: problemSchema,
  },
};

/** Mounted at `/v1`. */
export function sessionRoutes(deps: Deps): Hono<AppEnv> {
  const authed = new Hono<SessionEnv>();
  // Scoped to these paths: a catch-all would answer 401 for unknown paths under /v1.
  for (const path of ["/session", "/logout", "/sessions", "/sessions/*"]) {
    authed.use(path, requireSession(deps));
  }
  // A confirmation checks a factor, like a security change: the same per-account
  // budget. (The wildcard covers `/session/confirm` itself too.)
  authed.use(
    "/session/confirm/*",
    requireSession(deps),
    limitSecurityChanges(deps),
  );
  authed
    .get(
      "/session",
      describe({
        summary: "The current session",
        authenticated: true,
        responses: {
          200: {
            description: "Session",
            schema: z.object({
              accountId: z.string(),
              sessionId: z.string(),
              amr: z.array(z.string()),
              authenticatedAt: z.string(),
              expiresAt: z.string(),
              confirmedUntil: z.string().nullable().describe(
                "the end of the open confirmation window, or null",
              ),
            }),
          },
          ...unauthenticated,
        },
      }),
      (c) => {
        const { session } = c.get("auth");
        return c.json({
          accountId: session.accountId,
          sessionId: session.id,
          amr: session.amr,
          authenticatedAt: iso(session.createdAt),
          expiresAt: iso(session.absoluteExpiresAt),
          confirmedUntil: isConfirmed(session, deps.clock.now())
            ? iso(session.confirmedUntil!)
            : null,
        });
      },
    )
    .post(
      "/session/confirm/options",
      describe({
        summary:
          "WebAuthn request options for the account's passkeys, to confirm this session with one",
        authenticated: true,
        responses: {
          200: {
            description:
              "PublicKeyCredentialRequestOptionsJSON; the challenge is this session's, single-use, 5 minutes",
          },
          ...unauthenticated,
          403: {
            description: "csrf_rejected (a cookie request from another origin)",
            schema: problemSchema,
          },
          409: {
            description: "conflict: the account has no passkey",
            schema: problemSchema,
          },
          429: {
            description: "rate_limited: the account's security budget is spent",
            schema: problemSchema,
          },
        },
      }),
      async (c) =>
        c.json(await confirmationOptions(deps, c.get("auth").session)),
    )
    .post(
      "/session/confirm",
      describe({
        summary:
          "Confirm this session with a second factor: its security changes take none until confirmedUntil",
        authenticated: true,
        responses: {
          200: {
            description: "The confirmation window is open on this session",
            schema: z.object({ confirmedUntil: z.string() }),
          },
          400: {
            description:
              "invalid_request (not exactly one factor), invalid_code (a wrong, used or unverified factor)",
            schema: problemSchema,
          },
          ...unauthenticated,
          403: {
            description: "csrf_rejected (a cookie request from another origin)",
            schema: problemSchema,
          },
          409: {
            description:
              "conflict: a passkey's answer without options asked for this session (or answered already)",
            schema: problemSchema,
          },
          423: {
            description:
              "account_locked: 5 wrong confirmations in a row lock them and every security change for 2 hours",
            schema: problemSchema,
          },
          429: {
            description: "rate_limited: the account's security budget is spent",
            schema: problemSchema,
          },
        },
      }),
      jsonBody(z.object({
        totp: sixDigitCode.optional(),
        backupCode: secondFactorFields.backupCode,
        webauthn: webauthnResponseField.optional().describe(
          "the browser's response to /v1/session/confirm/options",
        ),
      })),
      async (c) => {
        const body = c.req.valid("json");
        const confirmedUntil = await confirmSession(
          deps,
          c.get("auth").session,
          { ...body, webauthn: body.webauthn as never },
          requestOrigin(c),
        );
        return c.json({ confirmedUntil: iso(confirmedUntil) });
      },
    )
    .post(
      "/logout",
      describe({
        summary: "End the current session and clear the cookies",
        authenticated: true,
        responses: { 204: { description: "Logged out" }, ...unauthenticated },
      }),
      async (c) => {
        await endSessions(deps, [c.get("auth").session], requestOrigin(c));
        clearSessionCookies(c);
        return c.body(null, 204);
      },
    )
    .get(
      "/sessions",
      describe({
        summary: "The account's active sessions",
        authenticated: true,
        responses: {
          200: {
            description: "Sessions, newest first",
            schema: z.array(z.object({
              id: z.string(),
              createdAt: z.string(),
              lastSeenAt: z.string(),
              ip: z.string().nullable(),
              userAgent: z.string().nullable(),
              current: z.boolean(),
            })),
          },
          ...unauthenticated,
        },
      }),
      async (c) => {
        const { session: current } = c.get("auth");
        const sessions =
          (await listAccountSessions(deps.kv, current.accountUuid))
            .filter((session) => isSessionLive(deps, session))
            .sort((a, b) => b.createdAt - a.createdAt);
        return c.json(sessions.map((session) => ({
          id: session.id,
          createdAt: iso(session.createdAt),
          lastSeenAt: iso(session.lastSeenAt),
          ip: session.ip,
          userAgent: session.userAgent,
          current: session.id === current.id,
        })));
      },
    )
    .delete(
      "/sessions/:id",
      idParameter,
      describe({
        summary: "Revoke one of the account's sessions",
        authenticated: true,
        responses: {
          204: { description: "Revoked" },
          404: { description: "not_found", schema: problemSchema },
          ...unauthenticated,
        },
      }),
      async (c) => {
        const { session: current } = c.get("auth");
        const target = (await listAccountSessions(deps.kv, current.accountUuid))
          .find((session) => session.id === c.req.valid("param").id);
        if (!target) throw new ApiError("not_found", "No such session.");
        await endSessions(deps, [target], requestOrigin(c));
        if (target.id === current.id) clearSessionCookies(c);
        return c.body(null, 204);
      },
    )
    .delete(
      "/sessions",
      describe({
        summary: "Revoke every session but the current one",
        authenticated: true,
        responses: { 204: { description: "Revoked" }, ...unauthenticated },
      }),
      async (c) => {
        const { session: current } = c.get("auth");
        await endAccountSessions(
          deps,
          current.accountUuid,
          requestOrigin(c),
          current.id,
        );
        return c.body(null, 204);
      },
    );

  return new Hono<AppEnv>()
    .post(
      "/session/refresh",
      describe({
        summary: "Rotate the refresh token and get a new access token",
        responses: {
          200: {
            description:
              "New tokens (in the body for token clients, else as cookies)",
            schema: z.object({
              session: z.object({ id: z.string(), expiresAt: z.string() }),
              accessToken: z.string().optional(),
              refreshToken: z.string().optional(),
            }),
          },
          ...unauthenticated,
        },
      }),
      jsonBody(z.object({ refreshToken: z.string().max(100).optional() })),
      async (c) => {
        const { refreshToken: fromBody } = c.req.valid("json");
        const fromCookie = fromBody ? undefined : getCookie(c, refreshCookie);
        if (fromCookie) assertSameOrigin(c, deps);
        try {
          const tokens = await refreshSession(
            deps,
            fromBody ?? fromCookie,
            requestOrigin(c),
          );
          return c.json(
            deliverTokens(
              c,
              tokens,
              fromBody ? "token" : "cookie",
              deps.clock.now(),
            ),
          );
        } catch (error) {
          if (fromCookie) clearSessionCookies(c);
          throw error;
        }
      },
    )
    .route("/", authed);
}
