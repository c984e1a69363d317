/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="esnext" />
/** `/register`: address and passcode, then the code sent to the address. */
import { call } from "./api.ts";
import { sendWithCaptcha } from "./captcha.ts";
import { onSubmit } from "./forms.ts";
import { signInAsKey } from "./login.ts";
import { maskAddress } from "./mask.ts";
import { showStep } from "./steps.ts";

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
    document.getElementById("verify-address")!.textContent = maskAddress(
      accountId,
    );
    showStep("step-verify");
  }, { newSecretField: "passcode" });
  onSubmit("verify-form", async (fields) => {
    await call("POST", "/v1/accounts/verify", { accountId, code: fields.code });
    // Sign-in continues with the ID filled in (this tab only, never in the address).
    sessionStorage.setItem(signInAsKey, accountId);
    showStep("step-registered");
  }, { codeField: "code" });
}
