/** Step-up: `POST /v1/step-up` and `POST /v1/step-up/consume`. */
import { Hono } from "hono";
import { z } from "zod";
import type { Deps } from "../lib/deps.ts";
import {
  consumeActionToken,
  stepUp,
  stepUpActions,
} from "../lib/step_up/step_up.ts";
import { type AppEnv, requestOrigin } from "./env.ts";
import { problemSchema } from "./fields.ts";
import { rateLimit } from "./rate_limit.ts";
import { requireSession, type SessionEnv } from "./session_transport.ts";
import { describe, jsonBody } from "./validation.ts";

/** Mounted at `/v1`. */
export function stepUpRoutes(deps: Deps): Hono<AppEnv> {
  const authed = new Hono<SessionEnv>();
  authed.use("/step-up", requireSession(deps));
  authed.post(
    "/step-up",
    describe({
      summary: "Exchange the trading passcode for a 5-minute action token",
      authenticated: true,
      responses: {
        200: {
          description: "Action token",
          schema: z.object({
            actionToken: z.string(),
            expiresIn: z.literal(300),
          }),
        },
        401: { description: "invalid_code", schema: problemSchema },
        403: {
          description: "security_hold (withdrawal)",
          schema: problemSchema,
        },
        423: { description: "step_up_locked", schema: problemSchema },
      },
    }),
    rateLimit(deps, "code"),
    jsonBody(z.object({
      tradingPasscode: z.string().regex(/^\d{6}$/, "must be 6 digits"),
      action: z.enum(stepUpActions),
    })),
    async (c) => {
      const body = c.req.valid("json");
      return c.json(
        await stepUp(
          deps,
          c.get("auth").session,
          body.tradingPasscode,
          body.action,
          requestOrigin(c),
        ),
      );
    },
  );
  return new Hono<AppEnv>()
    .post(
      "/step-up/consume",
      describe({
        summary: "Redeem an action token (once)",
        responses: {
          200: {
            description: "Redeemed",
            schema: z.object({ action: z.string(), accountId: z.string() }),
          },
          401: {
            description:
              "unauthenticated: not a valid token, or its session has ended",
            schema: problemSchema,
          },
          403: {
            description: "security_hold (withdrawal)",
            schema: problemSchema,
          },
          409: { description: "token_used", schema: problemSchema },
        },
      }),
      jsonBody(z.object({ actionToken: z.string().min(10).max(4096) })),
      async (c) =>
        c.json(await consumeActionToken(deps, c.req.valid("json").actionToken)),
    )
    .route("/", authed);
}
