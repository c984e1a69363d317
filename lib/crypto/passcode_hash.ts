/**
 * Passcode hashing as PHC strings (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`).
 *
 * The parameters live in the string, so raising the policy rehashes on the next good
 * login (`needsRehash`), and both Argon2id engines read each other's hashes.
 */
import type { Argon2idEngine, Argon2idParameters } from "./argon2id.ts";
import { constantTimeEqual } from "./constant_time.ts";
import { utf8 } from "../runtime/encoding.ts";
import type { RandomSource } from "../runtime/random.ts";

/** OWASP Password Storage Cheat Sheet: Argon2id, 19 MiB, 2 passes, 1 lane. */
export const defaultPasscodeParameters: Argon2idParameters = {
  memoryKiB: 19 * 1024,
  iterations: 2,
  parallelism: 1,
  hashLength: 32,
};

/** A 128-bit salt (NIST SP 800-63B asks for at least 32 bits; 128 is the norm). */
const saltBytes = 16;

/** Hashes and verifies passcodes with one engine and one policy. */
export interface PasscodeHasher {
  hash(passcode: string): Promise<string>;
  /** `valid` false for a wrong passcode or a malformed hash; never throws for those. */
  verify(
    phc: string,
    passcode: string,
  ): Promise<{ valid: boolean; needsRehash: boolean }>;
}

/** Options of {@link createPasscodeHasher}. */
export interface PasscodeHasherOptions {
  engine: Argon2idEngine;
  random: RandomSource;
  parameters?: Argon2idParameters;
}

/** A hasher; passcodes are NFKC-normalised first, so visually equal input matches. */
export function createPasscodeHasher(
  { engine, random, parameters = defaultPasscodeParameters }:
    PasscodeHasherOptions,
): PasscodeHasher {
  return {
    async hash(passcode) {
      const salt = random(saltBytes);
      const hash = await engine(
        utf8(passcode.normalize("NFKC")),
        salt,
        parameters,
      );
      return formatPhc(parameters, salt, hash);
    },
    async verify(phc, passcode) {
      const parsed = parsePhc(phc);
      if (!parsed) return { valid: false, needsRehash: false };
      const candidate = await engine(
        utf8(passcode.normalize("NFKC")),
        parsed.salt,
        parsed.parameters,
      );
      const valid = constantTimeEqual(candidate, parsed.hash);
      const needsRehash = valid && (
        parsed.parameters.memoryKiB < parameters.memoryKiB ||
        parsed.parameters.iterations < parameters.iterations ||
        parsed.parameters.parallelism !== parameters.parallelism
      );
      return { valid, needsRehash };
    },
  };
}

const b64 = (bytes: Uint8Array) => {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/=+$/, "");
};

const unb64 = (text: string) =>
  Uint8Array.from(atob(text), (char) => char.charCodeAt(0));

/** The PHC string format of the reference implementation (standard base64, no padding). */
export function formatPhc(
  parameters: Argon2idParameters,
  salt: Uint8Array,
  hash: Uint8Array,
): string {
  return `$argon2id$v=19$m=${parameters.memoryKiB},t=${parameters.iterations},p=${parameters.parallelism}$${
    b64(salt)
  }$${b64(hash)}`;
}

/** Parses an Argon2id PHC string; null when it is not one this service accepts. */
export function parsePhc(phc: string): {
  parameters: Argon2idParameters;
  salt: Uint8Array<ArrayBuffer>;
  hash: Uint8Array<ArrayBuffer>;
} | null {
  const match =
    /^\$argon2id\$v=19\$m=(\d{1,7}),t=(\d{1,3}),p=(\d{1,2})\$([A-Za-z0-9+/]{11,})\$([A-Za-z0-9+/]{22,})$/
      .exec(phc);
  if (!match) return null;
  try {
    const hash = unb64(match[5]);
    return {
      parameters: {
        memoryKiB: Number(match[1]),
        iterations: Number(match[2]),
        parallelism: Number(match[3]),
        hashLength: hash.length,
      },
      salt: unb64(match[4]),
      hash,
    };
  } catch {
    return null;
  }
}
