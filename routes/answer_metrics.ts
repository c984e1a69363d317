/**
 * Each answer counted where an operator looks for it (lib/runtime/telemetry.ts): the
 * sign-in steps, step-ups, session checks and CAPTCHA refusals, by route and outcome.
 * The route pattern names the step, never the path a client sent.
 */
import {
  captchaFailures,
  sessionChecks,
  signInAttempts,
  stepUps,
} from "../lib/runtime/telemetry.ts";

/** `POST` routes of the sign-in and the step each answers. */
const signInSteps: Record<string, string> = {
  "/v1/login": "passcode",
  "/v1/login/device": "device_code",
  "/v1/login/totp/enroll": "totp_enrollment",
  "/v1/login/totp": "totp",
  "/v1/login/webauthn": "webauthn",
  "/v1/login/backup-code": "backup_code",
  "/v1/login/passkey": "passkey",
};

const stepUpOperations: Record<string, string> = {
  "/v1/step-up": "issue",
  "/v1/step-up/consume": "redeem",
};

/** Counts one answer; `code` is the problem's, for an error. */
export function countAnswer(
  method: string,
  routePath: string,
  status: number,
  code: string | undefined,
): void {
  const outcome = status < 400 ? "ok" : code ?? String(status);
  if (code === "captcha_required" || code === "captcha_invalid") {
    captchaFailures.add(1, { reason: code.slice("captcha_".length) });
  }
  if (method === "GET") {
    if (routePath === "/v1/session") sessionChecks.add(1, { outcome });
    return;
  }
  if (method !== "POST") return;
  const step = signInSteps[routePath];
  if (step) {
    signInAttempts.add(1, { step, outcome });
    return;
  }
  const operation = stepUpOperations[routePath];
  if (operation) stepUps.add(1, { operation, outcome });
}
