/** The CAPTCHA step of registration, login and recovery (API.md, CAPTCHA). */
import { commitGuards, type Guard } from "../../kv/guards.ts";
import { captchaUseGuard } from "../../kv/spent_captchas.ts";
import {
  parseCaptchaPayload,
  verifyCaptchaPayload,
} from "../crypto/captcha.ts";
import type { Deps } from "../deps.ts";
import { ApiError } from "../runtime/errors.ts";

/**
 * Verifies the request's CAPTCHA solution and returns the guard that spends it, to be
 * committed before the work it gates; null when none is needed (`CAPTCHA_MODE=off`,
 * or `adaptive` and `risky()` says no). `captcha_required` or `captcha_invalid` when
 * it is missing or wrong.
 *
 * The payload is verified before it is spent, so garbage cannot fill KV; spending is the
 * atomic check that makes a solution single-use under races.
 */
export async function verifiedCaptchaUse(
  deps: Deps,
  captcha: string | undefined,
  risky: () => Promise<boolean> = () => Promise.resolve(true),
): Promise<Guard<boolean> | null> {
  const mode = deps.config.captchaMode;
  if (mode === "off") return null;
  // Adaptive: a payload that is sent is still checked (and spent), asked for or not.
  if (mode === "adaptive" && !captcha && !(await risky())) return null;
  if (!captcha) throw new ApiError("captcha_required");
  const payload = parseCaptchaPayload(captcha);
  const context = {
    clock: deps.clock,
    secrets: deps.keyring.captchaSecrets,
  };
  if (!payload || !(await verifyCaptchaPayload(payload, context))) {
    throw new ApiError("captcha_invalid");
  }
  return captchaUseGuard(
    payload.challenge.signature!,
    payload.challenge.parameters.expiresAt! * 1000,
    deps.clock.now(),
  );
}

/** The answer to a solution that was used before. */
export function captchaReused(): ApiError {
  return new ApiError(
    "captcha_invalid",
    "This CAPTCHA solution was already used.",
  );
}

/**
 * Refuses the request unless it carries an unused, valid CAPTCHA solution, and spends
 * it. With `CAPTCHA_MODE=adaptive`, only when `risky()` says so (registration and
 * recovery never pass a judge: they always come from browsers the account does not
 * know).
 */
export async function requireCaptcha(
  deps: Deps,
  captcha: string | undefined,
  risky?: () => Promise<boolean>,
): Promise<void> {
  const use = await verifiedCaptchaUse(deps, captcha, risky);
  if (!use) return;
  const { outcomes: [spent] } = await commitGuards(deps.kv, [use]);
  if (!spent) throw captchaReused();
}
