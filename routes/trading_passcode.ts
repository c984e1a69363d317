/** `PUT /v1/trading-passcode`. */
import { Hono } from "hono";
import { z } from "zod";
import type { Deps } from "../lib/deps.ts";
import { setTradingPasscode } from "../lib/step_up/trading_passcode.ts";
import type { AppEnv } from "./env.ts";
import { requestOrigin } from "./request_origin.ts";
import { withSecondFactor } from "./fields.ts";
import { limitSecurityChanges } from "./rate_limit.ts";
import { refuseWhileLocked } from "./settings_guard.ts";
import { requireSession, type SessionEnv } from "./session_transport.ts";
import {
  announceWithdrawalHold,
  withdrawalHoldHeaderDoc,
} from "./withdrawal_hold_header.ts";
import { jsonBody } from "./validation.ts";
import { describe } from "./route_docs.ts";

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
      responses: {
        204: {
          description:
            "Set; replacing one holds withdrawals for 24 hours (its first setting does not)",
          headers: withdrawalHoldHeaderDoc(false),
        },
      },
      problems: {
        400: ["weak_passcode", "invalid_code"],
        423: ["account_locked"],
      },
    }),
    jsonBody(withSecondFactor({
      tradingPasscode: z.string().regex(/^\d{6}$/, "must be exactly 6 digits")
        .meta({ examples: ["284915"] }),
    })),
    async (c) => {
      const body = c.req.valid("json");
      const { messageId, holdUntil } = await setTradingPasscode(
        deps,
        c.get("auth").session,
        body.tradingPasscode,
        { totp: body.totp, backupCode: body.backupCode },
        requestOrigin(c),
      );
      c.get("messageIds").push(messageId);
      announceWithdrawalHold(c, holdUntil);
      return c.body(null, 204);
    },
  );
  return new Hono<AppEnv>().route("/", app);
}
