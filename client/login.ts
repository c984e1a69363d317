/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="esnext" />
/** `/login`: the passcode, then whichever steps the ticket still requires. */
import { startAuthentication } from "@simplewebauthn/browser";
import { call } from "./api.ts";
import { sendWithCaptcha } from "./captcha.ts";
import { fillList, notify, onSubmit, showStep } from "./ui.ts";

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

let state: TicketState | null = null;

async function advance(next: TicketState): Promise<void> {
  state = next;
  if (next.requires.includes("device_verification")) {
    return showStep("step-device");
  }
  if (next.requires.includes("mfa_enrollment")) {
    const enrollment = await call("POST", "/v1/login/totp/enroll", {
      ticket: next.ticket,
    });
    const qr = document.getElementById("enroll-qr")!;
    // The service's own SVG, made from the secret it just generated.
    qr.innerHTML = enrollment.qrSvg;
    document.getElementById("enroll-secret")!.textContent = enrollment.secret;
    return showStep("step-enroll");
  }
  document.getElementById("use-passkey")!.hidden = !next.methods.includes(
    "webauthn",
  );
  showStep("step-mfa");
}

function signedIn(result: Authenticated): void {
  if (result.backupCodes) {
    fillList("backup-codes", result.backupCodes);
    showStep("step-backup-codes");
    return;
  }
  location.assign("/security");
}

async function completeWith(path: string, body: Record<string, unknown>) {
  signedIn(await call("POST", path, { ticket: state!.ticket, ...body }));
}

export function loginPage(): void {
  onSubmit("passcode-form", async (fields, form) => {
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
    await advance(
      await call("POST", "/v1/login/device", {
        ticket: state!.ticket,
        code: fields.code,
      }),
    );
  });
  onSubmit(
    "enroll-form",
    (fields) => completeWith("/v1/login/totp", { code: fields.code }),
  );
  onSubmit(
    "totp-form",
    (fields) => completeWith("/v1/login/totp", { code: fields.code }),
  );
  onSubmit(
    "backup-form",
    (fields) => completeWith("/v1/login/backup-code", { code: fields.code }),
  );
  document.getElementById("use-backup-code")!.addEventListener(
    "click",
    () => showStep("step-backup"),
  );
  document.getElementById("use-passkey")!.addEventListener(
    "click",
    async () => {
      notify("");
      try {
        const options = await call("POST", "/v1/login/webauthn/options", {
          ticket: state!.ticket,
        });
        const response = await startAuthentication({ optionsJSON: options });
        await completeWith("/v1/login/webauthn", { response });
      } catch (error) {
        notify(
          error instanceof Error ? error.message : "The passkey did not work.",
        );
      }
    },
  );
}
