/**
 * Access tokens: 15-minute JWTs signed with the asymmetric key of the keyring, so any
 * service can verify them with the JWKS; this service also checks the session record on
 * every use, so a revoked session's token dies here at once.
 */
import type { Keyring } from "./keyring.ts";
import { lazy } from "../runtime/lazy.ts";

// Loaded by the first token to sign or verify, not before the first answer; the session
// check asks again only for tokens its verified-token cache has not seen.
const jose = lazy(() => import("jose"));

/** Access tokens live 15 minutes: a revoked session is dead everywhere within that. */
export const accessTokenTtlSeconds = 15 * 60;

/** The claims this service puts in and reads back. */
export interface AccessClaims {
  sub: string;
  sid: string;
  amr: string[];
  iat: number;
  exp: number;
}

/** Issuer and audience of our tokens. */
export interface TokenAudience {
  issuer: string;
  audience: string;
}

/** Signs an access token for a session. */
export async function signAccessToken(
  keyring: Keyring,
  names: TokenAudience,
  claims: { sub: string; sid: string; amr: string[] },
  nowMs: number,
): Promise<string> {
  const { SignJWT } = await jose();
  const iat = Math.floor(nowMs / 1000);
  return await new SignJWT({ sid: claims.sid, amr: claims.amr })
    .setProtectedHeader({
      alg: keyring.signing.alg,
      kid: keyring.signing.kid,
      typ: "JWT",
    })
    .setIssuer(names.issuer)
    .setAudience(names.audience)
    .setSubject(claims.sub)
    .setIssuedAt(iat)
    .setExpirationTime(iat + accessTokenTtlSeconds)
    .sign(keyring.signing.privateKey);
}

/**
 * Verifies an access token; null for anything not signed by one of our keys with the
 * key's own algorithm, expired, or meant for someone else. The algorithm comes from our
 * key, never from the token: `alg: none` and HS256-with-the-public-key fail here.
 */
export async function verifyAccessToken(
  keyring: Keyring,
  names: TokenAudience,
  token: string,
  nowMs: number,
): Promise<AccessClaims | null> {
  const { decodeProtectedHeader, jwtVerify } = await jose();
  try {
    const { kid } = decodeProtectedHeader(token);
    const key = kid ? keyring.verificationKeys.get(kid) : undefined;
    if (!key) return null;
    const { payload } = await jwtVerify(token, key.key, {
      algorithms: [key.alg],
      issuer: names.issuer,
      audience: names.audience,
      currentDate: new Date(nowMs),
      requiredClaims: ["sub", "sid", "iat", "exp"],
    });
    if (
      typeof payload.sid !== "string" || !Array.isArray(payload.amr) ||
      typeof payload.sub !== "string"
    ) return null;
    return {
      sub: payload.sub,
      sid: payload.sid,
      amr: payload.amr.map(String),
      iat: payload.iat!,
      exp: payload.exp!,
    };
  } catch {
    return null;
  }
}
