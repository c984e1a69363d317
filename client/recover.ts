/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="esnext" />
/** `/recover`: a code to the address, then a new passcode or the 48-hour reset. */
import { call, request } from "./api.ts";
import { sendWithCaptcha } from "./captcha.ts";
import { onSubmit } from "./forms.ts";
import { t } from "./i18n.ts";
import { signInAsKey } from "./login.ts";
import { secondFactor } from "./second_factor.ts";
import { showStep } from "./steps.ts";
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
        t("signIn.recover.waitingTitle"),
        t("signIn.recover.waitingText", { at: new Date(data.effectiveAt) }),
      );
    }
    sessionStorage.setItem(signInAsKey, accountId);
    const hold = withdrawalHold(headers);
    done(
      t("signIn.recover.resetDoneTitle"),
      hold
        ? t("signIn.recover.resetDoneTextHold", { hold })
        : t("signIn.recover.resetDoneText"),
    );
  }, {
    newSecretField: "newPasscode",
    // Either code may be the wrong one: the API does not say which.
    wrongCode: t("signIn.recover.wrongCode"),
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
      t("signIn.recover.mfaResetStartedTitle"),
      t("signIn.recover.mfaResetStartedText", {
        at: new Date(started.effectiveAt),
      }),
    );
  }, { codeField: "code", newSecretField: "newPasscode" });
}
