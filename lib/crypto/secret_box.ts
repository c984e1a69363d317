/**
 * AES-256-GCM for secrets at rest (TOTP seeds): a copy of the KV data must not yield
 * working codes. The record's owner is bound as additional data, so a ciphertext moved
 * to another account does not decrypt.
 */
import { fromBase64Url, toBase64Url, utf8 } from "../runtime/encoding.ts";
import type { RandomSource } from "../runtime/random.ts";

/** 96-bit nonces, random: at our volumes far from GCM's 2^32 messages per key. */
const nonceBytes = 12;

/** Encrypts `plaintext` bound to `owner`; returns `nonce.ciphertext` in base64url. */
export async function sealSecret(
  key: CryptoKey,
  random: RandomSource,
  owner: string,
  plaintext: string,
): Promise<string> {
  const nonce = random(nonceBytes);
  const ciphertext = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv: nonce, additionalData: utf8(owner) },
    key,
    utf8(plaintext),
  );
  return `${toBase64Url(nonce)}.${toBase64Url(new Uint8Array(ciphertext))}`;
}

/** Decrypts a sealed secret; null when it was tampered with or belongs elsewhere. */
export async function openSecret(
  key: CryptoKey,
  owner: string,
  sealed: string,
): Promise<string | null> {
  const [nonceText, ciphertextText] = sealed.split(".");
  const nonce = fromBase64Url(nonceText ?? "");
  const ciphertext = fromBase64Url(ciphertextText ?? "");
  if (!nonce || !ciphertext) return null;
  try {
    const plaintext = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: nonce, additionalData: utf8(owner) },
      key,
      ciphertext,
    );
    return new TextDecoder().decode(plaintext);
  } catch {
    return null;
  }
}
