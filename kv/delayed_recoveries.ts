/**
 * Passcode resets that wait for a settings lock's delay. Like a pending MFA reset, the
 * record carries the new passcode's hash, so nothing changes until the wait is over,
 * and the link in the announcement can still cancel it.
 */
import { findEntry } from "./entries.ts";
import { delayedRecoveryKey, delayedRecoveryPrefix } from "./keys.ts";

/** A recovery reset that takes effect at `effectiveAt`. */
export interface DelayedRecovery {
  /** Names this request, so a cancel link cancels only the one it was sent for. */
  id: string;
  requestedAt: number;
  effectiveAt: number;
  passcodeHash: string;
  ip: string | null;
  userAgent: string | null;
}

/** Adds a delayed reset (replacing an older one) to an atomic operation. */
export function putDelayedRecovery(
  operation: Deno.AtomicOperation,
  accountUuid: string,
  recovery: DelayedRecovery,
): Deno.AtomicOperation {
  // No expireIn: the sweep must see it, however late it runs.
  return operation.set(delayedRecoveryKey(accountUuid), recovery);
}

/** The account's delayed reset, or null. */
export function findDelayedRecovery(
  kv: Deno.Kv,
  accountUuid: string,
): Promise<Deno.KvEntry<DelayedRecovery> | null> {
  return findEntry<DelayedRecovery>(kv, delayedRecoveryKey(accountUuid));
}

/** Every delayed reset whose wait is over at `nowMs`. */
export async function listDueDelayedRecoveries(
  kv: Deno.Kv,
  nowMs: number,
): Promise<Deno.KvEntry<DelayedRecovery>[]> {
  const due: Deno.KvEntry<DelayedRecovery>[] = [];
  for await (
    const entry of kv.list<DelayedRecovery>({
      prefix: delayedRecoveryPrefix(),
    })
  ) {
    if (entry.value.effectiveAt <= nowMs) due.push(entry);
  }
  return due;
}

/** The account a delayed reset belongs to. */
export function delayedRecoveryAccount(
  entry: Deno.KvEntry<DelayedRecovery>,
): string {
  return String(entry.key[1]);
}
