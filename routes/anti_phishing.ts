/** `GET`/`PUT /v1/anti-phishing-code`. */
import { Hono } from "hono";
import { z } from "zod";
import { findAccount } from "../kv/accounts.ts";
import {
  antiPhishingCodePattern,
  setAntiPhishingCode,
} from "../lib/account/anti_phishing.ts";
import type { Deps } from "../lib/deps.ts";
import { ApiError } from "../lib/runtime/errors.ts";
import type { AppEnv } from "./env.ts";
import { requestOrigin } from "./request_origin.ts";
import { withSecondFactor } from "./fields.ts";
import { limitSecurityChanges } from "./rate_limit.ts";
import { refuseWhileLocked } from "./settings_guard.ts";
import { requireSession, type SessionEnv } from "./session_transport.ts";
import { jsonBody } from "./validation.ts";
import { describe } from "./route_docs.ts";

/** Mounted at `/v1`. */
export function antiPhishingRoutes(deps: Deps): Hono<AppEnv> {
  const app = new Hono<SessionEnv>();
  app.use(
    "/anti-phishing-code",
    requireSession(deps),
    limitSecurityChanges(deps),
    refuseWhileLocked(deps),
  );
  app
    .get(
      "/anti-phishing-code",
      describe({
        summary: "The account's anti-phishing code, or null",
        authenticated: true,
        responses: {
          200: {
            description: "Code",
            schema: z.object({ code: z.string().nullable() }),
          },
        },
      }),
      async (c) => {
        const account = await findAccount(
          deps.kv,
          c.get("auth").session.accountUuid,
        );
        if (!account) throw new ApiError("session_revoked");
        return c.json({ code: account.value.antiPhishingCode });
      },
    )
    .put(
      "/anti-phishing-code",
      describe({
        summary: "Set the anti-phishing code (needs a current second factor)",
        authenticated: true,
        responses: {
          204: { description: "Set" },
        },
        problems: { 400: ["invalid_code"], 423: ["account_locked"] },
      }),
      jsonBody(withSecondFactor({
        code: z.string().regex(
          antiPhishingCodePattern,
          "must be 4 to 20 letters, digits, - or _",
        ).meta({ examples: ["Blue-Owl_42"] }),
      })),
      async (c) => {
        const body = c.req.valid("json");
        c.get("messageIds").push(
          ...await setAntiPhishingCode(
            deps,
            c.get("auth").session,
            body.code,
            { totp: body.totp, backupCode: body.backupCode },
            requestOrigin(c),
          ),
        );
        return c.body(null, 204);
      },
    );
  return new Hono<AppEnv>().route("/", app);
}
