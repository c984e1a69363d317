/**
 * `GET /v1/session`, the session check: every signed-in page and client asks it, so
 * it is built with the app and imports only what it needs (the rest of the session's
 * routes load with the other routes, on first use: routes/deferred_routes.ts); its
 * answer's schema is built with zod when the document is.
 */
import { Hono } from "hono";
import type { Deps } from "../lib/deps.ts";
import { isConfirmed } from "../lib/sessions/sessions.ts";
import type { AppEnv } from "./env.ts";
import { isoText, isoTimeOf } from "./iso_time.ts";
import { requireSession, type SessionEnv } from "./session_transport.ts";
import { describe } from "./route_docs.ts";

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
          schema: (z) =>
            z.object({
              accountId: z.string(),
              sessionId: z.string(),
              amr: z.array(z.string()),
              authenticatedAt: isoTimeOf(z),
              expiresAt: isoTimeOf(z),
              confirmedUntil: isoTimeOf(z).nullable().meta({
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
