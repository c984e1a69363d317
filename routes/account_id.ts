/** `PUT /v1/account-id` and `POST /v1/account-id/verify`. */
import { Hono } from "hono";
import { z } from "zod";
import {
  requestAccountIdChange,
  verifyAccountIdChange,
} from "../lib/account/account_id_change.ts";
import type { Deps } from "../lib/deps.ts";
import type { AppEnv } from "./env.ts";
import { requestOrigin } from "./request_origin.ts";
import {
  accountIdField,
  parseAccountId,
  passcodeField,
  sixDigitCode,
  withSecondFactor,
} from "./fields.ts";
import { limitSecurityChanges, rateLimit } from "./rate_limit.ts";
import { refuseWhileLocked } from "./settings_guard.ts";
import { requireSession, type SessionEnv } from "./session_transport.ts";
import {
  announceWithdrawalHold,
  withdrawalHoldHeaderDoc,
} from "./withdrawal_hold_header.ts";
import { jsonBody } from "./validation.ts";
import { describe } from "./route_docs.ts";

/** Mounted at `/v1`. */
export function accountIdRoutes(deps: Deps): Hono<AppEnv> {
  const app = new Hono<SessionEnv>();
  app.use(
    "/account-id",
    requireSession(deps),
    limitSecurityChanges(deps),
    refuseWhileLocked(deps),
  );
  app.use(
    "/account-id/*",
    requireSession(deps),
    limitSecurityChanges(deps),
    refuseWhileLocked(deps),
  );
  app.put(
    "/account-id",
    describe({
      summary:
        "Ask to change the account ID: a code goes to the new address, a notice to the old",
      authenticated: true,
      responses: {
        202: {
          description: "Sent",
          schema: z.object({
            status: z.literal("verification_sent"),
            accountId: z.string(),
          }),
        },
      },
      problems: {
        400: ["invalid_credentials", "invalid_code"],
        423: ["account_locked"],
      },
    }),
    jsonBody(withSecondFactor({
      newAccountId: accountIdField,
      passcode: passcodeField,
    })),
    async (c) => {
      const body = c.req.valid("json");
      const newAccountId = await parseAccountId(
        body.newAccountId,
        "newAccountId",
      );
      c.get("messageIds").push(
        ...await requestAccountIdChange(
          deps,
          c.get("auth").session,
          { ...body, newAccountId },
          requestOrigin(c),
        ),
      );
      return c.json(
        { status: "verification_sent", accountId: newAccountId.value },
        202,
      );
    },
  );
  app.post(
    "/account-id/verify",
    describe({
      summary:
        "Enter the code sent to the new address; the ID changes and other sessions end",
      authenticated: true,
      responses: {
        204: {
          description: "Changed; withdrawals are held for 24 hours",
          headers: withdrawalHoldHeaderDoc(true),
        },
      },
      problems: { 400: ["invalid_code"], 409: ["conflict"] },
    }),
    rateLimit(deps, "code"),
    jsonBody(z.object({ code: sixDigitCode })),
    async (c) => {
      const { messageIds, holdUntil } = await verifyAccountIdChange(
        deps,
        c.get("auth").session,
        c.req.valid("json").code,
        requestOrigin(c),
      );
      c.get("messageIds").push(...messageIds);
      announceWithdrawalHold(c, holdUntil);
      return c.body(null, 204);
    },
  );
  return new Hono<AppEnv>().route("/", app);
}
