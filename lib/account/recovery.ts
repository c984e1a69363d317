/**
 * Recovery (API.md, Recovery): a code to the account's address, then either a new
 * passcode with the second factor (`reset`), or, for a lost authenticator without backup
 * codes, the 48-hour MFA reset.
 *
 * Unknown account IDs go through the same steps: a code record is stored for them too
 * (no message, nobody can know its code), the same hash runs, and wrong answers count
 * toward the same lockout, so neither the answers nor their timing tell a stranger
 * whether an address is registered.
 */
import {
  type Account,
  findAccountByAccountId,
  nobodysAccountUuid,
} from "../../kv/accounts.ts";
import { recoveryCodeKey } from "../../kv/keys.ts";
import { putCodeRecord, redeemCode } from "../../kv/one_time_codes.ts";
import { enqueueMessage } from "../../kv/outbox.ts";
import { recordSecurityEventOrStandIn } from "../../kv/security_events.ts";
import { findTotpCredential } from "../../kv/totp_credentials.ts";
import { addAccountChange } from "./account_change.ts";
import type { AccountId } from "../account_id.ts";
import {
  composeAccountMessage,
  messageSender,
} from "../messages/account_message.ts";
import { defaultLanguage } from "../i18n/languages.ts";
import { composeMessage } from "../messages/messages.ts";
import { timeOrderedId } from "../runtime/ids.ts";
import type { Deps, RequestOrigin } from "../deps.ts";
import { ApiError } from "../runtime/errors.ts";
import { reserveAttempt } from "../safeguards/lockout.ts";
import { addMfaResetRequest } from "./mfa_reset.ts";
import { codeRecordMatches, issueCodeRecord } from "../crypto/code_record.ts";
import { requireStrongPasscode } from "./passcode_policy.ts";
import {
  checkSecondFactor,
  type SecondFactorProof,
} from "../safeguards/second_factor.ts";
import { finishSignOut, signOut } from "../sessions/session_revocation.ts";
import { withdrawalHoldEnd } from "../safeguards/withdrawal_hold.ts";
import { securityEvent } from "../security_event.ts";
import { assertCodesAllowed } from "../safeguards/phishing_resistant.ts";
import { recoveryDelayMs } from "../safeguards/settings_lock.ts";
import { addDelayedRecovery, passcodeResetChange } from "./delayed_recovery.ts";

/** Which account a recovery code was issued for; null for an unknown account ID. */
interface RecoveryTarget {
  accountUuid: string | null;
}

const codeContext = (accountId: string) => `recovery:${accountId}`;

/**
 * Issues a recovery code (replacing an older one) and returns the ids of the messages
 * queued. An address without an account is told so instead (OWASP's forgotten-password
 * advice): only whoever reads it learns that, and both answers cost the same record,
 * message and delivery, so their timing tells a stranger nothing.
 */
export async function requestRecovery(
  deps: Deps,
  accountId: AccountId,
  origin: RequestOrigin,
): Promise<string[]> {
  const now = deps.clock.now();
  const account = await findAccountByAccountId(deps.kv, accountId.value);
  const { code, record } = await issueCodeRecord<RecoveryTarget>(
    deps,
    codeContext(accountId.value),
    { accountUuid: account?.value.id ?? null },
    now,
  );
  const operation = putCodeRecord(
    deps.kv.atomic(),
    recoveryCodeKey(accountId.value),
    record,
    now,
  );
  const message = account
    ? composeAccountMessage(deps, account.value, "recovery_code", { code })
    : composeMessage("recovery_no_account", {}, {
      id: timeOrderedId(deps.clock, deps.random),
      channel: accountId.channel,
      to: accountId.value,
      antiPhishingCode: null,
      createdAt: now,
      language: origin.language ?? defaultLanguage,
    }, messageSender(deps));
  enqueueMessage(operation, message);
  recordSecurityEventOrStandIn(
    operation,
    account?.value.id ?? null,
    securityEvent(deps, "recovery_requested", origin),
  );
  if (!(await operation.commit()).ok) throw new Error("storing failed");
  return [message.id];
}

/** What both recovery endpoints take. */
interface RecoveryInput {
  accountId: AccountId;
  code: string;
  newPasscode: string;
}

/**
 * The steps both endpoints share, cheapest gate first: the lockout reservation (wrong
 * codes count as failed sign-ins of the account ID; a locked ID is refused before any
 * other work), the code and `extraCheck` (the second factor of `reset`), and only for a
 * right code the new passcode's policy and hash, then the redemption of the code
 * together with the endpoint's own writes.
 */
async function redeemRecoveryCode(
  deps: Deps,
  input: RecoveryInput,
  origin: RequestOrigin,
  steps: {
    /** Run for an unknown ID too, with an account id nobody has: the same reads. */
    extraCheck(accountUuid: string): Promise<boolean>;
    /**
     * Refusals that need a right code (so they tell a stranger nothing), before the
     * new passcode is judged; like a weak passcode they spend nothing.
     */
    beforeRedeem?(account: Account): void;
    onRedeem(
      operation: Deno.AtomicOperation,
      account: Deno.KvEntry<Account>,
      passcodeHash: string,
    ): void;
  },
): Promise<Deno.KvEntry<Account>> {
  const attempt = await reserveAttempt(deps, {
    accountId: input.accountId.value,
    deviceId: null,
  });
  const account = await findAccountByAccountId(deps.kv, input.accountId.value);
  const extraHolds = await steps.extraCheck(
    account?.value.id ?? nobodysAccountUuid,
  );
  const codeMatches = codeRecordMatches<RecoveryTarget>(
    deps,
    codeContext(input.accountId.value),
    input.code,
  );
  let passcodeHash = "";
  const result = await redeemCode<RecoveryTarget>(
    deps.kv,
    recoveryCodeKey(input.accountId.value),
    {
      nowMs: deps.clock.now(),
      matches: async (record) =>
        await codeMatches(record) && extraHolds &&
        record.data.accountUuid === account?.value.id,
      async afterMatch() {
        try {
          steps.beforeRedeem?.(account!.value);
          await requireStrongPasscode(
            deps.passcodePolicy,
            input.newPasscode,
            input.accountId,
          );
        } catch (error) {
          // A weak choice (or a refused method) is not a wrong code: the attempt is
          // given back.
          await attempt.passed();
          throw error;
        }
        passcodeHash = await deps.hasher.hash(input.newPasscode);
      },
      onRedeem(operation) {
        steps.onRedeem(operation, account!, passcodeHash);
        return operation;
      },
    },
  );
  if (result.ok) {
    await attempt.completed();
    return account!;
  }
  if (result.reason === "precondition") {
    await attempt.passed();
    throw new ApiError(
      "conflict",
      "The account changed meanwhile; request a new code.",
    );
  }
  await attempt.failed(origin, account?.value ?? null);
  throw new ApiError(
    "invalid_code",
    "The code or the second factor is wrong, used or expired.",
    { status: 400 },
  );
}

/**
 * A forgotten passcode: the code plus the authenticator's code or a backup code (only
 * the code for an account that never enrolled one) sets a new passcode, signs out every
 * session, holds withdrawals for 24 hours and unfreezes a frozen account. A pending MFA
 * reset is void: the owner just proved the factor it would remove. Under a settings
 * lock the reset waits for the lock's delay instead (`effectiveAt`), cancellable by the
 * link it is announced with. An account that accepts only passkeys refuses the codes
 * (`403 method_disabled`): its recovery is the MFA reset.
 */
export async function resetPasscode(
  deps: Deps,
  input: RecoveryInput & SecondFactorProof,
  origin: RequestOrigin,
): Promise<
  { messageIds: string[]; holdUntil: number | null; effectiveAt: number | null }
> {
  let messageIds: string[] = [];
  let holdUntil: number | null = null;
  let effectiveAt: number | null = null;
  let spend: ((operation: Deno.AtomicOperation) => void) | null = null;
  const everyone = signOut(deps, {});
  const account = await redeemRecoveryCode(deps, input, origin, {
    async extraCheck(accountUuid) {
      const factor = await checkSecondFactor(deps, accountUuid, input);
      if (factor) {
        spend = factor.spend;
        return true;
      }
      return !(await findTotpCredential(deps.kv, accountUuid)) &&
        !input.totp && !input.backupCode;
    },
    beforeRedeem(account) {
      if (input.totp || input.backupCode) assertCodesAllowed(account);
    },
    onRedeem(operation, account, passcodeHash) {
      spend?.(operation);
      const now = deps.clock.now();
      const delayMs = recoveryDelayMs(account.value, now);
      if (delayMs > 0) {
        effectiveAt = now + delayMs;
        messageIds = [
          addDelayedRecovery(
            deps,
            operation,
            account.value,
            passcodeHash,
            effectiveAt,
            origin,
          ),
        ];
        return;
      }
      holdUntil = withdrawalHoldEnd(deps);
      messageIds = addAccountChange(
        deps,
        operation,
        account,
        passcodeResetChange(
          deps,
          operation,
          account.value,
          passcodeHash,
          everyone,
          holdUntil,
        ),
        origin,
      );
    },
  });
  if (effectiveAt === null) {
    await finishSignOut(deps, account.value.id, everyone);
  }
  return { messageIds, holdUntil, effectiveAt };
}

/** A lost authenticator: the code starts the 48-hour MFA reset. */
export async function startMfaReset(
  deps: Deps,
  input: RecoveryInput,
  origin: RequestOrigin,
): Promise<{ effectiveAt: number; messageIds: string[] }> {
  let request = { effectiveAt: 0, messageId: "" };
  await redeemRecoveryCode(deps, input, origin, {
    extraCheck: () => Promise.resolve(true),
    onRedeem(operation, account, passcodeHash) {
      request = addMfaResetRequest(
        deps,
        operation,
        account.value,
        passcodeHash,
        origin,
      );
    },
  });
  return { effectiveAt: request.effectiveAt, messageIds: [request.messageId] };
}
