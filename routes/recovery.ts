/** Recovery: `POST /v1/recovery`, `/v1/recovery/reset`, `/v1/recovery/mfa-reset`. */
import { Hono } from "hono";
import { z } from "zod";
import { requireCaptcha } from "../lib/safeguards/captcha_gate.ts";
import type { Deps } from "../lib/deps.ts";
import {
  requestRecovery,
  resetPasscode,
  startMfaReset,
} from "../lib/account/recovery.ts";
import type { AppEnv } from "./env.ts";
import { requestOrigin } from "./request_origin.ts";
import {
  accountIdField,
  captchaField,
  isoTime,
  linkTokenField,
  parseAccountId,
  passcodeField,
  sixDigitCode,
  withOptionalSecondFactor,
} from "./fields.ts";
import { answerNoSoonerThan } from "./answer_floor.ts";
import { cancelRecovery } from "../lib/account/recovery_cancellation.ts";
import { rateLimit } from "./rate_limit.ts";
import {
  announceWithdrawalHold,
  withdrawalHoldHeaderDoc,
} from "./withdrawal_hold_header.ts";
import { jsonBody } from "./validation.ts";
import { describe, type OperationDoc } from "./route_docs.ts";
import { isoText } from "./iso_time.ts";

const codeFields = {
  accountId: accountIdField,
  code: sixDigitCode,
  newPasscode: passcodeField,
};

/** Wrong codes count as failed sign-ins of the account ID: 5 lock it (`423`). */
const wrongAnswers = {
  400: ["weak_passcode", "invalid_code"],
  409: ["conflict"],
  423: ["account_locked"],
} as const satisfies OperationDoc["problems"];

/** Mounted at `/v1`. */
export function recoveryRoutes(deps: Deps): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .post(
      "/recovery",
      describe({
        summary:
          "Ask for a recovery code; the answer is the same whether the account exists or not",
        responses: {
          202: {
            description:
              "Accepted; a code valid 10 minutes goes to the address if it has an account",
            schema: z.object({
              status: z.literal("accepted"),
              accountId: z.string(),
            }),
          },
        },
        problems: { 400: ["captcha_required", "captcha_invalid"] },
      }),
      rateLimit(deps, "recovery"),
      answerNoSoonerThan(deps.config.recoveryAnswerFloorMs),
      jsonBody(z.object({ accountId: accountIdField, captcha: captchaField })),
      async (c) => {
        const body = c.req.valid("json");
        const accountId = await parseAccountId(body.accountId, "accountId");
        await requireCaptcha(deps, body.captcha);
        // Not awaited: how long a provider takes to accept a message must not shape
        // the answer's timing, for an address with an account or without.
        deps.deliverer.deliverInBackground(
          await requestRecovery(deps, accountId, requestOrigin(c)),
        );
        return c.json({ status: "accepted", accountId: accountId.value }, 202);
      },
    )
    .post(
      "/recovery/reset",
      describe({
        summary:
          "Set a new passcode with the recovery code and the second factor; ends every session and unfreezes the account",
        responses: {
          202: {
            description:
              "Under a settings lock: the reset takes effect at effectiveAt (the lock's delay); the announcement carries a link that cancels it",
            schema: z.object({ effectiveAt: isoTime }),
          },
          204: {
            description: "Reset; withdrawals are held for 24 hours",
            headers: withdrawalHoldHeaderDoc(true),
          },
        },
        problems: { ...wrongAnswers, 403: ["method_disabled"] },
        description:
          "Takes the account's second factor (`totp` or `backupCode`), or neither " +
          "for an account that never enrolled one. An account that accepts only " +
          "passkeys refuses the codes (`403 method_disabled`): its recovery is the " +
          "MFA reset.",
      }),
      rateLimit(deps, "code"),
      answerNoSoonerThan(deps.config.recoveryAnswerFloorMs),
      jsonBody(withOptionalSecondFactor(codeFields)),
      async (c) => {
        const body = c.req.valid("json");
        const accountId = await parseAccountId(body.accountId, "accountId");
        const { messageIds, holdUntil, effectiveAt } = await resetPasscode(
          deps,
          { ...body, accountId },
          requestOrigin(c),
        );
        c.get("messageIds").push(...messageIds);
        if (effectiveAt !== null) {
          return c.json(
            { effectiveAt: isoText(effectiveAt) },
            202,
          );
        }
        announceWithdrawalHold(c, holdUntil);
        return c.body(null, 204);
      },
    )
    .post(
      "/recovery/mfa-reset",
      describe({
        summary:
          "Lost authenticator, no backup code: remove it and set the passcode after 48 hours (or the settings lock's longer delay)",
        responses: {
          202: {
            description:
              "Started; a sign-in with the old factor before effectiveAt, or the link in the announcement, cancels it",
            schema: z.object({ effectiveAt: isoTime }),
          },
        },
        problems: wrongAnswers,
      }),
      rateLimit(deps, "code"),
      answerNoSoonerThan(deps.config.recoveryAnswerFloorMs),
      jsonBody(z.object(codeFields)),
      async (c) => {
        const body = c.req.valid("json");
        const accountId = await parseAccountId(body.accountId, "accountId");
        const started = await startMfaReset(
          deps,
          { ...body, accountId },
          requestOrigin(c),
        );
        c.get("messageIds").push(...started.messageIds);
        return c.json(
          { effectiveAt: isoText(started.effectiveAt) },
          202,
        );
      },
    )
    .post(
      "/recovery/cancel",
      describe({
        summary:
          "Cancel a pending recovery with the token of the link it was announced with",
        responses: {
          200: {
            description: "Cancelled; the owner is told",
            schema: z.object({ status: z.literal("cancelled") }),
          },
        },
        problems: { 400: ["invalid_code"] },
        description:
          "`400 invalid_code` when the token is unknown, used or expired, or its " +
          "recovery is no longer pending.",
      }),
      rateLimit(deps, "code"),
      jsonBody(z.object({ token: linkTokenField })),
      async (c) => {
        c.get("messageIds").push(
          ...await cancelRecovery(
            deps,
            c.req.valid("json").token,
            requestOrigin(c),
          ),
        );
        return c.json({ status: "cancelled" });
      },
    );
}
