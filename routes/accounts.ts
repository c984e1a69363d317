/** Registration: `POST /v1/accounts` and `POST /v1/accounts/verify`. */
import { Hono } from "hono";
import { z } from "zod";
import { normaliseAccountId } from "../lib/account_id.ts";
import { requireCaptcha } from "../lib/safeguards/captcha_gate.ts";
import type { Deps } from "../lib/deps.ts";
import { ApiError } from "../lib/runtime/errors.ts";
import {
  completeRegistration,
  startRegistration,
} from "../lib/account/registration.ts";
import type { AppEnv } from "./env.ts";
import { requestLanguage, requestOrigin } from "./request_origin.ts";
import {
  accountIdField,
  captchaField,
  parseAccountId,
  passcodeField,
  presentedAccountIdField,
  sixDigitCode,
} from "./fields.ts";
import { rateLimit } from "./rate_limit.ts";
import { getCookie } from "hono/cookie";
import {
  deviceCookie,
  deviceCookieHeader,
  setDeviceCookie,
} from "./session_transport.ts";
import { jsonBody } from "./validation.ts";
import { describe } from "./route_docs.ts";

const registerBody = z.object({
  accountId: accountIdField,
  passcode: passcodeField,
  captcha: captchaField,
});

const verifyBody = z.object({
  accountId: presentedAccountIdField,
  code: sixDigitCode,
});

/** Mounted at `/v1`. */
export function accountRoutes(deps: Deps): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .post(
      "/accounts",
      describe({
        summary:
          "Register; a code goes to the address (a notice instead if it is taken)",
        responses: {
          202: {
            description: "Sent, whether or not the ID was taken",
            schema: z.object({
              status: z.literal("verification_sent"),
              accountId: z.string(),
            }),
          },
        },
        problems: {
          400: ["captcha_required", "captcha_invalid", "weak_passcode"],
        },
      }),
      rateLimit(deps, "register"),
      jsonBody(registerBody),
      async (c) => {
        const body = c.req.valid("json");
        const accountId = await parseAccountId(body.accountId, "accountId");
        await requireCaptcha(deps, body.captcha);
        c.get("messageIds").push(
          await startRegistration(
            deps,
            accountId,
            body.passcode,
            requestLanguage(c),
          ),
        );
        return c.json(
          { status: "verification_sent", accountId: accountId.value },
          202,
        );
      },
    )
    .post(
      "/accounts/verify",
      describe({
        summary: "Verify the registration code; creates the account",
        responses: {
          200: {
            description: "Verified",
            schema: z.object({ status: z.literal("verified") }),
            headers: { "Set-Cookie": deviceCookieHeader },
          },
        },
        problems: { 400: ["invalid_code"] },
      }),
      rateLimit(deps, "code"),
      jsonBody(verifyBody),
      async (c) => {
        const body = c.req.valid("json");
        const accountId = await normaliseAccountId(body.accountId);
        if (!accountId) {
          throw new ApiError("invalid_code", undefined, { status: 400 });
        }
        const completed = await completeRegistration(
          deps,
          accountId.value,
          body.code,
          requestOrigin(c),
          getCookie(c, deviceCookie),
        );
        if (completed.deviceCookie) setDeviceCookie(c, completed.deviceCookie);
        return c.json({ status: "verified" });
      },
    );
}
