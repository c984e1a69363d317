/**
 * Proof of a current second factor for security changes (API.md, Security settings):
 * a TOTP code (its step is consumed, so it cannot be replayed for another change) or a
 * backup code (spent). Wrong proofs count toward a lockout of their own, reserved before
 * the check, so a stolen session cannot be used to guess the owner's codes.
 */
import { findAccount, nobodysAccountUuid } from "../../kv/accounts.ts";
import { findBackupCode, spendBackupCode } from "../../kv/backup_codes.ts";
import { confirmationFailuresKey } from "../../kv/keys.ts";
import {
  clearLoginFailures,
  refundLoginAttempt,
  reserveLoginAttempt,
} from "../../kv/login_failures.ts";
import { withRetry } from "../../kv/retry.ts";
import { recordSecurityEvent } from "../../kv/security_events.ts";
import {
  acceptTotpStep,
  findTotpCredential,
} from "../../kv/totp_credentials.ts";
import type { Deps, RequestOrigin } from "../deps.ts";
import { ApiError } from "../runtime/errors.ts";
import { lockedError, loginLockout } from "./lockout.ts";
import { refuseDisabledCodes } from "./phishing_resistant.ts";
import { backupCodeHash } from "../crypto/backup_codes.ts";
import { openSecret } from "../crypto/secret_box.ts";
import { securityEvent } from "../security_event.ts";
import { matchTotpStep } from "../crypto/totp.ts";

/** What the body offers as a second factor. */
export interface SecondFactorProof {
  totp?: string;
  backupCode?: string;
}

/** A second factor found valid and not yet spent. */
export interface CheckedSecondFactor {
  method: "totp" | "backup_code";
  /** Adds the spending, guarded by a check: of two racing uses one commit fails. */
  spend(operation: Deno.AtomicOperation): Deno.AtomicOperation;
}

/** Whether the proof holds now; null when it is wrong, used or absent. */
export async function checkSecondFactor(
  deps: Deps,
  accountUuid: string,
  proof: SecondFactorProof,
): Promise<CheckedSecondFactor | null> {
  if (proof.totp) {
    const credential = await findTotpCredential(deps.kv, accountUuid);
    // Without an authenticator (or an account) the code is checked against a stand-in
    // all the same: the time taken must not tell a stranger which IDs have one.
    const secret = await openSecret(
      deps.keyring.dataEncryption,
      credential ? accountUuid : nobodysAccountUuid,
      credential?.value.sealedSecret ?? deps.dummySealedTotpSecret,
    );
    const step = secret
      ? matchTotpStep(secret, proof.totp, deps.clock.now())
      : null;
    if (!credential || step === null || step <= credential.value.lastUsedStep) {
      return null;
    }
    return {
      method: "totp",
      spend: (operation) => acceptTotpStep(operation, credential, step),
    };
  }
  if (proof.backupCode) {
    const hash = await backupCodeHash(
      deps.keyring,
      accountUuid,
      proof.backupCode,
    );
    const entry = await findBackupCode(deps.kv, accountUuid, hash);
    if (!entry) return null;
    return {
      method: "backup_code",
      spend: (operation) => spendBackupCode(operation, entry),
    };
  }
  return null;
}

/** `400 invalid_request` when the body offers no second factor at all. */
export function requireSecondFactor(proof: SecondFactorProof): void {
  if (proof.totp || proof.backupCode) return;
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

/** Options of {@link confirmSecurityChange}. */
export interface ConfirmationOptions {
  /**
   * Work only a confirmed owner may cause (a new passcode's policy and hash), run after
   * the proofs held and before the factor is spent. When it throws, nothing is spent
   * and the attempt is not counted: the owner corrects the request and sends it again.
   */
  beforeSpending?(): Promise<void>;
}

/**
 * Confirms a security change by the signed-in owner: the current passcode when the
 * change asks for it, then the second factor, which is spent. Wrong answers are `400`
 * (the session is fine, the request is not); the fifth in a row locks security changes
 * for 2 hours (`423`), checked before anything else runs.
 */
export async function confirmSecurityChange(
  deps: Deps,
  accountUuid: string,
  proof: SecondFactorProof & { currentPasscode?: string },
  origin: RequestOrigin,
  options: ConfirmationOptions = {},
): Promise<"totp" | "backup_code"> {
  requireSecondFactor(proof);
  // Refused before an attempt is counted: the owner chose this, nobody guessed wrong.
  await refuseDisabledCodes(deps, accountUuid);
  const key = confirmationFailuresKey(accountUuid);
  const now = deps.clock.now();
  const reservation = await reserveLoginAttempt(
    deps.kv,
    key,
    loginLockout,
    now,
  );
  if (!reservation.granted) {
    throw lockedError(
      "account_locked",
      "Too many wrong passcodes or codes: security changes are locked for a while.",
      reservation.lockedUntil,
      now,
    );
  }
  const refuse = async (error: ApiError): Promise<never> => {
    await recordSecurityEvent(
      deps.kv.atomic(),
      accountUuid,
      securityEvent(deps, "confirmation_failed", origin),
    ).commit();
    throw error;
  };

  if (proof.currentPasscode !== undefined) {
    const account = await findAccount(deps.kv, accountUuid);
    if (!account) throw new ApiError("session_revoked");
    const { valid } = await deps.hasher.verify(
      account.value.passcodeHash,
      proof.currentPasscode,
    );
    if (!valid) {
      await refuse(
        new ApiError("invalid_credentials", "The current passcode is wrong.", {
          status: 400,
        }),
      );
    }
  }
  let prepared = false;
  const method = await withRetry(async (retry) => {
    const checked = await checkSecondFactor(deps, accountUuid, proof);
    if (!checked) {
      return await refuse(
        new ApiError(
          "invalid_code",
          "The second-factor code is wrong or used.",
          { status: 400 },
        ),
      );
    }
    if (!prepared && options.beforeSpending) {
      prepared = true;
      try {
        await options.beforeSpending();
      } catch (error) {
        await refundLoginAttempt(deps.kv, key, loginLockout, deps.clock.now());
        throw error;
      }
    }
    const result = await checked.spend(deps.kv.atomic()).commit();
    return result.ok ? checked.method : retry;
  });
  await clearLoginFailures(deps.kv, key);
  return method;
}
