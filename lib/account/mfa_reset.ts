/**
 * Recovery of a lost authenticator without backup codes (API.md: `POST
 * /v1/recovery/mfa-reset`): a recovery code starts a 48-hour wait, announced at once;
 * any sign-in meanwhile (which takes the current passcode and a second factor) cancels
 * it; at the end the sweep removes the authenticator and the backup codes, sets the new
 * passcode, signs everybody out, holds withdrawals and announces it again. The next
 * sign-in then enrolls a new authenticator.
 */
import { findAccount } from "../../kv/accounts.ts";
import { listBackupCodes, replaceBackupCodes } from "../../kv/backup_codes.ts";
import {
  findMfaReset,
  listDueMfaResets,
  type MfaReset,
  mfaResetAccount,
  putMfaReset,
  readMfaReset,
} from "../../kv/mfa_resets.ts";
import { enqueueMessage } from "../../kv/outbox.ts";
import { withRetry } from "../../kv/retry.ts";
import { recordSecurityEvent } from "../../kv/security_events.ts";
import { removeTotpCredential } from "../../kv/totp_credentials.ts";
import { addAccountChange } from "./account_change.ts";
import { composeAccountMessage } from "../messages/account_message.ts";
import type { Deps, RequestOrigin } from "../deps.ts";
import { finishSignOut, signOut } from "../sessions/session_revocation.ts";
import { withdrawalHoldEnd } from "../safeguards/withdrawal_hold.ts";
import { securityEvent } from "../security_event.ts";
import type { Account } from "../../kv/accounts.ts";
import { randomId } from "../runtime/ids.ts";
import { recoveryDelayMs } from "../safeguards/settings_lock.ts";
import { addCancelLink } from "./recovery_cancellation.ts";

/** API.md: the authenticator is removed 48 hours after the request. */
export const mfaResetWaitSeconds = 48 * 60 * 60;

/**
 * Adds a new pending reset, its event and its announcement (with a link that cancels
 * it) to the operation that redeems the recovery code; returns when it takes effect and
 * the message. Under a settings lock the wait is the longer of 48 hours and the lock's
 * delay.
 */
export function addMfaResetRequest(
  deps: Deps,
  operation: Deno.AtomicOperation,
  account: Account,
  passcodeHash: string,
  origin: RequestOrigin,
): { effectiveAt: number; messageId: string } {
  const now = deps.clock.now();
  const reset: MfaReset = {
    id: randomId(deps.random),
    requestedAt: now,
    effectiveAt: now +
      Math.max(mfaResetWaitSeconds * 1000, recoveryDelayMs(account, now)),
    passcodeHash,
    ip: origin.ip,
    userAgent: origin.userAgent,
  };
  const message = composeAccountMessage(deps, account, "mfa_reset_requested", {
    effectiveAt: reset.effectiveAt,
    cancelToken: addCancelLink(
      deps,
      operation,
      account.id,
      reset.id!,
      reset.effectiveAt,
    ),
  });
  putMfaReset(operation, account.id, reset);
  recordSecurityEvent(
    operation,
    account.id,
    securityEvent(deps, "mfa_reset_requested", origin),
  );
  enqueueMessage(operation, message);
  return { effectiveAt: reset.effectiveAt, messageId: message.id };
}

/**
 * For a completing sign-in: what it does to a pending reset, to add to the login's
 * operation: the cancellation (checked, with event and notice, composed for `account`;
 * `messageId` names the notice) when one is pending, else a check that none is, so a
 * reset requested while the sign-in completes is not missed. From `read` when the
 * record was read already.
 */
export async function prepareMfaResetCancellation(
  deps: Deps,
  account: Account,
  origin: RequestOrigin,
  read: readonly Deno.KvEntryMaybe<unknown>[] = [],
): Promise<
  { apply(operation: Deno.AtomicOperation): void; messageId: string | null }
> {
  const pending = await readMfaReset(deps.kv, account.id, read);
  if (pending.versionstamp === null) {
    return { messageId: null, apply: (operation) => operation.check(pending) };
  }
  const message = composeAccountMessage(
    deps,
    account,
    "mfa_reset_cancelled",
    {},
  );
  return {
    messageId: message.id,
    apply(operation) {
      operation.check(pending).delete(pending.key);
      recordSecurityEvent(
        operation,
        account.id,
        securityEvent(deps, "mfa_reset_cancelled", origin),
      );
      enqueueMessage(operation, message);
    },
  };
}

/**
 * Applies every reset whose wait is over (the cron sweep); returns how many. A reset
 * cancelled meanwhile fails its check and is skipped.
 */
export async function applyDueMfaResets(deps: Deps): Promise<number> {
  let applied = 0;
  for (const due of await listDueMfaResets(deps.kv, deps.clock.now())) {
    const accountUuid = mfaResetAccount(due);
    const origin = { ip: due.value.ip, userAgent: due.value.userAgent };
    const everyone = signOut(deps, {});
    const messageIds = await withRetry(async (retry) => {
      const reset = await findMfaReset(deps.kv, accountUuid);
      if (!reset || reset.versionstamp !== due.versionstamp) return null;
      const account = await findAccount(deps.kv, accountUuid);
      if (!account) {
        await deps.kv.atomic().check(reset).delete(reset.key).commit();
        return null;
      }
      const operation = deps.kv.atomic().check(reset).delete(reset.key);
      removeTotpCredential(operation, accountUuid);
      replaceBackupCodes(
        operation,
        accountUuid,
        await listBackupCodes(deps.kv, accountUuid),
        [],
        deps.clock.now(),
      );
      const holdUntil = withdrawalHoldEnd(deps);
      const ids = addAccountChange(deps, operation, account, {
        // A recovery: it unfreezes the account, and ends passkeys-only, since the
        // owner who waited this long has no passkey left to sign in with.
        next: {
          ...account.value,
          passcodeHash: reset.value.passcodeHash,
          passcodeChangedAt: deps.clock.now(),
          frozenAt: null,
          phishingResistantOnly: false,
        },
        eventType: "mfa_reset_completed",
        messages: [
          composeAccountMessage(
            deps,
            account.value,
            "mfa_reset_completed",
            { holdUntil },
          ),
        ],
        withdrawalHoldUntil: holdUntil,
        signOut: everyone,
        brakesExempt: true,
      }, origin);
      return (await operation.commit()).ok ? ids : retry;
    });
    if (!messageIds) continue;
    applied++;
    await finishSignOut(deps, accountUuid, everyone);
    await deps.deliverer.deliver(messageIds);
  }
  return applied;
}
