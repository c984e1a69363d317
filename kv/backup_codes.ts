/** Backup codes: ten single-use second factors, stored as hashes. */
import { findEntry } from "./entries.ts";
import { backupCodeKey, backupCodePrefix } from "./keys.ts";

/** An unused code's record; its key carries the hash. */
export interface BackupCode {
  createdAt: number;
}

/** The account's unused backup codes. */
export async function listBackupCodes(
  kv: Deno.Kv,
  accountUuid: string,
): Promise<Deno.KvEntry<BackupCode>[]> {
  return await Array.fromAsync(
    kv.list<BackupCode>({ prefix: backupCodePrefix(accountUuid) }),
  );
}

/** The unused code with this hash, or null. */
export function findBackupCode(
  kv: Deno.Kv,
  accountUuid: string,
  codeHash: string,
): Promise<Deno.KvEntry<BackupCode> | null> {
  return findEntry<BackupCode>(kv, backupCodeKey(accountUuid, codeHash));
}

/** Adds the spending of a code (fails when a racing request spent it first). */
export function spendBackupCode(
  operation: Deno.AtomicOperation,
  entry: Deno.KvEntry<BackupCode>,
): Deno.AtomicOperation {
  return operation.check(entry).delete(entry.key);
}

/** Adds the replacement of every code by a new set: older codes stop working. */
export function replaceBackupCodes(
  operation: Deno.AtomicOperation,
  accountUuid: string,
  existing: Deno.KvEntry<BackupCode>[],
  codeHashes: string[],
  nowMs: number,
): Deno.AtomicOperation {
  // No checks: KV Connect allows 10 per operation, and a code spent meanwhile is gone
  // either way.
  for (const entry of existing) operation.delete(entry.key);
  for (const hash of codeHashes) {
    operation.set(backupCodeKey(accountUuid, hash), { createdAt: nowMs });
  }
  return operation;
}
