/** Single use of CAPTCHA payloads. */
import type { Guard } from "./guards.ts";
import { spentCaptchaKey } from "./keys.ts";
import { cleanupAfterMs } from "./retry.ts";

/**
 * The use of a payload: true when this request spends it, false (a refusal) when it
 * was spent already.
 *
 * The write is checked against the absence it read, so of two racing requests with the
 * same payload exactly one gets `true`. The record only needs to outlive the
 * challenge, whose own expiry is checked separately.
 */
export function captchaUseGuard(
  signature: string,
  expiresAtMs: number,
  nowMs: number,
): Guard<boolean> {
  const key = spentCaptchaKey(signature);
  return {
    key,
    decide: (entry) =>
      entry.versionstamp !== null ? { outcome: false } : {
        outcome: true,
        write: (operation) =>
          operation.set(key, { expiresAt: expiresAtMs }, {
            expireIn: cleanupAfterMs(expiresAtMs, nowMs),
          }),
      },
  };
}
