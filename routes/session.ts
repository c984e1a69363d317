/** The session: read, refresh, log out, list and revoke. */
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
import { passkeyConfirmationOptions } from "../lib/webauthn/passkey_confirmation.ts";
import { idParameter, problemSchema } from "./fields.ts";
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
  for (
    const path of [
      "/session",
      "/session/confirm/options",
      "/logout",
      "/sessions",
      "/sessions/*",
    ]
  ) {
    authed.use(path, requireSession(deps));
  }
  authed
    .post(
      "/session/confirm/options",
      describe({
        summary:
          "WebAuthn request options to confirm a security change with one of the account's passkeys (single-use, 5 minutes)",
        authenticated: true,
        responses: {
          200: { description: "PublicKeyCredentialRequestOptionsJSON" },
          409: {
            description: "conflict: the account has no passkey",
            schema: problemSchema,
          },
          ...unauthenticated,
        },
      }),
      async (c) =>
        c.json(await passkeyConfirmationOptions(deps, c.get("auth").session)),
    )
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
        });
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
