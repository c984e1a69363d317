/** The session: confirm, refresh, log out, list and revoke (reading it: session_check.ts). */
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
import type { AppEnv } from "./env.ts";
import { requestOrigin } from "./request_origin.ts";
import {
  backupCodeField,
  idParameter,
  isoTime,
  sixDigitCode,
} from "./fields.ts";
import { isoText } from "./iso_time.ts";
import { webauthnResponseField } from "./devices.ts";
import { limitSecurityChanges } from "./rate_limit.ts";
import {
  confirmationOptions,
  confirmSession,
} from "../lib/webauthn/session_confirmation.ts";
import {
  assertSameOrigin,
  clearedCookiesHeader,
  clearSessionCookies,
  deliverTokens,
  refreshCookie,
  requireSession,
  sessionCookiesHeader,
  type SessionEnv,
} from "./session_transport.ts";
import { jsonBody } from "./validation.ts";
import { describe } from "./route_docs.ts";

/** Mounted at `/v1`. */
export function sessionRoutes(deps: Deps): Hono<AppEnv> {
  const authed = new Hono<SessionEnv>();
  // Scoped to these paths: a catch-all would answer 401 for unknown paths under /v1.
  for (const path of ["/logout", "/sessions", "/sessions/*"]) {
    authed.use(path, requireSession(deps));
  }
  // A confirmation checks a factor, like a security change: the same per-account
  // budget. (Exact paths: a wildcard would also match `/session/confirm` at run time
  // and count it twice.)
  for (const path of ["/session/confirm", "/session/confirm/options"]) {
    authed.use(path, requireSession(deps), limitSecurityChanges(deps));
  }
  authed
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
            schema: z.looseObject({
              challenge: z.string(),
              allowCredentials: z.array(z.looseObject({ id: z.string() })),
            }),
          },
        },
        problems: { 409: ["conflict"] },
        description: "`409 conflict` for an account without a passkey.",
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
            schema: z.object({ confirmedUntil: isoTime }),
          },
        },
        problems: {
          400: ["invalid_code"],
          403: ["method_disabled"],
          409: ["conflict"],
          423: ["account_locked"],
        },
        description:
          "Exactly one of `totp`, `backupCode` or `webauthn` (else `400 " +
          "invalid_request`). A wrong, used or unverified factor is `400 " +
          "invalid_code` and counts toward the lockout of security changes: the " +
          "fifth in a row locks both for 2 hours (`423`). `409 conflict`: a " +
          "passkey's answer without options asked for this session, or answered " +
          "already.",
      }),
      jsonBody(
        z.object({
          totp: sixDigitCode.optional().meta({
            description: "A current code of the authenticator app",
          }),
          backupCode: backupCodeField.optional(),
          webauthn: webauthnResponseField.optional().meta({
            description:
              "The browser's response to `POST /v1/session/confirm/options`",
          }),
        }).meta({
          oneOf: [
            { required: ["totp"] },
            { required: ["backupCode"] },
            { required: ["webauthn"] },
          ],
        }),
      ),
      async (c) => {
        const body = c.req.valid("json");
        const confirmedUntil = await confirmSession(
          deps,
          c.get("auth").session,
          { ...body, webauthn: body.webauthn as never },
          requestOrigin(c),
        );
        return c.json({ confirmedUntil: isoText(confirmedUntil) });
      },
    )
    .post(
      "/logout",
      describe({
        summary: "End the current session and clear the cookies",
        authenticated: true,
        responses: {
          204: {
            description: "Logged out",
            headers: { "Set-Cookie": clearedCookiesHeader },
          },
        },
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
              createdAt: isoTime,
              lastSeenAt: isoTime,
              ip: z.string().nullable(),
              userAgent: z.string().nullable(),
              current: z.boolean(),
            })),
          },
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
          createdAt: isoText(session.createdAt),
          lastSeenAt: isoText(session.lastSeenAt),
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
          204: {
            description: "Revoked",
            headers: {
              "Set-Cookie": {
                ...clearedCookiesHeader,
                description:
                  `${clearedCookiesHeader.description}, when it was the current session`,
              },
            },
          },
        },
        problems: { 404: ["not_found"] },
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
        responses: { 204: { description: "Revoked" } },
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
              session: z.object({ id: z.string(), expiresAt: isoTime }),
              accessToken: z.string().optional(),
              refreshToken: z.string().optional(),
            }),
            headers: { "Set-Cookie": sessionCookiesHeader },
          },
        },
        problems: {
          401: ["unauthenticated", "session_revoked"],
          403: ["csrf_rejected"],
        },
        problemHeaders: {
          401: {
            "Set-Cookie": {
              ...clearedCookiesHeader,
              description:
                `${clearedCookiesHeader.description}, when the refresh token came in a cookie`,
            },
          },
        },
      }),
      jsonBody(z.object({
        refreshToken: z.string().max(100).optional().meta({
          description:
            "Token clients; browsers send `{}` and the `__Host-refresh` cookie",
        }),
      })),
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
