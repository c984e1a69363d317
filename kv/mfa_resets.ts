/**
 * Pending removals of a lost authenticator. A record waits 48 hours, carrying the new
 * passcode's hash, so nothing about the account changes until the wait is over and the
 * owner can still sign in the old way to cancel it.
 */
import { findEntry, readEntries } from "./entries.ts";
import { mfaResetKey, mfaResetPrefix } from "./keys.ts";

/** A requested reset. */
export interface MfaReset {
  /** Names this request, so a cancel link cancels only the one it was sent for. */
  id?: string;
  requestedAt: number;
  effectiveAt: number;
  /** Takes effect with the reset, not before: the old passcode must keep working. */
  passcodeHash: string;
  ip: string | null;
  userAgent: string | null;
}

/** Adds a reset (replacing an older one) to an atomic operation. */
export function putMfaReset(
  operation: Deno.AtomicOperation,
  accountUuid: string,
  reset: MfaReset,
): Deno.AtomicOperation {
  // No expireIn: the sweep must see it, however late it runs.
  return operation.set(mfaResetKey(accountUuid), reset);
}

/**
 * The account's reset record as stored, pending or absent (a check of it then holds
 * only while none is requested); from `read` when read already.
 */
export async function readMfaReset(
  kv: Deno.Kv,
  accountUuid: string,
  read: readonly Deno.KvEntryMaybe<unknown>[] = [],
): Promise<Deno.KvEntryMaybe<MfaReset>> {
  const [entry] = await readEntries(kv, [mfaResetKey(accountUuid)], read);
  return entry as Deno.KvEntryMaybe<MfaReset>;
}

/** The account's pending reset, or null. */
export function findMfaReset(
  kv: Deno.Kv,
  accountUuid: string,
): Promise<Deno.KvEntry<MfaReset> | null> {
  return findEntry<MfaReset>(kv, mfaResetKey(accountUuid));
}

/** Every pending reset whose wait is over at `nowMs`. */
export async function listDueMfaResets(
  kv: Deno.Kv,
  nowMs: number,
): Promise<Deno.KvEntry<MfaReset>[]> {
  const due: Deno.KvEntry<MfaReset>[] = [];
  for await (const entry of kv.list<MfaReset>({ prefix: mfaResetPrefix() })) {
    if (entry.value.effectiveAt <= nowMs) due.push(entry);
  }
  return due;
}

/** The account ID of a reset's key. */
export function mfaResetAccount(entry: Deno.KvEntry<MfaReset>): string {
  return String(entry.key[1]);
}
