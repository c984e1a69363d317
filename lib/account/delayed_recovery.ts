/**
 * Recovery under a settings lock (API.md, Settings lock): a passcode reset with the
 * recovery code and the second factor waits for the lock's unlock delay, announced at
 * once with a link that cancels it and again when it takes effect. So a lock never
 * makes an account unrecoverable, and never makes recovery faster than the owner chose.
 */
import { withdrawalHoldEnd } from "../safeguards/withdrawal_hold.ts";
import { type Account, findAccount } from "../../kv/accounts.ts";
import {
  delayedRecoveryAccount,
  findDelayedRecovery,
  listDueDelayedRecoveries,
  putDelayedRecovery,
} from "../../kv/delayed_recoveries.ts";
import { mfaResetKey } from "../../kv/keys.ts";
import { enqueueMessage } from "../../kv/outbox.ts";
import { withRetry } from "../../kv/retry.ts";
import { recordSecurityEvent } from "../../kv/security_events.ts";
import type { Deps, RequestOrigin } from "../deps.ts";
import { composeAccountMessage } from "../messages/account_message.ts";
import { randomId } from "../runtime/ids.ts";
import { isFrozen } from "../frozen_account.ts";
import { securityEvent } from "../security_event.ts";
import {
  finishSignOut,
  type SignOut,
  signOut,
} from "../sessions/session_revocation.ts";
import { type AccountChange, addAccountChange } from "./account_change.ts";
import { addCancelLink } from "./recovery_cancellation.ts";

/**
 * A passcode reset taking effect: the new passcode, every session ended, withdrawals
 * held, a pending MFA reset void (the owner proved the factor it would remove), and a
 * frozen account unfrozen. Added by the caller with `addAccountChange`.
 */
export function passcodeResetChange(
  deps: Deps,
  operation: Deno.AtomicOperation,
  account: Account,
  passcodeHash: string,
  everyone: SignOut,
  holdUntil: number,
): AccountChange {
  operation.delete(mfaResetKey(account.id));
  return {
    next: {
      ...account,
      passcodeHash,
      passcodeChangedAt: deps.clock.now(),
      frozenAt: null,
    },
    eventType: "passcode_reset",
    messages: [
      composeAccountMessage(deps, account, "passcode_reset", {
        unfrozen: isFrozen(account),
        holdUntil,
      }),
    ],
    withdrawalHoldUntil: holdUntil,
    signOut: everyone,
    brakesExempt: true,
  };
}

/**
 * Adds a delayed reset, its event and its announcement (with the cancel link) to the
 * operation that redeems the recovery code; returns the message id.
 */
export function addDelayedRecovery(
  deps: Deps,
  operation: Deno.AtomicOperation,
  account: Account,
  passcodeHash: string,
  effectiveAt: number,
  origin: RequestOrigin,
): string {
  const id = randomId(deps.random);
  putDelayedRecovery(operation, account.id, {
    id,
    requestedAt: deps.clock.now(),
    effectiveAt,
    passcodeHash,
    ip: origin.ip,
    userAgent: origin.userAgent,
  });
  const message = composeAccountMessage(
    deps,
    account,
    "passcode_reset_requested",
    {
      effectiveAt,
      cancelToken: addCancelLink(deps, operation, account.id, id, effectiveAt),
    },
  );
  recordSecurityEvent(
    operation,
    account.id,
    securityEvent(deps, "passcode_reset_requested", origin),
  );
  enqueueMessage(operation, message);
  return message.id;
}

/**
 * Applies every delayed reset whose wait is over (the cron sweep); returns how many. A
 * reset cancelled or replaced meanwhile fails its check and is skipped.
 */
export async function applyDueDelayedRecoveries(deps: Deps): Promise<number> {
  let applied = 0;
  for (
    const due of await listDueDelayedRecoveries(deps.kv, deps.clock.now())
  ) {
    const accountUuid = delayedRecoveryAccount(due);
    const origin = { ip: due.value.ip, userAgent: due.value.userAgent };
    const everyone = signOut(deps, {});
    const messageIds = await withRetry(async (retry) => {
      const pending = await findDelayedRecovery(deps.kv, accountUuid);
      if (!pending || pending.versionstamp !== due.versionstamp) return null;
      const operation = deps.kv.atomic().check(pending).delete(pending.key);
      const account = await findAccount(deps.kv, accountUuid);
      if (!account) {
        await operation.commit();
        return null;
      }
      const ids = addAccountChange(
        deps,
        operation,
        account,
        passcodeResetChange(
          deps,
          operation,
          account.value,
          pending.value.passcodeHash,
          everyone,
          withdrawalHoldEnd(deps),
        ),
        origin,
      );
      return (await operation.commit()).ok ? ids : retry;
    });
    if (!messageIds) continue;
    applied++;
    await finishSignOut(deps, accountUuid, everyone);
    await deps.deliverer.deliver(messageIds);
  }
  return applied;
}
