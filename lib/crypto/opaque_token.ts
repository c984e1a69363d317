/**
 * Opaque bearer secrets (login tickets, refresh tokens; backup codes are
 * stored the same way): random bytes for
 * the holder, only a keyed hash in KV (Lucia's rule: a database leak yields no tokens).
 */
import { toBase64Url, utf8 } from "../runtime/encoding.ts";
import type { RandomSource } from "../runtime/random.ts";

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
