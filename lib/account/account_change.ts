/**
 * A change of the account record (passcode, account ID, anti-phishing code, recovery),
 * or of a factor kept beside it (backup codes), and everything that must commit with it: the security event, the messages that
 * announce it, and for the changes that can hand the account to somebody else, the
 * 24-hour withdrawal hold and the sign-out of other sessions. One atomic operation, so
 * no change goes unannounced and none leaves the sessions it ends alive.
 */
import {
  type Account,
  findAccount,
  replaceAccount,
} from "../../kv/accounts.ts";
import { enqueueMessage, type Message } from "../../kv/outbox.ts";
import { withRetry } from "../../kv/retry.ts";
import { recordSecurityEvent } from "../../kv/security_events.ts";
import type { Deps, RequestOrigin } from "../deps.ts";
import { ApiError } from "../runtime/errors.ts";
import { addSignOut, type SignOut } from "../sessions/session_revocation.ts";
import { securityEvent } from "../security_event.ts";
import { holdWithdrawals } from "../safeguards/withdrawal_hold.ts";
import { assertSettingsChangeable } from "../safeguards/settings_lock.ts";

/** What a change writes besides the record. */
export interface AccountChange {
  /**
   * The record's new value; absent when the change is elsewhere (backup codes): the
   * record is then only checked, so the messages carry the anti-phishing code in force.
   */
  next?: Account;
  eventType: string;
  messages: Message[];
  /** The end of the withdrawal hold the change starts (`withdrawalHoldEnd`), or null. */
  withdrawalHoldUntil: number | null;
  /** Sessions the change ends; finish with `finishSignOut` once it committed. */
  signOut?: SignOut;
  /**
   * Set for the owner's brakes and the ways back in (a recovery, a freeze, the lock's
   * own changes): they go ahead on a frozen or locked account. Every other change is
   * refused there, judged on the record this operation checks, so a freeze or lock
   * that lands first always wins.
   */
  brakesExempt?: boolean;
}

/** Adds a change to an operation; returns the ids of the messages it queues. */
export function addAccountChange(
  deps: Deps,
  operation: Deno.AtomicOperation,
  entry: Deno.KvEntry<Account>,
  change: AccountChange,
  origin: RequestOrigin,
): string[] {
  const accountUuid = entry.value.id;
  if (!change.brakesExempt) {
    assertSettingsChangeable(entry.value, deps.clock.now());
  }
  if (change.next) replaceAccount(operation, entry, change.next);
  else operation.check(entry);
  recordSecurityEvent(
    operation,
    accountUuid,
    securityEvent(deps, change.eventType, origin),
  );
  for (const message of change.messages) enqueueMessage(operation, message);
  if (change.withdrawalHoldUntil !== null) {
    holdWithdrawals(deps, operation, accountUuid, change.withdrawalHoldUntil);
  }
  if (change.signOut) {
    addSignOut(deps, operation, accountUuid, change.signOut, origin);
  }
  return change.messages.map((message) => message.id);
}

/**
 * Reads the account, builds the change from it and commits, again from a fresh read
 * when a concurrent write won. Returns the ids of the queued messages.
 */
export async function commitAccountChange(
  deps: Deps,
  accountUuid: string,
  origin: RequestOrigin,
  build: (account: Account) => AccountChange,
): Promise<string[]> {
  return await withRetry(async (retry) => {
    const entry = await findAccount(deps.kv, accountUuid);
    if (!entry) throw new ApiError("session_revoked");
    const operation = deps.kv.atomic();
    const ids = addAccountChange(
      deps,
      operation,
      entry,
      build(entry.value),
      origin,
    );
    return (await operation.commit()).ok ? ids : retry;
  });
}
