/**
 * Tokens of links in messages (the freeze link, the link that cancels a delayed
 * recovery): 256 random bits for the holder, only an HMAC-SHA-256 under a purpose key in
 * KV, as for every other bearer secret (lib/crypto/opaque_token.ts). The hash is
 * computed synchronously, because messages are composed inside synchronous builders of
 * the atomic operations that send them; by @noble/hashes rather than node:crypto, whose
 * compatibility layer costs a cold start about 30 ms.
 */
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { toBase64Url } from "../runtime/encoding.ts";
import type { RandomSource } from "../runtime/random.ts";
import { generateOpaqueToken } from "./opaque_token.ts";

/** A new link token and its storage form. */
export function generateLinkToken(
  key: Uint8Array,
  random: RandomSource,
): { token: string; hash: string } {
  const token = generateOpaqueToken(random);
  return { token, hash: hashLinkToken(key, token) };
}

/** The storage form of a link token: a lookup by it leaks nothing of the token. */
export function hashLinkToken(key: Uint8Array, token: string): string {
  return toBase64Url(hmac(sha256, key, new TextEncoder().encode(token)));
}
