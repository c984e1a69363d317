/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="esnext" />
/** `/recover`: a code to the address, then a new passcode or the 48-hour reset. */
import { call, request } from "./api.ts";
import { sendWithCaptcha } from "./captcha.ts";
import { onSubmit } from "./forms.ts";
import { signInAsKey } from "./login.ts";
import { secondFactor } from "./second_factor.ts";
import { showStep } from "./steps.ts";
import { localTime } from "./time.ts";
import { withdrawalHold } from "./withdrawal_hold.ts";

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
    for (
      const input of document.querySelectorAll<HTMLInputElement>(
        "input[data-account]",
      )
    ) input.value = accountId;
    showStep("step-reset");
  });
  onSubmit("reset-form", async (fields) => {
    const { data, headers } = await request("POST", "/v1/recovery/reset", {
      accountId,
      code: fields.code,
      newPasscode: fields.newPasscode,
      ...secondFactor(fields),
    });
    if (data?.effectiveAt) {
      // The owner locked the settings: a recovery waits for the delay they chose.
      return done(
        "Your new passcode is waiting",
        `Your security settings are locked, so the reset takes effect on ${
          localTime(data.effectiveAt)
        }, after the delay you chose. We sent you a message with a link to cancel it.`,
      );
    }
    sessionStorage.setItem(signInAsKey, accountId);
    done(
      "Your passcode was reset",
      [
        "Every session was signed out.",
        withdrawalHold(headers),
        "Sign in with your new passcode.",
      ].filter(Boolean).join(" "),
    );
  }, {
    newSecretField: "newPasscode",
    // Either code may be the wrong one: the API does not say which.
    wrongCode:
      "The recovery code or the code from your app is wrong, used or expired.",
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
  }, { codeField: "code", newSecretField: "newPasscode" });
}
