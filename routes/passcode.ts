/** `PUT /v1/passcode`. */
import { Hono } from "hono";
import type { Deps } from "../lib/deps.ts";
import { changePasscode } from "../lib/account/passcode_change.ts";
import type { AppEnv } from "./env.ts";
import { requestOrigin } from "./request_origin.ts";
import { passcodeField, withSecondFactor } from "./fields.ts";
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
export function passcodeRoutes(deps: Deps): Hono<AppEnv> {
  const app = new Hono<SessionEnv>();
  app.use(
    "/passcode",
    requireSession(deps),
    limitSecurityChanges(deps),
    refuseWhileLocked(deps),
  );
  app.put(
    "/passcode",
    describe({
      summary:
        "Change the passcode (current passcode and second factor); signs out every other session",
      authenticated: true,
      responses: {
        204: {
          description: "Changed; withdrawals are held for 24 hours",
          headers: withdrawalHoldHeaderDoc(true),
        },
      },
      problems: {
        400: ["weak_passcode", "invalid_credentials", "invalid_code"],
        423: ["account_locked"],
      },
    }),
    jsonBody(withSecondFactor({
      currentPasscode: passcodeField,
      newPasscode: passcodeField,
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
