/**
 * The settings lock (API.md, Settings lock), as the changes it stops see it: while it
 * is on, and during an unlock countdown, changes of the account's ways in answer
 * `403 settings_locked`; recoveries wait for the lock's delay. The countdown's end is
 * judged on every read, so it does not wait for the sweep that announces it.
 */
import {
  type Account,
  findAccount,
  type SettingsLock,
} from "../../kv/accounts.ts";
import type { Deps } from "../deps.ts";
import { ApiError } from "../runtime/errors.ts";
import { assertNotFrozen } from "../frozen_account.ts";

/** API.md: the owner chooses an unlock delay of 1 to 30 days. */
export const minUnlockDelayDays = 1;
export const maxUnlockDelayDays = 30;

const dayMs = 24 * 60 * 60 * 1000;

/** The lock in force at `nowMs`, or null (none, or its countdown is over). */
export function lockInForce(
  account: Pick<Account, "settingsLock">,
  nowMs: number,
): SettingsLock | null {
  const lock = account.settingsLock ?? null;
  if (!lock) return null;
  return lock.unlocksAt !== null && lock.unlocksAt <= nowMs ? null : lock;
}

/** The lock as `GET /v1/security/lock` shows it. */
export function settingsLockView(
  account: Pick<Account, "settingsLock">,
  nowMs: number,
): {
  locked: boolean;
  unlockDelayDays: number | null;
  unlocksAt: string | null;
} {
  const lock = lockInForce(account, nowMs);
  return {
    locked: lock !== null,
    unlockDelayDays: lock?.unlockDelayDays ?? null,
    unlocksAt: lock?.unlocksAt ? new Date(lock.unlocksAt).toISOString() : null,
  };
}

/** `403 settings_locked` with `unlocksAt` (null while no countdown runs). */
export function settingsLocked(lock: SettingsLock): ApiError {
  return new ApiError(
    "settings_locked",
    lock.unlocksAt === null
      ? "Your security settings are locked. Unlock them first; that takes the delay you chose."
      : "Your security settings are locked until the unlock countdown ends.",
    {
      extensions: {
        unlocksAt: lock.unlocksAt === null
          ? null
          : new Date(lock.unlocksAt).toISOString(),
      },
    },
  );
}

/**
 * Refuses a change of the account's ways in: `423 account_frozen` for a frozen account,
 * `403 settings_locked` under a lock.
 */
export function assertSettingsChangeable(
  account: Pick<Account, "frozenAt" | "settingsLock">,
  nowMs: number,
): void {
  assertNotFrozen(account);
  const lock = lockInForce(account, nowMs);
  if (lock) throw settingsLocked(lock);
}

/** Reads the account and refuses a change as {@link assertSettingsChangeable} does. */
export async function refuseLockedSettings(
  deps: Deps,
  accountUuid: string,
): Promise<void> {
  const account = await findAccount(deps.kv, accountUuid);
  if (!account) throw new ApiError("session_revoked");
  assertSettingsChangeable(account.value, deps.clock.now());
}

/**
 * How long a recovery waits under the account's lock: the delay the owner chose, so no
 * recovery is faster than the owner wanted; 0 without a lock.
 */
export function recoveryDelayMs(
  account: Pick<Account, "settingsLock">,
  nowMs: number,
): number {
  const lock = lockInForce(account, nowMs);
  return lock ? lock.unlockDelayDays * dayMs : 0;
}
