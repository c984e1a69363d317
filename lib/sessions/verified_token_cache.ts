/**
 * Verified access-token claims, kept by the token until the token expires. A
 * signature check costs far more than the KV read that follows it (EdDSA about 0.2 ms,
 * ES256 about 1 ms); a browser presents the same token for 15 minutes, so each token is
 * verified once per process. Only successful verifications are kept, and the session
 * record is still read on every request, so revocation stays immediate.
 *
 * The token itself is the key: a hash of it cost more than the rest of the lookup, and
 * hid nothing, since whoever reads this process's memory reads the signing keys too.
 * Only verified tokens, which this service signed, are kept, so keys stay small.
 */
import type { AccessClaims } from "../crypto/access_token.ts";
import type { VerifiedTokenCache } from "../deps.ts";

/** A cache of at most `maxEntries` tokens; the oldest entry makes room. */
export function createVerifiedTokenCache(
  maxEntries = 10_000,
): VerifiedTokenCache {
  const entries = new Map<string, AccessClaims>();
  return {
    async verify(token, nowMs, verifyFresh) {
      const cached = entries.get(token);
      if (cached) {
        if (nowMs < cached.exp * 1000) return cached;
        entries.delete(token);
      }
      const claims = await verifyFresh();
      if (!claims) return null;
      if (entries.size >= maxEntries) {
        entries.delete(entries.keys().next().value!);
      }
      entries.set(token, claims);
      return claims;
    },
    get size() {
      return entries.size;
    },
  };
}
