/** `PUT /v1/trading-passcode`. */
import { Hono } from "hono";
import { z } from "zod";
import type { Deps } from "../lib/deps.ts";
import { setTradingPasscode } from "../lib/step_up/trading_passcode.ts";
import { type AppEnv, requestOrigin } from "./env.ts";
import { problemSchema, secondFactorFields } from "./fields.ts";
import { limitSecurityChanges } from "./rate_limit.ts";
import {
  refuseWhileLocked,
  withSettingsLockAnswers,
} from "./settings_guard.ts";
import { requireSession, type SessionEnv } from "./session_transport.ts";
import { describe, jsonBody } from "./validation.ts";

/** Mounted at `/v1`. */
export function tradingPasscodeRoutes(deps: Deps): Hono<AppEnv> {
  const app = new Hono<SessionEnv>();
  app.use(
    "/trading-passcode",
    requireSession(deps),
    limitSecurityChanges(deps),
    refuseWhileLocked(deps),
  );
  app.put(
    "/trading-passcode",
    describe({
      summary:
        "Set the 6-digit trading passcode (needs a current second factor)",
      authenticated: true,
      responses: withSettingsLockAnswers({
        204: { description: "Set" },
        400: {
          description: "weak_passcode (trivial), invalid_code",
          schema: problemSchema,
        },
      }),
    }),
    jsonBody(z.object({
      tradingPasscode: z.string().regex(/^\d{6}$/, "must be exactly 6 digits"),
      ...secondFactorFields,
    })),
    async (c) => {
      const body = c.req.valid("json");
      c.get("messageIds").push(
        await setTradingPasscode(
          deps,
          c.get("auth").session.accountUuid,
          body.tradingPasscode,
          { totp: body.totp, backupCode: body.backupCode },
          requestOrigin(c),
        ),
      );
      return c.body(null, 204);
    },
  );
  return new Hono<AppEnv>().route("/", app);
}
