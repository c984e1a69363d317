/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="esnext" />
/** `/security`: the checklist first, then every setting, sessions and history. */
import { startRegistration } from "@simplewebauthn/browser";
import { call, ProblemError } from "./api.ts";
import { button, fillList, localTime, notify, onSubmit } from "./ui.ts";

interface Device {
  id: string;
  name: string;
  kind: "webauthn" | "browser";
  createdAt: string;
  lastUsedAt: string | null;
}

interface SessionRow {
  id: string;
  current: boolean;
  createdAt: string;
  lastSeenAt: string;
  ip: string | null;
  userAgent: string | null;
}

let deviceToRemove: Device | null = null;
let historyCursor: string | null = null;

function text(content: string, className?: string): HTMLSpanElement {
  const span = document.createElement("span");
  span.textContent = content;
  if (className) span.className = className;
  return span;
}

async function loadAudit() {
  const audit = await call("GET", "/v1/security/audit");
  const labels: Record<string, string> = {
    ok: "OK",
    warn: "To do",
    critical: "Important",
  };
  // Findings first: what is missing matters more than what is fine.
  const order = { critical: 0, warn: 1, ok: 2 } as Record<string, number>;
  fillList(
    "audit",
    [...audit.checks]
      .sort((a, b) => order[a.status] - order[b.status])
      .map((check: { id: string; status: string; detail: string }) => {
        const row = document.createElement("span");
        row.dataset.check = check.id;
        row.dataset.status = check.status;
        row.append(
          text(labels[check.status], `status ${check.status}`),
          " ",
          text(check.detail),
        );
        return row;
      }),
  );
  document.getElementById("audit-next")!.textContent = `Review this again by ${
    localTime(audit.nextAuditDue)
  }.`;
}

async function loadMfa() {
  const mfa = await call("GET", "/v1/mfa");
  document.getElementById("mfa-status")!.textContent = mfa.totp.enabled
    ? `Authenticator app set up ${
      localTime(mfa.totp.enrolledAt)
    }. ${mfa.backupCodesRemaining} backup codes left.`
    : "No authenticator app.";
}

async function loadDevices() {
  const devices: Device[] = await call("GET", "/v1/devices");
  fillList(
    "devices",
    devices.map((device) => {
      const row = document.createElement("span");
      row.append(
        text(
          `${device.name} (${
            device.kind === "webauthn" ? "passkey" : "browser"
          })`,
        ),
        " ",
        text(
          `added ${localTime(device.createdAt)}, last used ${
            device.lastUsedAt ? localTime(device.lastUsedAt) : "never"
          }`,
          "hint",
        ),
        " ",
        button("Rename", async () => {
          const name = prompt("New name", device.name)?.trim();
          if (!name) return;
          await guarded(() =>
            call("PATCH", `/v1/devices/${encodeURIComponent(device.id)}`, {
              name,
            })
          );
          await loadDevices();
        }, `Rename ${device.name}`),
        " ",
        button("Remove", () => {
          deviceToRemove = device;
          document.getElementById("remove-device-name")!.textContent =
            `Remove "${device.name}": confirm with a code from your app.`;
          document.querySelector<HTMLInputElement>(
            "#remove-device-form input",
          )?.focus();
        }, `Remove ${device.name}`),
      );
      return row;
    }),
  );
}

async function loadSessions() {
  const sessions: SessionRow[] = await call("GET", "/v1/sessions");
  fillList(
    "sessions",
    sessions.map((session) => {
      const row = document.createElement("span");
      row.append(
        text(
          `${session.current ? "This session" : "Session"} from ${
            session.ip ?? "unknown address"
          }, started ${localTime(session.createdAt)}, active ${
            localTime(session.lastSeenAt)
          }`,
        ),
      );
      if (!session.current) {
        row.append(
          " ",
          button("Revoke", async () => {
            await guarded(() =>
              call("DELETE", `/v1/sessions/${encodeURIComponent(session.id)}`)
            );
            await loadSessions();
          }, `Revoke the session from ${session.ip ?? "unknown address"}`),
        );
      }
      return row;
    }),
  );
}

async function loadAntiPhishing() {
  const { code } = await call("GET", "/v1/anti-phishing-code");
  document.getElementById("phishing-current")!.textContent = code ?? "not set";
}

async function loadHistory(more = false) {
  const page = await call(
    "GET",
    `/v1/security/events${
      more && historyCursor
        ? `?cursor=${encodeURIComponent(historyCursor)}`
        : ""
    }`,
  );
  historyCursor = page.cursor;
  const list = document.getElementById("history")!;
  const rows = page.events.map(
    (event: { type: string; at: string; ip: string | null }) => {
      const li = document.createElement("li");
      li.textContent = `${localTime(event.at)}: ${
        event.type.replaceAll("_", " ")
      }${event.ip ? ` from ${event.ip}` : ""}`;
      return li;
    },
  );
  if (more) list.append(...rows);
  else list.replaceChildren(...rows);
  document.getElementById("history-more")!.hidden = !historyCursor;
}

async function guarded(action: () => Promise<unknown>) {
  try {
    await action();
  } catch (error) {
    if (error instanceof ProblemError) notify(error.problem.detail);
    else throw error;
  }
}

async function refreshAll() {
  await Promise.all([
    loadAudit(),
    loadMfa(),
    loadDevices(),
    loadSessions(),
    loadAntiPhishing(),
    loadHistory(),
  ]);
}

function done(form: HTMLFormElement, message: string) {
  form.reset();
  notify(message, "info");
  return refreshAll();
}

export async function securityPage(): Promise<void> {
  try {
    const session = await call("GET", "/v1/session");
    document.getElementById("signed-in-as")!.textContent =
      `Signed in as ${session.accountId}.`;
  } catch {
    location.assign("/login");
    return;
  }
  await refreshAll();

  document.getElementById("logout")!.addEventListener("click", async () => {
    await call("POST", "/v1/logout");
    location.assign("/login");
  });
  document.getElementById("history-more")!.addEventListener(
    "click",
    () => loadHistory(true),
  );
  onSubmit("backup-codes-form", async ({ totp }, form) => {
    const { backupCodes } = await call("POST", "/v1/mfa/backup-codes", {
      totp,
    });
    fillList("new-backup-codes", backupCodes).hidden = false;
    await done(
      form,
      "New backup codes: keep them offline. The old ones no longer work.",
    );
  });
  onSubmit("passkey-form", async ({ totp, name }, form) => {
    const options = await call("POST", "/v1/devices/webauthn/options", {
      totp,
    });
    const response = await startRegistration({ optionsJSON: options });
    await call("POST", "/v1/devices/webauthn", { response, name });
    await done(form, `Passkey "${name}" added.`);
  });
  onSubmit("remove-device-form", async ({ totp }, form) => {
    if (!deviceToRemove) throw new Error("Choose a device to remove first.");
    await call(
      "DELETE",
      `/v1/devices/${encodeURIComponent(deviceToRemove.id)}`,
      { totp },
    );
    deviceToRemove = null;
    document.getElementById("remove-device-name")!.textContent = "";
    await done(form, "Device removed.");
  });
  onSubmit("trading-form", async ({ totp, tradingPasscode }, form) => {
    await call("PUT", "/v1/trading-passcode", { tradingPasscode, totp });
    await done(form, "Trading passcode set.");
  });
  onSubmit("phishing-form", async ({ totp, code }, form) => {
    await call("PUT", "/v1/anti-phishing-code", { code, totp });
    await done(
      form,
      `Anti-phishing code set: every message now starts with ${code}.`,
    );
  });
  onSubmit(
    "passcode-change-form",
    async ({ totp, currentPasscode, newPasscode }, form) => {
      await call("PUT", "/v1/passcode", {
        currentPasscode,
        newPasscode,
        totp,
      });
      await done(
        form,
        "Passcode changed. Other sessions were signed out; withdrawals wait 24 hours.",
      );
    },
  );
}
