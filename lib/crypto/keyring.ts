/**
 * Key material built once from the configured secrets.
 *
 * One root HMAC key is split into purpose keys with HKDF (RFC 5869), so a key used to
 * sign CAPTCHA challenges can never verify a device cookie, and rotating the root
 * rotates them all. The signing keys are imported with WebCrypto itself: jose signs
 * and verifies with them, and loads with the first token (lib/crypto/access_token.ts).
 */
import type { JWK } from "jose";
import type { Secrets } from "../runtime/config.ts";
import {
  fromBase64Url,
  toBase64Url,
  toHex,
  utf8,
} from "../runtime/encoding.ts";
import type { RandomSource } from "../runtime/random.ts";

/** What HMAC purpose keys exist; each is independent of the others. */
export type HmacPurpose =
  | "one-time-code"
  | "token-hash"
  | "device-cookie";

/** A private signing key and its identity. */
export interface SigningKey {
  kid: string;
  alg: "EdDSA" | "ES256";
  privateKey: CryptoKey;
}

/** All key material of a running service. */
export interface Keyring {
  /** The key new tokens are signed with. */
  signing: SigningKey;
  /** Public JWKs of every configured key, published at `/.well-known/jwks.json`. */
  publicJwks: JWK[];
  /** Public verification keys by `kid`. */
  verificationKeys: Map<string, { alg: string; key: CryptoKey }>;
  /** HMAC-SHA-256 keys by purpose. */
  hmac: Record<HmacPurpose, CryptoKey>;
  /** Raw purpose secrets for libraries that take a string (altcha-lib). */
  captchaSecrets: { challenge: string; derivedKey: string };
  /**
   * The raw key of link tokens' hashes (lib/crypto/link_token.ts): they are hashed while
   * a message is composed, which is synchronous, and WebCrypto's HMAC is not.
   */
  linkTokenKey: Uint8Array;
  /** AES-256-GCM key for secrets at rest. */
  dataEncryption: CryptoKey;
}

const purposes: HmacPurpose[] = [
  "one-time-code",
  "token-hash",
  "device-cookie",
];

/** Builds the keyring; throws a TypeError naming the secret that is malformed. */
export async function buildKeyring(secrets: Secrets): Promise<Keyring> {
  const jwks = JSON.parse(secrets.jwtSigningKeys) as JWK[];
  const verificationKeys = new Map<string, { alg: string; key: CryptoKey }>();
  const publicJwks: JWK[] = [];
  let signing: SigningKey | undefined;
  for (const jwk of jwks) {
    const alg: string = jwk.alg ?? (jwk.kty === "OKP" ? "EdDSA" : "ES256");
    if (alg !== "EdDSA" && alg !== "ES256") {
      // Only asymmetric algorithms: a verifier with the public key must not forge.
      throw new TypeError(`JWT_SIGNING_KEYS: unsupported alg "${alg}"`);
    }
    const { d: _private, ...publicPart } = jwk;
    const publicJwk: JWK = { ...publicPart, alg, use: "sig", kid: jwk.kid };
    publicJwks.push(publicJwk);
    verificationKeys.set(jwk.kid!, {
      alg,
      key: await importSigningKey(publicJwk, alg, "verify"),
    });
    signing ??= {
      kid: jwk.kid!,
      alg,
      privateKey: await importSigningKey({ ...jwk, alg }, alg, "sign"),
    };
  }
  if (!signing) throw new TypeError("JWT_SIGNING_KEYS: no key");

  const root = fromBase64Url(secrets.hmacKey);
  if (!root) throw new TypeError("HMAC_KEY: not base64url");
  const hkdf = await crypto.subtle.importKey("raw", root, "HKDF", false, [
    "deriveBits",
  ]);
  const derive = async (purpose: string) =>
    new Uint8Array(
      await crypto.subtle.deriveBits(
        {
          name: "HKDF",
          hash: "SHA-256",
          salt: new Uint8Array(),
          info: utf8(`login-service/${purpose}`),
        },
        hkdf,
        256,
      ),
    );
  const hmac = {} as Record<HmacPurpose, CryptoKey>;
  for (const purpose of purposes) {
    hmac[purpose] = await crypto.subtle.importKey(
      "raw",
      await derive(purpose),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign", "verify"],
    );
  }

  const dataKey = fromBase64Url(secrets.dataEncryptionKey);
  if (dataKey?.length !== 32) {
    throw new TypeError("DATA_ENCRYPTION_KEY: must be 32 bytes of base64url");
  }
  return {
    signing,
    publicJwks,
    verificationKeys,
    hmac,
    captchaSecrets: {
      challenge: toHex(await derive("captcha-challenge")),
      derivedKey: toHex(await derive("captcha-derived-key")),
    },
    linkTokenKey: await derive("link-token"),
    dataEncryption: await crypto.subtle.importKey(
      "raw",
      dataKey,
      "AES-GCM",
      false,
      ["encrypt", "decrypt"],
    ),
  };
}

/** Fresh secrets, for development (kept in KV) and for the README's key generator. */
export async function generateSecrets(
  alg: "EdDSA" | "ES256",
  random: RandomSource,
): Promise<Secrets> {
  const { privateKey } = await crypto.subtle.generateKey(
    signatureAlgorithm(alg),
    true,
    ["sign", "verify"],
  ) as CryptoKeyPair;
  // The key alone, as a JWK carries it between systems: no WebCrypto usage flags.
  const { ext: _ext, key_ops: _keyOps, ...jwk } = await crypto.subtle.exportKey(
    "jwk",
    privateKey,
  );
  const kid = toBase64Url(random(12));
  return {
    jwtSigningKeys: JSON.stringify([{ ...jwk, alg, kid }]),
    hmacKey: toBase64Url(random(32)),
    dataEncryptionKey: toBase64Url(random(32)),
  };
}

/** Imports one key of `JWT_SIGNING_KEYS`; a malformed one stops the start, named. */
async function importSigningKey(
  jwk: JWK,
  alg: "EdDSA" | "ES256",
  usage: "sign" | "verify",
): Promise<CryptoKey> {
  try {
    return await crypto.subtle.importKey(
      "jwk",
      jwk,
      signatureAlgorithm(alg),
      false,
      [usage],
    );
  } catch (error) {
    throw new TypeError(
      `JWT_SIGNING_KEYS: the key "${jwk.kid}" is not a valid ${alg} key (${
        error instanceof Error ? error.message : "cannot be imported"
      })`,
    );
  }
}

/** WebCrypto's name of a JWS algorithm's key type (RFC 8037, RFC 7518). */
function signatureAlgorithm(
  alg: "EdDSA" | "ES256",
): AlgorithmIdentifier | EcKeyImportParams {
  return alg === "EdDSA" ? "Ed25519" : { name: "ECDSA", namedCurve: "P-256" };
}

/** HMAC-SHA-256 of a text with a purpose key, as bytes. */
export async function hmacSha256(
  key: CryptoKey,
  text: string,
): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, utf8(text)));
}
