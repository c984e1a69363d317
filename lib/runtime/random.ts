/** Fills new byte arrays with cryptographically secure randomness; injected for tests. */
export type RandomSource = (byteLength: number) => Uint8Array<ArrayBuffer>;

/** WebCrypto's CSPRNG. */
export const cryptoRandom: RandomSource = (byteLength) =>
  crypto.getRandomValues(new Uint8Array(byteLength));

/**
 * A uniformly random string of `length` decimal digits.
 *
 * Rejection sampling avoids the modulo bias a plain `byte % 10` would have.
 */
export function randomDigits(random: RandomSource, length: number): string {
  let digits = "";
  while (digits.length < length) {
    for (const byte of random(length)) {
      if (byte < 250 && digits.length < length) digits += String(byte % 10);
    }
  }
  return digits;
}
