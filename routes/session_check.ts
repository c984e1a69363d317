/**
 * `GET /v1/session`, the session check: every signed-in page and client asks it, so
 * it is built with the app and imports only what it needs (the rest of the session's
 * routes load with the other routes, on first use: routes/deferred_routes.ts).
 */
import { Hono } from "hono";
import { z } from "zod";
import type { Deps } from "../lib/deps.ts";
import { isConfirmed } from "../lib/sessions/sessions.ts";
import type { AppEnv } from "./env.ts";
import { isoText, isoTime } from "./fields.ts";
import { requireSession, type SessionEnv } from "./session_transport.ts";
import { describe } from "./validation.ts";

/** Mounted at `/v1`. */
export function sessionCheckRoutes(deps: Deps): Hono<AppEnv> {
  const authed = new Hono<SessionEnv>();
  authed.use("/session", requireSession(deps)).get(
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
            authenticatedAt: isoTime,
            expiresAt: isoTime,
            confirmedUntil: isoTime.nullable().meta({
              description:
                "The end of this session's open confirmation window, or null",
            }),
          }),
        },
      },
    }),
    (c) => {
      const { session } = c.get("auth");
      return c.json({
        accountId: session.accountId,
        sessionId: session.id,
        amr: session.amr,
        authenticatedAt: isoText(session.createdAt),
        expiresAt: isoText(session.absoluteExpiresAt),
        confirmedUntil: isConfirmed(session, deps.clock.now())
          ? isoText(session.confirmedUntil!)
          : null,
      });
    },
  );
  return new Hono<AppEnv>().route("/", authed);
}
