/** Account records and their unique account-ID index. */
import { findEntry } from "./entries.ts";
import { accountByAccountIdKey, accountKey } from "./keys.ts";

/** An account. `id` never changes; `accountId` (e-mail or phone) may. */
export interface Account {
  id: string;
  accountId: string;
  channel: "email" | "sms";
  passcodeHash: string;
  createdAt: number;
  passcodeChangedAt: number;
  antiPhishingCode: string | null;
  /**
   * When the owner froze the account from a message's link ("this wasn't me"); null
   * or absent while it is not frozen. A recovery reset clears it.
   */
  frozenAt?: number | null;
  /** The owner's lock of the security settings; null or absent when there is none. */
  settingsLock?: SettingsLock | null;
  /** Only passkeys prove the second factor: app codes and backup codes are refused. */
  phishingResistantOnly?: boolean;
  /** The language of the account's messages and pages (`PUT /v1/preferences`). */
  language?: string;
}

/** A settings lock: unlocking takes the delay the owner chose when locking. */
export interface SettingsLock {
  unlockDelayDays: number;
  lockedAt: number;
  /** The end of an unlock countdown, or null while none runs. */
  unlocksAt: number | null;
}

/** The account registered under a normalised account ID, or null. */
export async function findAccountByAccountId(
  kv: Deno.Kv,
  accountId: string,
): Promise<Deno.KvEntry<Account> | null> {
  const index = await kv.get<string>(accountByAccountIdKey(accountId));
  // An unknown ID reads a record too, one nobody has: the same two reads, so the time
  // taken does not tell a stranger whether the ID has an account.
  const account = await findEntry<Account>(
    kv,
    accountKey(index.versionstamp === null ? nobodysAccountUuid : index.value),
  );
  return index.versionstamp === null ? null : account;
}

/**
 * An account id no account has (`randomId` draws 128 random bits, never all zeros on
 * purpose): work for an unknown account ID reads through it, so it costs what the same
 * work for a known one costs.
 */
export const nobodysAccountUuid = "0".repeat(32);

/** The account with this internal id, or null; from `read` when read already. */
export function findAccount(
  kv: Deno.Kv,
  accountUuid: string,
  read: readonly Deno.KvEntryMaybe<unknown>[] = [],
): Promise<Deno.KvEntry<Account> | null> {
  return findEntry<Account>(kv, accountKey(accountUuid), read);
}

/**
 * Adds an account and its index to an atomic operation; the operation fails when the
 * account ID is taken (uniqueness by `check` on the absent index key).
 */
export function insertAccount(
  operation: Deno.AtomicOperation,
  account: Account,
): Deno.AtomicOperation {
  const indexKey = accountByAccountIdKey(account.accountId);
  return operation
    .check({ key: indexKey, versionstamp: null })
    .set(accountKey(account.id), account)
    .set(indexKey, account.id);
}

/**
 * Adds the replacement of an account record, checked against the entry it was read
 * from. A changed account ID moves the unique index too, and fails when the new ID is
 * taken.
 */
export function replaceAccount(
  operation: Deno.AtomicOperation,
  entry: Deno.KvEntry<Account>,
  next: Account,
): Deno.AtomicOperation {
  operation.check(entry).set(entry.key, next);
  if (next.accountId === entry.value.accountId) return operation;
  const indexKey = accountByAccountIdKey(next.accountId);
  return operation
    .delete(accountByAccountIdKey(entry.value.accountId))
    .check({ key: indexKey, versionstamp: null })
    .set(indexKey, next.id);
}
