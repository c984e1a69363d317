/** `PUT /v1/account-id` and `POST /v1/account-id/verify`. */
import { Hono } from "hono";
import { z } from "zod";
import {
  requestAccountIdChange,
  verifyAccountIdChange,
} from "../lib/account/account_id_change.ts";
import type { Deps } from "../lib/deps.ts";
import { type AppEnv, requestOrigin } from "./env.ts";
import {
  accountIdField,
  parseAccountId,
  passcodeField,
  problemSchema,
  secondFactorFields,
  sixDigitCode,
} from "./fields.ts";
import { limitSecurityChanges, rateLimit } from "./rate_limit.ts";
import { requireSession, type SessionEnv } from "./session_transport.ts";
import {
  refuseWhileLocked,
  withSettingsLockAnswers,
} from "./settings_guard.ts";
import { describe, jsonBody } from "./validation.ts";

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
      responses: withSettingsLockAnswers({
        202: {
          description: "Sent",
          schema: z.object({
            status: z.literal("verification_sent"),
            accountId: z.string(),
          }),
        },
        400: {
          description: "invalid_request, invalid_credentials, invalid_code",
          schema: problemSchema,
        },
        423: { description: "account_locked", schema: problemSchema },
      }),
    }),
    jsonBody(z.object({
      newAccountId: accountIdField,
      passcode: passcodeField,
      ...secondFactorFields,
    })),
    async (c) => {
      const body = c.req.valid("json");
      const newAccountId = parseAccountId(body.newAccountId, "newAccountId");
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
      responses: withSettingsLockAnswers({
        204: { description: "Changed; withdrawals are held for 24 hours" },
        400: { description: "invalid_code", schema: problemSchema },
        409: {
          description: "conflict: the address was registered meanwhile",
          schema: problemSchema,
        },
      }),
    }),
    rateLimit(deps, "code"),
    jsonBody(z.object({ code: sixDigitCode })),
    async (c) => {
      c.get("messageIds").push(
        ...await verifyAccountIdChange(
          deps,
          c.get("auth").session,
          c.req.valid("json").code,
          requestOrigin(c),
        ),
      );
      return c.body(null, 204);
    },
  );
  return new Hono<AppEnv>().route("/", app);
}
