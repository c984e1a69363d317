/**
 * The index of running unlock countdowns of settings locks (the lock itself is part of
 * the account record): the sweep finds the countdowns that are over here, announces
 * them and removes the lock.
 */
import { findEntry } from "./entries.ts";
import { settingsUnlockKey, settingsUnlockPrefix } from "./keys.ts";

/** A running countdown: the lock ends at `unlocksAt`. */
export interface SettingsUnlock {
  unlocksAt: number;
}

/** Adds a countdown to the operation that starts it. */
export function putSettingsUnlock(
  operation: Deno.AtomicOperation,
  accountUuid: string,
  unlocksAt: number,
): Deno.AtomicOperation {
  // No expireIn: the sweep must see it, however late it runs.
  return operation.set(settingsUnlockKey(accountUuid), { unlocksAt });
}

/** Adds the removal of an account's countdown (relocked, or ended). */
export function deleteSettingsUnlock(
  operation: Deno.AtomicOperation,
  accountUuid: string,
): Deno.AtomicOperation {
  return operation.delete(settingsUnlockKey(accountUuid));
}

/** Every countdown that is over at `nowMs`. */
export async function listDueSettingsUnlocks(
  kv: Deno.Kv,
  nowMs: number,
): Promise<Deno.KvEntry<SettingsUnlock>[]> {
  const due: Deno.KvEntry<SettingsUnlock>[] = [];
  for await (
    const entry of kv.list<SettingsUnlock>({ prefix: settingsUnlockPrefix() })
  ) {
    if (entry.value.unlocksAt <= nowMs) due.push(entry);
  }
  return due;
}

/** The account a countdown belongs to. */
export function settingsUnlockAccount(
  entry: Deno.KvEntry<SettingsUnlock>,
): string {
  return String(entry.key[1]);
}

/** An account's running countdown, or null. */
export function findSettingsUnlock(
  kv: Deno.Kv,
  accountUuid: string,
): Promise<Deno.KvEntry<SettingsUnlock> | null> {
  return findEntry<SettingsUnlock>(kv, settingsUnlockKey(accountUuid));
}
