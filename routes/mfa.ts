/** Second-factor settings: `GET /v1/mfa`, `POST /v1/mfa/backup-codes`. */
import { Hono } from "hono";
import { z } from "zod";
import { listBackupCodes, replaceBackupCodes } from "../kv/backup_codes.ts";
import { recordSecurityEvent } from "../kv/security_events.ts";
import { findTotpCredential } from "../kv/totp_credentials.ts";
import { listWebauthnCredentials } from "../kv/webauthn_credentials.ts";
import type { Deps } from "../lib/deps.ts";
import { backupCodeCount, backupCodeHash } from "../lib/login_completion.ts";
import { generateBackupCode } from "../lib/opaque_token.ts";
import { confirmSecurityChange } from "../lib/second_factor.ts";
import { securityEvent } from "../lib/sessions.ts";
import { holdWithdrawals } from "../lib/step_up.ts";
import { requestOrigin } from "./env.ts";
import type { AppEnv } from "./env.ts";
import { problemSchema, sixDigitCode } from "./fields.ts";
import { limitSecurityChanges } from "./rate_limit.ts";
import { requireSession, type SessionEnv } from "./session_transport.ts";
import { describe, jsonBody } from "./validation.ts";

/** Mounted at `/v1`. */
export function mfaRoutes(deps: Deps): Hono<AppEnv> {
  const app = new Hono<SessionEnv>();
  app.use("/mfa/*", requireSession(deps), limitSecurityChanges(deps));
  app.use("/mfa", requireSession(deps), limitSecurityChanges(deps));
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
                enrolledAt: z.string().nullable(),
              }),
              backupCodesRemaining: z.number(),
              webauthnDevices: z.number(),
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
            enrolledAt: totp
              ? new Date(totp.value.enrolledAt).toISOString()
              : null,
          },
          backupCodesRemaining:
            (await listBackupCodes(deps.kv, accountUuid)).length,
          webauthnDevices:
            (await listWebauthnCredentials(deps.kv, accountUuid)).length,
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
            description: "Ten new codes, shown once",
            schema: z.object({ backupCodes: z.array(z.string()) }),
          },
          400: { description: "invalid_code", schema: problemSchema },
        },
      }),
      jsonBody(z.object({ totp: sixDigitCode })),
      async (c) => {
        const accountUuid = c.get("auth").session.accountUuid;
        await confirmSecurityChange(
          deps,
          accountUuid,
          { totp: c.req.valid("json").totp },
          requestOrigin(c),
        );
        const backupCodes = Array.from(
          { length: backupCodeCount },
          () => generateBackupCode(deps.random),
        );
        const hashes = await Promise.all(
          backupCodes.map((code) => backupCodeHash(deps, accountUuid, code)),
        );
        const operation = replaceBackupCodes(
          deps.kv.atomic(),
          accountUuid,
          await listBackupCodes(deps.kv, accountUuid),
          hashes,
          deps.clock.now(),
        );
        recordSecurityEvent(
          operation,
          accountUuid,
          securityEvent(deps, "backup_codes_regenerated", requestOrigin(c)),
        );
        holdWithdrawals(deps, operation, accountUuid);
        const result = await operation.commit();
        if (!result.ok) throw new Error("replacing backup codes failed");
        return c.json({ backupCodes });
      },
    );
  return new Hono<AppEnv>().route("/", app);
}
