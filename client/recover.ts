/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="esnext" />
/** `/recover`: a code to the address, then a new passcode or the 48-hour reset. */
import { call } from "./api.ts";
import { sendWithCaptcha } from "./captcha.ts";
import { localTime, onSubmit, showStep } from "./ui.ts";

function done(title: string, text: string): void {
  document.getElementById("done-title")!.textContent = title;
  document.getElementById("done-text")!.textContent = text;
  showStep("step-done");
}

export function recoverPage(): void {
  let accountId = "";
  onSubmit("request-form", async (fields, form) => {
    const accepted = await sendWithCaptcha(
      form,
      (captcha) =>
        call("POST", "/v1/recovery", { accountId: fields.accountId, captcha }),
    );
    accountId = accepted.accountId;
    showStep("step-reset");
  });
  onSubmit("reset-form", async (fields) => {
    const factor = /^\d{6}$/.test(fields.totp)
      ? { totp: fields.totp }
      : { backupCode: fields.totp };
    await call("POST", "/v1/recovery/reset", {
      accountId,
      code: fields.code,
      newPasscode: fields.newPasscode,
      ...factor,
    });
    done(
      "Your passcode was reset",
      "Every session was signed out, and withdrawals are on hold for 24 hours.",
    );
  });
  document.getElementById("lost-authenticator")!.addEventListener(
    "click",
    () => showStep("step-mfa-reset"),
  );
  onSubmit("mfa-reset-form", async (fields) => {
    const started = await call("POST", "/v1/recovery/mfa-reset", {
      accountId,
      code: fields.code,
      newPasscode: fields.newPasscode,
    });
    done(
      "The 48-hour reset has started",
      `Your authenticator will be removed on ${
        localTime(started.effectiveAt)
      }. If this was not you, sign in with your current passcode and authenticator before then to cancel it.`,
    );
  });
}
