/**
 * Passkey challenges a signed-in session asked for (a step-up, a confirmation):
 * single-use, with their own expiry, one per session and purpose (a newer options call
 * replaces the older challenge).
 */
import { findEntry } from "./entries.ts";
import { passkeyChallengeKey } from "./keys.ts";
import { cleanupAfterMs } from "./retry.ts";

/** A challenge and what it was made for. */
export interface PasskeyChallenge {
  /** The base64url challenge the options carried. */
  challenge: string;
  expiresAt: number;
  /** For a step-up: the random part, the action and the details' digest it commits to. */
  nonce?: string;
  action?: string;
  dtl?: string | null;
}

type Purpose = Parameters<typeof passkeyChallengeKey>[1];

/** Stores a session's challenge for one purpose. */
export async function putPasskeyChallenge(
  kv: Deno.Kv,
  sessionId: string,
  purpose: Purpose,
  challenge: PasskeyChallenge,
  nowMs: number,
): Promise<void> {
  await kv.set(passkeyChallengeKey(sessionId, purpose), challenge, {
    expireIn: cleanupAfterMs(challenge.expiresAt, nowMs),
  });
}

/**
 * The session's unexpired challenge for the purpose, or null; from `read` when read
 * already.
 */
export async function findPasskeyChallenge(
  kv: Deno.Kv,
  sessionId: string,
  purpose: Purpose,
  nowMs: number,
  read: readonly Deno.KvEntryMaybe<unknown>[] = [],
): Promise<Deno.KvEntry<PasskeyChallenge> | null> {
  const entry = await findEntry<PasskeyChallenge>(
    kv,
    passkeyChallengeKey(sessionId, purpose),
    read,
  );
  return entry && entry.value.expiresAt > nowMs ? entry : null;
}

/**
 * Takes a read challenge out of use before its answer is checked; false when a racing
 * answer (or a newer options call) got there first.
 */
export async function spendPasskeyChallenge(
  kv: Deno.Kv,
  entry: Deno.KvEntry<PasskeyChallenge>,
): Promise<boolean> {
  return (await kv.atomic().check(entry).delete(entry.key).commit()).ok;
}
