/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="esnext" />
/** `/register`: address and passcode, then the code sent to the address. */
import { call } from "./api.ts";
import { sendWithCaptcha } from "./captcha.ts";
import { onSubmit, showStep } from "./ui.ts";

export function registerPage(): void {
  let accountId = "";
  onSubmit("register-form", async (fields, form) => {
    const started = await sendWithCaptcha(
      form,
      (captcha) =>
        call("POST", "/v1/accounts", {
          accountId: fields.accountId,
          passcode: fields.passcode,
          captcha,
        }),
    );
    accountId = started.accountId;
    showStep("step-verify");
  });
  onSubmit("verify-form", async (fields) => {
    await call("POST", "/v1/accounts/verify", { accountId, code: fields.code });
    showStep("step-registered");
  });
}
