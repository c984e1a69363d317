/** `PUT /v1/passcode`. */
import { Hono } from "hono";
import { z } from "zod";
import type { Deps } from "../lib/deps.ts";
import { changePasscode } from "../lib/account/passcode_change.ts";
import { type AppEnv, requestOrigin } from "./env.ts";
import { passcodeField, problemSchema, secondFactorFields } from "./fields.ts";
import { limitSecurityChanges } from "./rate_limit.ts";
import { requireSession, type SessionEnv } from "./session_transport.ts";
import { announceWithdrawalHold } from "./withdrawal_hold_header.ts";
import { describe, jsonBody } from "./validation.ts";

/** Mounted at `/v1`. */
export function passcodeRoutes(deps: Deps): Hono<AppEnv> {
  const app = new Hono<SessionEnv>();
  app.use("/passcode", requireSession(deps), limitSecurityChanges(deps));
  app.put(
    "/passcode",
    describe({
      summary:
        "Change the passcode (current passcode and second factor); signs out every other session",
      authenticated: true,
      responses: {
        204: {
          description:
            "Changed; withdrawals are held for 24 hours, until the Withdrawal-Hold-Until header",
        },
        400: {
          description: "weak_passcode, invalid_credentials, invalid_code",
          schema: problemSchema,
        },
        423: {
          description: "account_locked (5 wrong confirmations in a row)",
          schema: problemSchema,
        },
      },
    }),
    jsonBody(z.object({
      currentPasscode: passcodeField,
      newPasscode: passcodeField,
      ...secondFactorFields,
    })),
    async (c) => {
      const { messageIds, holdUntil } = await changePasscode(
        deps,
        c.get("auth").session,
        c.req.valid("json"),
        requestOrigin(c),
      );
      c.get("messageIds").push(...messageIds);
      announceWithdrawalHold(c, holdUntil);
      return c.body(null, 204);
    },
  );
  return new Hono<AppEnv>().route("/", app);
}
