/**
 * Opaque bearer secrets (login tickets, refresh tokens, backup codes): random bytes for
 * the holder, only a keyed hash in KV (Lucia's rule: a database leak yields no tokens).
 */
import { toBase64Url, utf8 } from "./encoding.ts";
import type { RandomSource } from "./random.ts";

/** 256 bits: far above the 112 bits The Copenhagen Book asks of session tokens. */
const tokenBytes = 32;

/** A new token for the holder. */
export function generateOpaqueToken(random: RandomSource): string {
  return toBase64Url(random(tokenBytes));
}

/**
 * The storage form of a token: HMAC-SHA-256 under the `token-hash` key. Equality of
 * hashes is then tested by KV key lookup, which leaks nothing useful about the token.
 */
export async function hashOpaqueToken(
  key: CryptoKey,
  token: string,
): Promise<string> {
  return toBase64Url(
    new Uint8Array(await crypto.subtle.sign("HMAC", key, utf8(token))),
  );
}

const backupAlphabet = "abcdefghjkmnpqrstuvwxyz23456789";

/**
 * A backup code such as `k7m2-q9xa-3h4p`: 12 characters of a 31-letter alphabet without
 * look-alikes (about 59 bits, above the 40 bits asked of recovery codes).
 */
export function generateBackupCode(random: RandomSource): string {
  let code = "";
  while (code.length < 12) {
    for (const byte of random(16)) {
      // 248 = 8 × 31: rejection keeps the draw uniform.
      if (byte < 248 && code.length < 12) code += backupAlphabet[byte % 31];
    }
  }
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}

/** Backup codes as typed: case, spaces and dashes do not matter. */
export function normaliseBackupCode(text: string): string {
  const bare = text.toLowerCase().replace(/[\s-]/g, "");
  return `${bare.slice(0, 4)}-${bare.slice(4, 8)}-${bare.slice(8)}`;
}
