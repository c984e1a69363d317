/**
 * Challenges of sign-ins with a passkey alone (API.md, Login: single-use, 5 minutes).
 * Each record carries its `expiresAt`, checked on use; `expireIn` and the counter sweep
 * only clean up, so unanswered challenges never pile up.
 */
import { passkeyLoginChallengeKey } from "./keys.ts";
import { cleanupAfterMs } from "./retry.ts";

/** An issued challenge waiting for its assertion. */
export interface PasskeyLoginChallenge {
  expiresAt: number;
}

/** Stores an issued challenge. */
export async function putPasskeyLoginChallenge(
  kv: Deno.Kv,
  challenge: string,
  value: PasskeyLoginChallenge,
  nowMs: number,
): Promise<void> {
  await kv.set(passkeyLoginChallengeKey(challenge), value, {
    expireIn: cleanupAfterMs(value.expiresAt, nowMs),
  });
}

/**
 * Consumes an issued, unexpired challenge: read, then deleted under a check of what was
 * read, so of racing answers to one challenge at most one gets true.
 */
export async function consumePasskeyLoginChallenge(
  kv: Deno.Kv,
  challenge: string,
  nowMs: number,
): Promise<boolean> {
  const entry = await kv.get<PasskeyLoginChallenge>(
    passkeyLoginChallengeKey(challenge),
  );
  if (entry.versionstamp === null) return false;
  const consumed = await kv.atomic().check(entry).delete(entry.key).commit();
  return consumed.ok && entry.value.expiresAt > nowMs;
}
