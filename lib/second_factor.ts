/**
 * Proof of a current second factor for security changes (API.md, Security settings):
 * a TOTP code (its step is consumed, so it cannot be replayed for another change) or a
 * backup code (spent).
 */
import { findBackupCode, spendBackupCode } from "../kv/backup_codes.ts";
import { withRetry } from "../kv/retry.ts";
import { acceptTotpStep, findTotpCredential } from "../kv/totp_credentials.ts";
import type { Deps } from "./deps.ts";
import { ApiError } from "./errors.ts";
import { backupCodeHash } from "./login_completion.ts";
import { openSecret } from "./secret_box.ts";
import { matchTotpStep } from "./totp.ts";

/** What the body offers as a second factor. */
export interface SecondFactorProof {
  totp?: string;
  backupCode?: string;
}

/** Consumes the offered factor or throws `invalid_code` (400: the request is wrong). */
export async function consumeSecondFactor(
  deps: Deps,
  accountUuid: string,
  proof: SecondFactorProof,
): Promise<"totp" | "backup_code"> {
  const invalid = () =>
    new ApiError("invalid_code", "The second-factor code is wrong or used.", {
      status: 400,
    });
  if (proof.totp) {
    const code = proof.totp;
    await withRetry(async (retry) => {
      const credential = await findTotpCredential(deps.kv, accountUuid);
      if (!credential) throw invalid();
      const secret = await openSecret(
        deps.keyring.dataEncryption,
        accountUuid,
        credential.value.sealedSecret,
      );
      const step = secret
        ? matchTotpStep(secret, code, deps.clock.now())
        : null;
      if (step === null || step <= credential.value.lastUsedStep) {
        throw invalid();
      }
      const result = await acceptTotpStep(deps.kv.atomic(), credential, step)
        .commit();
      return result.ok ? true : retry;
    });
    return "totp";
  }
  if (proof.backupCode) {
    const hash = await backupCodeHash(deps, accountUuid, proof.backupCode);
    await withRetry(async (retry) => {
      const entry = await findBackupCode(deps.kv, accountUuid, hash);
      if (!entry) throw invalid();
      const result = await spendBackupCode(deps.kv.atomic(), entry).commit();
      return result.ok ? true : retry;
    });
    return "backup_code";
  }
  throw new ApiError(
    "invalid_request",
    "A current second factor is required.",
    {
      extensions: {
        errors: [{ path: "totp", message: "required (or backupCode)" }],
      },
    },
  );
}
