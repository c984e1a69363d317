/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="esnext" />
/** `/login`: the passcode, then whichever steps the ticket still requires. */
import { startAuthentication } from "@simplewebauthn/browser";
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
import { maskAddress } from "./mask.ts";
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

const appCodeWrong =
  "That code is wrong, used or expired. Wait for the next code in your app and try again.";

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
  document.getElementById("use-passkey")!.hidden = !next.methods.includes(
    "webauthn",
  );
  document.getElementById("use-backup-code")!.hidden = !next.methods.includes(
    "backup_code",
  );
  showStep("step-mfa");
}

function signedIn(result: Authenticated): void {
  if (!result.backupCodes) return location.assign("/security");
  showBackupCodes("first-codes", result.backupCodes, {
    accountId,
    onDone: () => location.assign("/security"),
  });
  showStep("step-backup-codes");
  document.getElementById("first-codes-title")!.focus();
}

async function completeWith(path: string, body: Record<string, unknown>) {
  try {
    signedIn(await call("POST", path, { ticket: state!.ticket, ...body }));
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

export function loginPage(session: Session | null): void {
  if (session) return location.replace("/security");
  prefill();
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
    { codeField: "code", wrongCode: appCodeWrong },
  );
  onSubmit(
    "totp-form",
    (fields) => completeWith("/v1/login/totp", { code: fields.code }),
    { codeField: "code", wrongCode: appCodeWrong },
  );
  onSubmit(
    "backup-form",
    (fields) => completeWith("/v1/login/backup-code", { code: fields.code }),
    {
      codeField: "code",
      wrongCode: "That backup code is wrong or was used before.",
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
        status.textContent = "Key copied.";
      } catch {
        status.textContent = "Copying was not allowed: type the key instead.";
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
