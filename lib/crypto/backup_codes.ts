/**
 * Backup codes: ten one-time codes given at enrollment and on regeneration, for a lost
 * authenticator. Only a keyed hash bound to the account is stored, as for every opaque
 * token (a database leak yields no codes).
 */
import type { Keyring } from "./keyring.ts";
import { hashOpaqueToken } from "./opaque_token.ts";
import type { RandomSource } from "../runtime/random.ts";

/** Ten backup codes at enrollment and on regeneration. */
const backupCodeCount = 10;

const backupAlphabet = "abcdefghjkmnpqrstuvwxyz23456789";

/**
 * A backup code such as `k7m2-q9xa-3h4p`: 12 characters of a 31-letter alphabet without
 * look-alikes (about 59 bits, above the 40 bits asked of recovery codes).
 */
function generateBackupCode(random: RandomSource): string {
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
function normaliseBackupCode(text: string): string {
  const bare = text.toLowerCase().replace(/[\s-]/g, "");
  return `${bare.slice(0, 4)}-${bare.slice(4, 8)}-${bare.slice(8)}`;
}

/** The stored form of a backup code, bound to its account. */
export async function backupCodeHash(
  keyring: Keyring,
  accountUuid: string,
  code: string,
): Promise<string> {
  return await hashOpaqueToken(
    keyring.hmac["token-hash"],
    `backup:${accountUuid}:${normaliseBackupCode(code)}`,
  );
}

/** A fresh set of backup codes and their stored forms. */
export async function generateBackupCodes(
  keyring: Keyring,
  random: RandomSource,
  accountUuid: string,
): Promise<{ codes: string[]; hashes: string[] }> {
  const codes = Array.from(
    { length: backupCodeCount },
    () => generateBackupCode(random),
  );
  const hashes = await Promise.all(
    codes.map((code) => backupCodeHash(keyring, accountUuid, code)),
  );
  return { codes, hashes };
}
