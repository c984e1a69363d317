/** WebAuthn credentials (passkeys and security keys) and registration challenges. */
import { findEntry } from "./entries.ts";
import {
  webauthnCredentialByIdKey,
  webauthnCredentialKey,
  webauthnCredentialPrefix,
  webauthnRegistrationChallengeKey,
} from "./keys.ts";
import { cleanupAfterMs } from "./retry.ts";

/** A registered credential. */
export interface WebauthnCredential {
  /** Credential id, base64url. */
  id: string;
  accountUuid: string;
  /** COSE public key, base64url. */
  publicKey: string;
  /** The authenticator's signature counter; 0 for authenticators that do not count. */
  counter: number;
  transports: string[];
  aaguid: string;
  backupEligible: boolean;
  backedUp: boolean;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
}

/** A challenge waiting for its registration response. */
export interface RegistrationChallenge {
  challenge: string;
  expiresAt: number;
}

/** The account's credentials. */
export async function listWebauthnCredentials(
  kv: Deno.Kv,
  accountUuid: string,
): Promise<WebauthnCredential[]> {
  return await Array.fromAsync(
    kv.list<WebauthnCredential>({
      prefix: webauthnCredentialPrefix(accountUuid),
    }),
    (entry) => entry.value,
  );
}

/** One credential of the account, or null (another account's id gives null too). */
export function findWebauthnCredential(
  kv: Deno.Kv,
  accountUuid: string,
  credentialId: string,
): Promise<Deno.KvEntry<WebauthnCredential> | null> {
  return findEntry<WebauthnCredential>(
    kv,
    webauthnCredentialKey(accountUuid, credentialId),
  );
}

/** The account a credential id is registered to (any account), or null. */
export async function findWebauthnCredentialOwner(
  kv: Deno.Kv,
  credentialId: string,
): Promise<string | null> {
  return (await kv.get<string>(webauthnCredentialByIdKey(credentialId))).value;
}

/**
 * Adds a credential and its global id index to an operation; fails when the id is
 * registered already (to this or any account).
 */
export function insertWebauthnCredential(
  operation: Deno.AtomicOperation,
  credential: WebauthnCredential,
): Deno.AtomicOperation {
  const indexKey = webauthnCredentialByIdKey(credential.id);
  return operation
    .check({ key: indexKey, versionstamp: null })
    .set(
      webauthnCredentialKey(credential.accountUuid, credential.id),
      credential,
    )
    .set(indexKey, credential.accountUuid);
}

/** Adds the use of a credential (new counter, last used) guarded by its versionstamp. */
export function recordWebauthnUse(
  operation: Deno.AtomicOperation,
  entry: Deno.KvEntry<WebauthnCredential>,
  counter: number,
  nowMs: number,
): Deno.AtomicOperation {
  return operation.check(entry).set(entry.key, {
    ...entry.value,
    counter,
    lastUsedAt: nowMs,
  });
}

/** Stores the account's registration challenge, replacing an older one. */
export async function putRegistrationChallenge(
  kv: Deno.Kv,
  accountUuid: string,
  challenge: RegistrationChallenge,
  nowMs: number,
): Promise<void> {
  await kv.set(webauthnRegistrationChallengeKey(accountUuid), challenge, {
    expireIn: cleanupAfterMs(challenge.expiresAt, nowMs),
  });
}

/** The live registration challenge entry, or null. */
export async function findRegistrationChallenge(
  kv: Deno.Kv,
  accountUuid: string,
  nowMs: number,
): Promise<Deno.KvEntry<RegistrationChallenge> | null> {
  const entry = await kv.get<RegistrationChallenge>(
    webauthnRegistrationChallengeKey(accountUuid),
  );
  if (entry.versionstamp === null || entry.value.expiresAt <= nowMs) {
    return null;
  }
  return entry;
}
