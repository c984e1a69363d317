/**
 * The owner's lock of the security settings (API.md, Settings lock; after Kraken's
 * Global Settings Lock): locking takes effect at once, unlocking only after the delay
 * the owner chose, announced when the countdown starts and again when it ends, so a
 * thief with the passcode, the authenticator and a session cannot change the account's
 * ways in before the owner hears of it. Locking again cancels a countdown.
 */
import { type Account, findAccount } from "../../kv/accounts.ts";
import { withRetry } from "../../kv/retry.ts";
import {
  deleteSettingsUnlock,
  findSettingsUnlock,
  listDueSettingsUnlocks,
  putSettingsUnlock,
  settingsUnlockAccount,
} from "../../kv/settings_unlocks.ts";
import type { Deps, RequestOrigin } from "../deps.ts";
import { composeAccountMessage } from "../messages/account_message.ts";
import { ApiError } from "../runtime/errors.ts";
import { assertNotFrozen } from "../frozen_account.ts";
import { lockInForce, settingsLocked } from "../safeguards/settings_lock.ts";
import { addAccountChange } from "./account_change.ts";

const dayMs = 24 * 60 * 60 * 1000;

/**
 * What a new lock may not do while one is in force: shorten the delay. Otherwise a
 * thief could start the countdown, lock again with one day and wait one day.
 */
function assertLockable(
  account: Account,
  unlockDelayDays: number,
  nowMs: number,
): void {
  assertNotFrozen(account);
  const current = lockInForce(account, nowMs);
  if (current && unlockDelayDays < current.unlockDelayDays) {
    throw settingsLocked(current);
  }
}

/**
 * Locks the settings with an unlock delay (or lengthens it, or cancels a countdown).
 * `confirm` proves the second factor, run once the request is known to be allowed.
 */
export async function lockSettings(
  deps: Deps,
  accountUuid: string,
  unlockDelayDays: number,
  confirm: () => Promise<unknown>,
  origin: RequestOrigin,
): Promise<string[]> {
  const account = await findAccount(deps.kv, accountUuid);
  if (!account) throw new ApiError("session_revoked");
  assertLockable(account.value, unlockDelayDays, deps.clock.now());
  await confirm();
  return await withRetry(async (retry) => {
    const entry = await findAccount(deps.kv, accountUuid);
    if (!entry) throw new ApiError("session_revoked");
    const now = deps.clock.now();
    assertLockable(entry.value, unlockDelayDays, now);
    const previous = lockInForce(entry.value, now);
    const operation = deleteSettingsUnlock(deps.kv.atomic(), accountUuid);
    const ids = addAccountChange(deps, operation, entry, {
      next: {
        ...entry.value,
        settingsLock: { unlockDelayDays, lockedAt: now, unlocksAt: null },
      },
      eventType: "settings_locked",
      messages: [
        composeAccountMessage(deps, entry.value, "settings_locked", {
          unlockDelayDays,
          countdownCancelled: previous?.unlocksAt != null,
        }),
      ],
      withdrawalHoldUntil: null,
      brakesExempt: true,
    }, origin);
    return (await operation.commit()).ok ? ids : retry;
  });
}

/** The lock in force that an unlock would count down, or `409 conflict`. */
function lockToUnlock(account: Account, nowMs: number) {
  assertNotFrozen(account);
  const lock = lockInForce(account, nowMs);
  if (!lock) throw new ApiError("conflict", "The settings are not locked.");
  return lock;
}

/**
 * Starts the unlock countdown; returns when the settings unlock. A countdown already
 * running is left as it is (asking again neither restarts nor shortens it).
 */
export async function startSettingsUnlock(
  deps: Deps,
  accountUuid: string,
  confirm: () => Promise<unknown>,
  origin: RequestOrigin,
): Promise<{ unlocksAt: number; messageIds: string[] }> {
  const account = await findAccount(deps.kv, accountUuid);
  if (!account) throw new ApiError("session_revoked");
  lockToUnlock(account.value, deps.clock.now());
  await confirm();
  let unlocksAt = 0;
  const messageIds = await withRetry(async (retry) => {
    const entry = await findAccount(deps.kv, accountUuid);
    if (!entry) throw new ApiError("session_revoked");
    const now = deps.clock.now();
    const lock = lockToUnlock(entry.value, now);
    if (lock.unlocksAt !== null) {
      unlocksAt = lock.unlocksAt;
      return [];
    }
    unlocksAt = now + lock.unlockDelayDays * dayMs;
    const operation = putSettingsUnlock(
      deps.kv.atomic(),
      accountUuid,
      unlocksAt,
    );
    const ids = addAccountChange(deps, operation, entry, {
      next: { ...entry.value, settingsLock: { ...lock, unlocksAt } },
      eventType: "settings_unlock_started",
      messages: [
        composeAccountMessage(deps, entry.value, "settings_unlock_started", {
          unlocksAt,
        }),
      ],
      withdrawalHoldUntil: null,
      brakesExempt: true,
    }, origin);
    return (await operation.commit()).ok ? ids : retry;
  });
  return { unlocksAt, messageIds };
}

/**
 * The cron sweep: ends the locks whose countdown is over and announces it; returns how
 * many. (The lock stopped counting at its `unlocksAt` already; this removes it.)
 */
export async function endDueSettingsUnlocks(deps: Deps): Promise<number> {
  let ended = 0;
  for (const due of await listDueSettingsUnlocks(deps.kv, deps.clock.now())) {
    const accountUuid = settingsUnlockAccount(due);
    const messageIds = await withRetry(async (retry) => {
      const [countdown, account] = await Promise.all([
        findSettingsUnlock(deps.kv, accountUuid),
        findAccount(deps.kv, accountUuid),
      ]);
      if (!countdown || countdown.value.unlocksAt > deps.clock.now()) {
        return null;
      }
      const operation = deps.kv.atomic().check(countdown).delete(
        countdown.key,
      );
      if (
        account?.value.settingsLock?.unlocksAt !== countdown.value.unlocksAt
      ) {
        // Locked again meanwhile, or the account is gone: nothing to announce.
        return (await operation.commit()).ok ? null : retry;
      }
      const ids = addAccountChange(deps, operation, account, {
        next: { ...account.value, settingsLock: null },
        eventType: "settings_unlocked",
        messages: [
          composeAccountMessage(deps, account.value, "settings_unlocked", {}),
        ],
        withdrawalHoldUntil: null,
        brakesExempt: true,
      }, { ip: null, userAgent: null });
      return (await operation.commit()).ok ? ids : retry;
    });
    if (!messageIds) continue;
    ended++;
    await deps.deliverer.deliver(messageIds);
  }
  return ended;
}
