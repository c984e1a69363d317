/**
 * The second factor of a change that also takes a passkey (the settings lock, the MFA
 * policy): exactly one of `totp`, `backupCode`, or `webauthn` (the browser's answer to
 * `POST /v1/session/confirm/options`).
 */
import { z } from "zod";
import type { ChangeProof } from "../lib/webauthn/passkey_confirmation.ts";
import { webauthnResponseField } from "./devices.ts";
import { secondFactorShape } from "./fields.ts";

const changeProofShape = {
  ...secondFactorShape,
  webauthn: webauthnResponseField.optional().describe(
    "a passkey's answer to POST /v1/session/confirm/options",
  ),
};

/** A body of `shape` with exactly one factor. */
export function withOneFactor<S extends z.ZodRawShape>(shape: S) {
  return z.object({ ...shape, ...changeProofShape }).refine(
    (body) => {
      // The shape is generic; the factor fields are these.
      const { totp, backupCode, webauthn } = body as Record<string, unknown>;
      return [totp, backupCode, webauthn].filter((factor) =>
        factor !== undefined
      ).length === 1;
    },
    {
      path: ["totp"],
      message: "required: one of totp, backupCode or webauthn",
    },
  ).meta({
    description: "Exactly one of `totp`, `backupCode` or `webauthn`",
    oneOf: [
      { required: ["totp"] },
      { required: ["backupCode"] },
      { required: ["webauthn"] },
    ],
  });
}

/** The factor of a validated body. */
export function proofOf(
  body: { totp?: string; backupCode?: string; webauthn?: unknown },
): ChangeProof {
  return {
    totp: body.totp,
    backupCode: body.backupCode,
    webauthn: body.webauthn as ChangeProof["webauthn"],
  };
}
