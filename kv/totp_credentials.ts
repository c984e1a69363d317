/** TOTP credentials: the sealed secret and the replay guard. */
import { findEntry } from "./entries.ts";
import { totpCredentialKey } from "./keys.ts";

/** An enrolled authenticator. */
export interface TotpCredential {
  sealedSecret: string;
  enrolledAt: number;
  /** The newest time step accepted; that step and older ones are refused afterwards. */
  lastUsedStep: number;
}

/** The account's TOTP credential, or null; from `read` when read already. */
export function findTotpCredential(
  kv: Deno.Kv,
  accountUuid: string,
  read: readonly Deno.KvEntryMaybe<unknown>[] = [],
): Promise<Deno.KvEntry<TotpCredential> | null> {
  return findEntry<TotpCredential>(kv, totpCredentialKey(accountUuid), read);
}

/**
 * Adds the acceptance of a time step to an atomic operation. The check on the entry's
 * versionstamp makes "newer than the last step" and "now the last step" one step: of two
 * requests racing with the same code, one commit fails.
 */
export function acceptTotpStep(
  operation: Deno.AtomicOperation,
  entry: Deno.KvEntry<TotpCredential>,
  step: number,
): Deno.AtomicOperation {
  return operation.check(entry).set(entry.key, {
    ...entry.value,
    lastUsedStep: step,
  });
}

/** Adds a first enrollment (fails if one appeared meanwhile). */
export function insertTotpCredential(
  operation: Deno.AtomicOperation,
  accountUuid: string,
  credential: TotpCredential,
): Deno.AtomicOperation {
  const key = totpCredentialKey(accountUuid);
  return operation.check({ key, versionstamp: null }).set(key, credential);
}

/** Adds the removal of the account's authenticator (after an MFA reset). */
export function removeTotpCredential(
  operation: Deno.AtomicOperation,
  accountUuid: string,
): Deno.AtomicOperation {
  return operation.delete(totpCredentialKey(accountUuid));
}
