/**
 * The WebAuthn challenge of a session's confirmation with a passkey: one per session,
 * replaced by the next request for options, consumed by the answer.
 */
import { sessionConfirmationChallengeKey } from "./keys.ts";
import { cleanupAfterMs } from "./retry.ts";

/** A challenge waiting for its assertion. */
export interface ConfirmationChallenge {
  challenge: string;
  expiresAt: number;
}

/** Stores the session's challenge, replacing an older one. */
export async function putConfirmationChallenge(
  kv: Deno.Kv,
  sessionId: string,
  value: ConfirmationChallenge,
  nowMs: number,
): Promise<void> {
  await kv.set(sessionConfirmationChallengeKey(sessionId), value, {
    expireIn: cleanupAfterMs(value.expiresAt, nowMs),
  });
}

/**
 * Takes the session's live challenge: read, then deleted under a check of what was
 * read, so of racing answers at most one gets it. Null when there is none (never
 * asked, answered already, expired).
 */
export async function takeConfirmationChallenge(
  kv: Deno.Kv,
  sessionId: string,
  nowMs: number,
): Promise<string | null> {
  const entry = await kv.get<ConfirmationChallenge>(
    sessionConfirmationChallengeKey(sessionId),
  );
  if (entry.versionstamp === null) return null;
  const taken = await kv.atomic().check(entry).delete(entry.key).commit();
  return taken.ok && entry.value.expiresAt > nowMs
    ? entry.value.challenge
    : null;
}
