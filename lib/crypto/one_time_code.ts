/**
 * Short codes sent to a person (registration, new device, recovery).
 *
 * Stored as HMAC-SHA-256 under a server key and bound to a context (purpose and account),
 * so a copy of the database does not give the codes away by a million SHA-256 guesses,
 * and a code issued for one purpose or account never verifies for another.
 */
import { constantTimeEqual } from "./constant_time.ts";
import { fromBase64Url, toBase64Url } from "../runtime/encoding.ts";
import { hmacSha256 } from "./keyring.ts";
import { randomDigits, type RandomSource } from "../runtime/random.ts";

/** Six digits, as the guide's codes are. */
export const oneTimeCodeDigits = 6;
/** Codes live 10 minutes (API.md, Registration and Recovery). */
export const oneTimeCodeTtlSeconds = 10 * 60;
/** 5 wrong codes void a code record. */
export const oneTimeCodeMaxAttempts = 5;

/** A fresh six-digit code. */
export function generateOneTimeCode(random: RandomSource): string {
  return randomDigits(random, oneTimeCodeDigits);
}

/** The stored form of a code, bound to its context. */
export async function hashOneTimeCode(
  key: CryptoKey,
  context: string,
  code: string,
): Promise<string> {
  return toBase64Url(await hmacSha256(key, `${context}\u0000${code}`));
}

/** Whether a submitted code matches the stored hash, in constant time. */
export async function oneTimeCodeMatches(
  key: CryptoKey,
  context: string,
  code: string,
  storedHash: string,
): Promise<boolean> {
  const stored = fromBase64Url(storedHash);
  if (!stored) return false;
  const candidate = fromBase64Url(await hashOneTimeCode(key, context, code))!;
  return constantTimeEqual(candidate, stored);
}
