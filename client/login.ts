/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="esnext" />
/** `/login`: the passcode, then whichever steps the ticket still requires. */
import {
  browserSupportsWebAuthn,
  browserSupportsWebAuthnAutofill,
  startAuthentication,
} from "@simplewebauthn/browser";
import type { Session } from "./account_menu.ts";
import { call, ProblemError } from "./api.ts";
import { showBackupCodes } from "./backup_codes.ts";
import { sendWithCaptcha } from "./captcha.ts";
import {
  onSubmit,
  problemSentence,
  setBusy,
  setFormMessage,
  showProblem,
} from "./forms.ts";
import { t } from "./i18n.ts";
import { adoptAccountLanguage } from "./language_switch.ts";
import { maskAddress } from "./mask.ts";
import { afterSignIn } from "./return_path.ts";
import { showStep } from "./steps.ts";

interface TicketState {
  status: "pending";
  ticket: string;
  requires: ("device_verification" | "mfa_enrollment" | "mfa")[];
  methods: ("totp" | "webauthn" | "backup_code")[];
}

interface Authenticated {
  status: "authenticated";
  backupCodes?: string[];
}

/** The ID the registration page hands over, so sign-in continues where it ended. */
export const signInAsKey = "signInAs";

let state: TicketState | null = null;
let accountId = "";

/** A ticket that expired or was used up: back to the first step, saying why. */
function restartIfExpired(error: unknown): void {
  if (
    error instanceof ProblemError && error.problem.code === "invalid_ticket"
  ) {
    showStep("step-passcode");
    const form = document.getElementById("passcode-form") as HTMLFormElement;
    showProblem(form, error);
    return;
  }
  throw error;
}

async function advance(next: TicketState): Promise<void> {
  state = next;
  if (next.requires.includes("device_verification")) {
    document.getElementById("device-address")!.textContent = maskAddress(
      accountId,
    );
    return showStep("step-device");
  }
  if (next.requires.includes("mfa_enrollment")) {
    const enrollment = await call("POST", "/v1/login/totp/enroll", {
      ticket: next.ticket,
    });
    // The service's own SVG, made from the secret it just generated.
    document.getElementById("enroll-qr")!.innerHTML = enrollment.qrSvg;
    document.getElementById("enroll-secret")!.textContent = enrollment.secret
      .match(/.{1,4}/g)!.join(" ");
    return showStep("step-enroll");
  }
  // An account that accepts passkeys only (API.md, `PUT /v1/mfa/policy`) lists no codes.
  const appCode = next.methods.includes("totp");
  const passkey = document.getElementById("use-passkey")!;
  passkey.hidden = !next.methods.includes("webauthn");
  passkey.classList.toggle("secondary", appCode);
  for (const id of ["totp-form", "mfa-divider", "mfa-with-app"]) {
    document.getElementById(id)!.hidden = !appCode;
  }
  document.getElementById("mfa-passkeys-only")!.hidden = appCode;
  document.getElementById("use-backup-code")!.hidden = !next.methods.includes(
    "backup_code",
  );
  showStep("step-mfa");
}

async function signedIn(result: Authenticated): Promise<void> {
  // The account's language becomes this browser's, so the next page is in it.
  await adoptAccountLanguage();
  if (!result.backupCodes) return location.assign(afterSignIn());
  showBackupCodes("first-codes", result.backupCodes, {
    accountId,
    onDone: () => location.assign(afterSignIn()),
  });
  showStep("step-backup-codes");
  document.getElementById("first-codes-title")!.focus();
}

async function completeWith(path: string, body: Record<string, unknown>) {
  try {
    await signedIn(
      await call("POST", path, { ticket: state!.ticket, ...body }),
    );
  } catch (error) {
    restartIfExpired(error);
  }
}

function prefill(): void {
  const handedOver = sessionStorage.getItem(signInAsKey);
  if (!handedOver) return;
  sessionStorage.removeItem(signInAsKey);
  const id = document.getElementById("passcode-form-accountId") as
    | HTMLInputElement
    | null;
  if (!id || id.value) return;
  id.value = handedOver;
  document.getElementById("passcode-form-passcode")?.focus();
}

/** A passkey's answer signs in alone (API.md, `POST /v1/login/passkey`). */
async function completeWithPasskey(response: unknown): Promise<void> {
  await signedIn(await call("POST", "/v1/login/passkey", { response }));
}

function passkeySentence(error: unknown): string {
  return error instanceof ProblemError &&
      error.problem.code === "invalid_code"
    ? t("signIn.passkey.refused")
    : problemSentence(error);
}

/**
 * "Sign in with a passkey" where the browser can, and the passkeys offered in the
 * account-ID field's suggestions where it can do that (conditional UI).
 */
async function offerPasskeySignIn(): Promise<void> {
  if (!browserSupportsWebAuthn()) return;
  const button = document.getElementById(
    "sign-in-passkey",
  ) as HTMLButtonElement;
  const message = document.getElementById("sign-in-passkey-message")!;
  document.getElementById("passkey-sign-in")!.hidden = false;
  const autofill = await browserSupportsWebAuthnAutofill();
  let prompting = false;
  let rearm: ReturnType<typeof setTimeout> | undefined;
  // The suggestions wait for as long as the page is open, but a challenge lasts 5
  // minutes: a fresh one is asked for before it runs out.
  const listen = async () => {
    clearTimeout(rearm);
    if (
      !autofill || prompting || document.getElementById("step-passcode")!.hidden
    ) {
      return;
    }
    let options;
    try {
      options = await call("POST", "/v1/login/passkey/options");
    } catch {
      return; // No suggestions this time; the button still works.
    }
    rearm = setTimeout(listen, 4 * 60 * 1000);
    let response;
    try {
      response = await startAuthentication({
        optionsJSON: options,
        useBrowserAutofill: true,
      });
    } catch {
      return; // Replaced by a newer request (the button's, or the next one).
    }
    try {
      await completeWithPasskey(response);
    } catch (error) {
      // The person chose a passkey and it was refused: say so, and offer again.
      message.textContent = passkeySentence(error);
      listen();
    }
  };
  button.addEventListener("click", async () => {
    message.textContent = "";
    prompting = true;
    setBusy(button, true);
    try {
      const options = await call("POST", "/v1/login/passkey/options");
      await completeWithPasskey(
        await startAuthentication({ optionsJSON: options }),
      );
    } catch (error) {
      message.textContent = passkeySentence(error);
    } finally {
      prompting = false;
      setBusy(button, false);
    }
    listen();
  });
  listen();
}

/** "Send a new code" on the new-device step (API.md, `/v1/login/device/resend`). */
function attachResend(): void {
  const button = document.getElementById("resend-code") as HTMLButtonElement;
  const status = document.getElementById("resend-status")!;
  button.addEventListener("click", async () => {
    status.textContent = "";
    setBusy(button, true);
    let waitSeconds = 0;
    try {
      await call("POST", "/v1/login/device/resend", { ticket: state!.ticket });
      status.textContent = t("signIn.device.newCodeSent", {
        address: maskAddress(accountId),
      });
    } catch (error) {
      if (
        error instanceof ProblemError && error.problem.code === "rate_limited"
      ) {
        waitSeconds = Math.max(1, Number(error.retryAfter) || 60);
        status.textContent = t("signIn.device.askAgainIn", {
          seconds: waitSeconds,
        });
      } else if (
        error instanceof ProblemError && error.problem.code === "invalid_ticket"
      ) {
        restartIfExpired(error);
      } else status.textContent = problemSentence(error);
    } finally {
      setBusy(button, false);
    }
    if (waitSeconds > 0) {
      button.disabled = true;
      setTimeout(() => {
        button.disabled = false;
      }, waitSeconds * 1000);
    }
  });
}

export function loginPage(session: Session | null): void {
  if (session) return location.replace(afterSignIn());
  prefill();
  offerPasskeySignIn();
  attachResend();
  onSubmit("passcode-form", async (fields, form) => {
    accountId = fields.accountId;
    await advance(
      await sendWithCaptcha(form, (captcha) =>
        call("POST", "/v1/login", {
          accountId: fields.accountId,
          passcode: fields.passcode,
          captcha,
        })),
    );
  });
  onSubmit("device-form", async (fields) => {
    try {
      await advance(
        await call("POST", "/v1/login/device", {
          ticket: state!.ticket,
          code: fields.code,
        }),
      );
    } catch (error) {
      restartIfExpired(error);
    }
  }, { codeField: "code" });
  onSubmit(
    "enroll-form",
    (fields) => completeWith("/v1/login/totp", { code: fields.code }),
    { codeField: "code", wrongCode: t("signIn.appCode.wrong") },
  );
  onSubmit(
    "totp-form",
    (fields) => completeWith("/v1/login/totp", { code: fields.code }),
    { codeField: "code", wrongCode: t("signIn.appCode.wrong") },
  );
  onSubmit(
    "backup-form",
    (fields) => completeWith("/v1/login/backup-code", { code: fields.code }),
    {
      codeField: "code",
      wrongCode: t("signIn.backupCode.wrong"),
    },
  );
  document.getElementById("use-backup-code")!.addEventListener(
    "click",
    () => showStep("step-backup"),
  );
  document.getElementById("use-app-code")!.addEventListener(
    "click",
    () => showStep("step-mfa"),
  );
  document.getElementById("copy-secret")!.addEventListener(
    "click",
    async () => {
      const status = document.getElementById("copy-secret-status")!;
      const secret = document.getElementById("enroll-secret")!.textContent ??
        "";
      try {
        await navigator.clipboard.writeText(secret.replaceAll(" ", ""));
        status.textContent = t("signIn.enroll.keyCopied");
      } catch {
        status.textContent = t("signIn.enroll.copyRefused");
      }
    },
  );
  const passkey = document.getElementById("use-passkey") as HTMLButtonElement;
  passkey.addEventListener("click", async () => {
    const totpForm = document.getElementById("totp-form") as HTMLFormElement;
    setFormMessage(totpForm, "");
    const message = document.getElementById("passkey-message")!;
    message.textContent = "";
    setBusy(passkey, true);
    try {
      const options = await call("POST", "/v1/login/webauthn/options", {
        ticket: state!.ticket,
      });
      const response = await startAuthentication({ optionsJSON: options });
      await completeWith("/v1/login/webauthn", { response });
    } catch (error) {
      message.textContent = problemSentence(error);
    } finally {
      setBusy(passkey, false);
    }
  });
}
