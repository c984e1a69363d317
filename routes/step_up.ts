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
          description:
            "Action token: a JWT with `aud` = the service's origin + `/actions`, `act`, `jti`, `sub`, `sid`",
          schema: z.object({
            actionToken: z.string(),
            expiresIn: z.literal(300),
          }),
        },
      },
      problems: {
        401: ["invalid_code"],
        403: ["security_hold"],
        409: ["conflict"],
        423: ["step_up_locked"],
      },
    }),
    rateLimit(deps, "code"),
    jsonBody(z.object({
      tradingPasscode: z.string().regex(/^\d{6}$/, "must be 6 digits").meta({
        examples: ["284915"],
      }),
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
            schema: z.object({
              action: z.enum(stepUpActions),
              accountId: z.string(),
            }),
          },
        },
        problems: {
          401: ["unauthenticated"],
          403: ["security_hold"],
          409: ["token_used"],
        },
        description:
          "Needs no session: the service that carries out the action calls it. " +
          "`401 unauthenticated` for a token that is not valid or expired, or whose " +
          "session has ended; such a refusal spends nothing.",
      }),
      jsonBody(z.object({
        actionToken: z.string().min(10).max(4096).meta({
          examples: ["eyJhbGciOiJFZERTQSJ9.e30.c2lnbmF0dXJl"],
        }),
      })),
      async (c) =>
        c.json(await consumeActionToken(deps, c.req.valid("json").actionToken)),
    )
    .route("/", authed);
}
