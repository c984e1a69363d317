/**
 * Proof of a current second factor for security changes (API.md, Security settings):
 * a TOTP code (its step is consumed, so it cannot be replayed for another change) or a
 * backup code (spent), in the change's body, or the session's confirmation window
 * (API.md, Session): one factor opens a few minutes in which this session's changes
 * take none. Wrong proofs count toward a lockout of their own, reserved before the
 * check, so a stolen session cannot be used to guess the owner's codes. Every security
 * change confirms through {@link confirmSecurityChange}.
 */
import { findAccount, nobodysAccountUuid } from "../../kv/accounts.ts";
import { findBackupCode, spendBackupCode } from "../../kv/backup_codes.ts";
import { confirmationFailuresKey } from "../../kv/keys.ts";
import {
  clearLoginFailures,
  findLock,
  refundLoginAttempt,
  reserveLoginAttempt,
} from "../../kv/login_failures.ts";
import { withRetry } from "../../kv/retry.ts";
import { recordSecurityEvent } from "../../kv/security_events.ts";
import { findSession, type Session, updateSession } from "../../kv/sessions.ts";
import {
  acceptTotpStep,
  findTotpCredential,
} from "../../kv/totp_credentials.ts";
import type { Deps, RequestOrigin } from "../deps.ts";
import { ApiError } from "../runtime/errors.ts";
import { isConfirmed } from "../sessions/sessions.ts";
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
  method: "totp" | "backup_code" | "webauthn";
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
    const standIn = await deps.dummySealedTotpSecret();
    const secret = await openSecret(
      deps.keyring.dataEncryption,
      credential ? accountUuid : nobodysAccountUuid,
      credential?.value.sealedSecret ?? standIn,
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

/** `400 invalid_request` when the body offers no second factor and no window is open. */
function requireSecondFactor(): never {
  throw new ApiError(
    "invalid_request",
    "A current second factor is required, or a confirmed session (POST /v1/session/confirm).",
    {
      extensions: {
        errors: [{ path: "totp", message: "required (or backupCode)" }],
      },
    },
  );
}

/** The session a change is made in: its account and its confirmation window. */
export type ConfirmingSession = Pick<
  Session,
  "id" | "accountUuid" | "confirmedUntil"
>;

/** Options of {@link confirmSecurityChange}. */
export interface ConfirmationOptions {
  /**
   * Work only a confirmed owner may cause (a new passcode's policy and hash), run after
   * the proofs held and before the factor is spent. When it throws, nothing is spent
   * and the attempt is not counted: the owner corrects the request and sends it again.
   */
  beforeSpending?(): Promise<void>;
}

/** How a confirmation's factor is checked: afresh on every try of its commit. */
export type FactorCheck = () => Promise<CheckedSecondFactor | null>;

/**
 * The steps every confirmation shares, cheapest first: the lockout reservation (`423`
 * when locked), the current passcode when asked, the factor (when `check` is given;
 * spent in one commit with `alsoWrite`'s writes, retried on conflict), then the
 * counter cleared. Wrong answers are `400` (the session is fine, the request is not)
 * and recorded as `confirmation_failed`. A `check` that throws (the factor cannot be
 * judged: no passkey challenge was asked for) gives the attempt back.
 */
async function confirmWithProof<T>(
  deps: Deps,
  accountUuid: string,
  origin: RequestOrigin,
  steps: {
    currentPasscode?: string;
    check: FactorCheck | null;
    beforeSpending?(): Promise<void>;
    /** Writes committed with the factor's spending; its result is returned. */
    alsoWrite?(operation: Deno.AtomicOperation): Promise<T>;
  },
): Promise<{ method: CheckedSecondFactor["method"] | null; written?: T }> {
  const key = confirmationFailuresKey(accountUuid);
  const now = deps.clock.now();
  const { reservation, versionstamp } = await reserveLoginAttempt(
    deps.kv,
    key,
    loginLockout,
    now,
  );
  if (!reservation.granted) {
    throw confirmationsLocked(reservation.lockedUntil, now);
  }
  const giveBack = () =>
    refundLoginAttempt(deps.kv, key, loginLockout, deps.clock.now(), {
      key,
      value: reservation.counter,
      versionstamp: versionstamp!,
    });
  const refuse = async (error: ApiError): Promise<never> => {
    await recordSecurityEvent(
      deps.kv.atomic(),
      accountUuid,
      securityEvent(deps, "confirmation_failed", origin),
    ).commit();
    throw error;
  };

  if (steps.currentPasscode !== undefined) {
    const account = await findAccount(deps.kv, accountUuid);
    if (!account) throw new ApiError("session_revoked");
    const { valid } = await deps.hasher.verify(
      account.value.passcodeHash,
      steps.currentPasscode,
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
  const result = await withRetry(async (retry) => {
    let checked: CheckedSecondFactor | null = null;
    if (steps.check) {
      try {
        checked = await steps.check();
      } catch (error) {
        await giveBack();
        throw error;
      }
      if (!checked) {
        return await refuse(
          new ApiError(
            "invalid_code",
            "The second-factor code is wrong or used.",
            { status: 400 },
          ),
        );
      }
    }
    if (!prepared && steps.beforeSpending) {
      prepared = true;
      try {
        await steps.beforeSpending();
      } catch (error) {
        await giveBack();
        throw error;
      }
    }
    if (!checked && !steps.alsoWrite) return { method: null };
    const operation = deps.kv.atomic();
    checked?.spend(operation);
    const written = await steps.alsoWrite?.(operation);
    return (await operation.commit()).ok
      ? { method: checked?.method ?? null, written }
      : retry;
  });
  await clearLoginFailures(deps.kv, key);
  return result;
}

/** `423 account_locked`: five wrong confirmations in a row lock them for 2 hours. */
function confirmationsLocked(lockedUntil: number, nowMs: number): ApiError {
  return lockedError(
    "account_locked",
    "Too many wrong passcodes or codes: security changes are locked for a while.",
    lockedUntil,
    nowMs,
  );
}

/**
 * Confirms a security change by the signed-in owner: the current passcode when the
 * change asks for it, then the second factor in the body, which is spent. While the
 * session's confirmation window is open the body needs no factor (one offered anyway
 * is checked and spent all the same), but the current passcode still is asked, and
 * the lock still holds: a change that proves nothing new only looks at it, so it can
 * neither be locked out by nor clear earlier failures. Wrong answers are `400`; the
 * fifth in a row locks security changes for 2 hours (`423`), checked before anything
 * else runs.
 */
export async function confirmSecurityChange(
  deps: Deps,
  session: ConfirmingSession,
  proof: SecondFactorProof & {
    currentPasscode?: string;
    /** A passkey's answer, checked by the caller's ceremony (lib/webauthn). */
    passkey?: FactorCheck;
  },
  origin: RequestOrigin,
  options: ConfirmationOptions = {},
): Promise<"totp" | "backup_code" | "webauthn" | "window"> {
  const accountUuid = session.accountUuid;
  const codeOffered = Boolean(proof.totp || proof.backupCode);
  const offered = codeOffered || proof.passkey !== undefined;
  if (!offered && !isConfirmed(session, deps.clock.now())) {
    requireSecondFactor();
  }
  // Refused before an attempt is counted: the owner chose this, nobody guessed wrong.
  if (codeOffered) await refuseDisabledCodes(deps, accountUuid);
  if (!offered && proof.currentPasscode === undefined) {
    const now = deps.clock.now();
    const lockedUntil = await findLock(
      deps.kv,
      confirmationFailuresKey(accountUuid),
      loginLockout,
      now,
    );
    if (lockedUntil !== null) throw confirmationsLocked(lockedUntil, now);
    await options.beforeSpending?.();
    return "window";
  }
  const { method } = await confirmWithProof(deps, accountUuid, origin, {
    currentPasscode: proof.currentPasscode,
    check: proof.passkey ??
      (codeOffered ? () => checkSecondFactor(deps, accountUuid, proof) : null),
    beforeSpending: options.beforeSpending,
  });
  return method ?? "window";
}

/**
 * Opens the session's confirmation window (`POST /v1/session/confirm`): the factor is
 * checked as for a security change, counted toward the same lockout, and spent in one
 * commit with the window, written into the session record (checked, so an ended
 * session is not written back). Returns the window's end.
 */
export async function openConfirmationWindow(
  deps: Deps,
  session: ConfirmingSession,
  check: FactorCheck,
  origin: RequestOrigin,
): Promise<number> {
  const { written } = await confirmWithProof(
    deps,
    session.accountUuid,
    origin,
    {
      check,
      async alsoWrite(operation) {
        const entry = await findSession(deps.kv, session.id);
        if (!entry) throw new ApiError("session_revoked");
        const now = deps.clock.now();
        const confirmedUntil = now +
          deps.config.confirmationWindowSeconds * 1000;
        updateSession(
          operation,
          entry,
          { ...entry.value, confirmedUntil },
          now,
        );
        return confirmedUntil;
      },
    },
  );
  return written!;
}
