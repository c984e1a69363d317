/**
 * The second factor of a change that also takes a passkey: `totp`, `backupCode`, or
 * `webauthn` (the browser's answer to `POST /v1/session/confirm/options`), one of them.
 */
import { z } from "zod";
import type { ChangeProof } from "../lib/webauthn/passkey_confirmation.ts";
import { webauthnResponseField } from "./devices.ts";
import { secondFactorFields } from "./fields.ts";

/** The fields of a second factor that may be a passkey. */
export const changeProofFields = {
  ...secondFactorFields,
  webauthn: webauthnResponseField.optional().describe(
    "a passkey's answer to POST /v1/session/confirm/options",
  ),
};

/** Requires exactly one factor of the body. */
export function withOneFactor<
  T extends z.ZodObject<typeof changeProofFields & z.ZodRawShape>,
>(schema: T) {
  return schema.refine(
    (body) =>
      [body.totp, body.backupCode, body.webauthn].filter((factor) =>
        factor !== undefined
      ).length === 1,
    {
      path: ["totp"],
      message: "required: one of totp, backupCode or webauthn",
    },
  );
}

/** The factor of a validated body. */
export function proofOf(
  body: z.infer<z.ZodObject<typeof changeProofFields>>,
): ChangeProof {
  return {
    totp: body.totp,
    backupCode: body.backupCode,
    webauthn: body.webauthn as ChangeProof["webauthn"],
  };
}
