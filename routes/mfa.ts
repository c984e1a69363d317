/** Second-factor settings: `GET /v1/mfa`, `POST /v1/mfa/backup-codes`. */
import { Hono } from "hono";
import { z } from "zod";
import { listBackupCodes } from "../kv/backup_codes.ts";
import { findTotpCredential } from "../kv/totp_credentials.ts";
import { listWebauthnCredentials } from "../kv/webauthn_credentials.ts";
import type { Deps } from "../lib/deps.ts";
import { regenerateBackupCodes } from "../lib/account/backup_code_regeneration.ts";
import { findAccount } from "../kv/accounts.ts";
import { setPhishingResistantOnly } from "../lib/account/mfa_policy.ts";
import { isPhishingResistantOnly } from "../lib/safeguards/phishing_resistant.ts";
import { confirmChange } from "../lib/webauthn/passkey_confirmation.ts";
import { webauthnResponseField } from "./devices.ts";
import { requestOrigin } from "./request_origin.ts";
import type { AppEnv } from "./env.ts";
import { isoTime, sixDigitCode } from "./fields.ts";
import { limitSecurityChanges } from "./rate_limit.ts";
import { refuseWhileLocked } from "./settings_guard.ts";
import { requireSession, type SessionEnv } from "./session_transport.ts";
import {
  announceWithdrawalHold,
  withdrawalHoldHeaderDoc,
} from "./withdrawal_hold_header.ts";
import { jsonBody } from "./validation.ts";
import { describe } from "./route_docs.ts";
import { isoText } from "./iso_time.ts";

/** Mounted at `/v1`. */
export function mfaRoutes(deps: Deps): Hono<AppEnv> {
  const app = new Hono<SessionEnv>();
  app.use(
    "/mfa/*",
    requireSession(deps),
    limitSecurityChanges(deps),
    refuseWhileLocked(deps),
  );
  app.use(
    "/mfa",
    requireSession(deps),
    limitSecurityChanges(deps),
    refuseWhileLocked(deps),
  );
  app
    .get(
      "/mfa",
      describe({
        summary: "Second factors of the account",
        authenticated: true,
        responses: {
          200: {
            description: "MFA state",
            schema: z.object({
              totp: z.object({
                enabled: z.boolean(),
                enrolledAt: isoTime.nullable(),
              }),
              backupCodesRemaining: z.number(),
              webauthnDevices: z.number(),
              phishingResistantOnly: z.boolean().describe(
                "only passkeys prove the second factor (PUT /v1/mfa/policy)",
              ),
            }),
          },
        },
      }),
      async (c) => {
        const accountUuid = c.get("auth").session.accountUuid;
        const totp = await findTotpCredential(deps.kv, accountUuid);
        return c.json({
          totp: {
            enabled: totp !== null,
            enrolledAt: totp ? isoText(totp.value.enrolledAt) : null,
          },
          backupCodesRemaining:
            (await listBackupCodes(deps.kv, accountUuid)).length,
          webauthnDevices:
            (await listWebauthnCredentials(deps.kv, accountUuid)).length,
          phishingResistantOnly: isPhishingResistantOnly(
            (await findAccount(deps.kv, accountUuid))?.value ?? null,
          ),
        });
      },
    )
    .post(
      "/mfa/backup-codes",
      describe({
        summary: "Replace the backup codes (older ones stop working)",
        authenticated: true,
        responses: {
          200: {
            description:
              "Ten new codes, shown once; withdrawals are held for 24 hours",
            headers: withdrawalHoldHeaderDoc(true),
            schema: z.object({ backupCodes: z.array(z.string()) }),
          },
        },
        problems: { 400: ["invalid_code"], 423: ["account_locked"] },
      }),
      jsonBody(z.object({
        totp: sixDigitCode.optional().describe(
          "a current TOTP code; not needed in a confirmed session",
        ),
      })),
      async (c) => {
        const { backupCodes, messageIds, holdUntil } =
          await regenerateBackupCodes(
            deps,
            c.get("auth").session,
            { totp: c.req.valid("json").totp },
            requestOrigin(c),
          );
        c.get("messageIds").push(...messageIds);
        announceWithdrawalHold(c, holdUntil);
        return c.json({ backupCodes });
      },
    );
  app.put(
    "/mfa/policy",
    describe({
      summary:
        "Phishing-resistant only: switch app codes and backup codes off (two passkeys needed) or on again (a passkey needed)",
      authenticated: true,
      responses: {
        204: { description: "Set (also when it was set so already)" },
      },
      problems: {
        400: ["invalid_code"],
        403: ["method_disabled"],
        409: ["conflict"],
        423: ["account_locked"],
      },
    }),
    jsonBody(
      z.object({
        phishingResistantOnly: z.boolean(),
        totp: sixDigitCode.optional(),
        webauthn: webauthnResponseField.optional().describe(
          "a passkey's answer to POST /v1/session/confirm/options",
        ),
      }).refine((body) => (body.totp === undefined) !== !body.webauthn, {
        path: ["totp"],
        message: "required: totp or webauthn, one of them",
      }),
    ),
    async (c) => {
      const body = c.req.valid("json");
      const { session } = c.get("auth");
      const origin = requestOrigin(c);
      c.get("messageIds").push(
        ...await setPhishingResistantOnly(
          deps,
          session.accountUuid,
          body.phishingResistantOnly,
          body.webauthn !== undefined,
          () =>
            confirmChange(deps, session, {
              totp: body.totp,
              webauthn: body.webauthn as never,
            }, origin),
          origin,
        ),
      );
      return c.body(null, 204);
    },
  );
  return new Hono<AppEnv>().route("/", app);
}
