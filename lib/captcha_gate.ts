/** The CAPTCHA step of registration, login and recovery (API.md, CAPTCHA). */
import { spendCaptcha } from "../kv/spent_captchas.ts";
import { parseCaptchaPayload, verifyCaptchaPayload } from "./captcha.ts";
import type { Deps } from "./deps.ts";
import { ApiError } from "./errors.ts";

/**
 * Refuses the request unless it carries an unused, valid CAPTCHA solution. With
 * `CAPTCHA_MODE=adaptive`, only when `risky()` says so (registration and recovery never
 * pass a judge: they always come from browsers the account does not know).
 *
 * The payload is verified before it is spent, so garbage cannot fill KV; spending is the
 * atomic check that makes a solution single-use under races.
 */
export async function requireCaptcha(
  deps: Deps,
  captcha: string | undefined,
  risky: () => Promise<boolean> = () => Promise.resolve(true),
): Promise<void> {
  const mode = deps.config.captchaMode;
  if (mode === "off") return;
  // Adaptive: a payload that is sent is still checked (and spent), asked for or not.
  if (mode === "adaptive" && !captcha && !(await risky())) return;
  if (!captcha) throw new ApiError("captcha_required");
  const payload = parseCaptchaPayload(captcha);
  const context = {
    clock: deps.clock,
    secrets: deps.keyring.captchaSecrets,
  };
  if (!payload || !(await verifyCaptchaPayload(payload, context))) {
    throw new ApiError("captcha_invalid");
  }
  const spent = await spendCaptcha(
    deps.kv,
    payload.challenge.signature!,
    payload.challenge.parameters.expiresAt! * 1000,
    deps.clock.now(),
  );
  if (!spent) {
    throw new ApiError(
      "captcha_invalid",
      "This CAPTCHA solution was already used.",
    );
  }
}
