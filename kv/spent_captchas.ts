/** Single use of CAPTCHA payloads. */
import { spentCaptchaKey } from "./keys.ts";
import { cleanupAfterMs } from "./retry.ts";

/**
 * Marks a payload spent; false when it was spent already.
 *
 * The check for absence and the write are one atomic operation, so of two racing
 * requests with the same payload exactly one gets `true`. The record only needs to
 * outlive the challenge, whose own expiry is checked separately.
 */
export async function spendCaptcha(
  kv: Deno.Kv,
  signature: string,
  expiresAtMs: number,
  nowMs: number,
): Promise<boolean> {
  const key = spentCaptchaKey(signature);
  const result = await kv.atomic()
    .check({ key, versionstamp: null })
    .set(key, { expiresAt: expiresAtMs }, {
      expireIn: cleanupAfterMs(expiresAtMs, nowMs),
    })
    .commit();
  return result.ok;
}
