/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="esnext" />
/**
 * The security history in people's words ("Signed in with a passkey"), each with the
 * browser, network and time. Events one change wrote together share a time and are
 * told as one line.
 */
import { call } from "../api.ts";
import { browserAndNetwork } from "../describe.ts";
import { setBusy } from "../forms.ts";
import { timeElement } from "../time.ts";
import { row } from "./ui.ts";

interface SecurityEvent {
  type: string;
  at: string;
  ip: string | null;
  userAgent: string | null;
}

const sentences: Record<string, string> = {
  account_created: "Account created",
  login_succeeded: "Signed in",
  login_failed: "Failed sign-in attempt",
  account_locked: "Sign-in locked after failed attempts",
  mfa_enrolled: "Authenticator app set up",
  backup_code_used: "Backup code used",
  backup_codes_regenerated: "New backup codes made",
  session_revoked: "Session signed out",
  refresh_reuse_detected: "A copied session was detected and ended",
  webauthn_added: "Passkey added",
  webauthn_used: "Passkey used",
  webauthn_counter_regression: "A possibly cloned passkey was refused",
  device_renamed: "Passkey or browser renamed",
  device_removed: "Passkey or browser removed",
  anti_phishing_code_changed: "Anti-phishing code changed",
  trading_passcode_set: "Trading passcode changed",
  step_up_failed: "Wrong trading passcode entered",
  step_up_locked: "Trading passcode locked after wrong entries",
  confirmation_failed: "Wrong code for a security change",
  passcode_changed: "Passcode changed",
  account_id_change_requested: "Account ID change requested",
  account_id_changed: "Account ID changed",
  recovery_requested: "Recovery code requested",
  passcode_reset: "Passcode reset",
  mfa_reset_requested: "Authenticator reset requested (48-hour wait)",
  mfa_reset_cancelled: "Authenticator reset cancelled",
  mfa_reset_completed: "Authenticator removed by a reset",
  security_audit: "Security checkup reviewed",
  account_frozen: "Account frozen from the link in a message",
  settings_locked: "Security settings locked",
  settings_unlock_started: "Unlock of the security settings started",
  settings_unlocked: "Security settings unlocked",
  passcode_reset_requested:
    "Passcode reset requested (waits for the settings lock's delay)",
  recovery_cancelled: "Account recovery cancelled",
  mfa_policy_changed: "Passkeys-only setting changed",
};

/** Sign-ins are written with how they were made. */
const signInWith: Record<string, string> = {
  webauthn_used: "Signed in with a passkey",
  backup_code_used: "Signed in with a backup code",
  mfa_enrolled: "Signed in and set up the authenticator app",
};

const warnings = new Set([
  "login_failed",
  "account_locked",
  "refresh_reuse_detected",
  "webauthn_counter_regression",
  "step_up_failed",
  "step_up_locked",
  "confirmation_failed",
  "mfa_reset_requested",
  "account_frozen",
  "settings_unlock_started",
  "passcode_reset_requested",
]);

function sentence(type: string): string {
  return sentences[type] ??
    type.charAt(0).toUpperCase() + type.slice(1).replaceAll("_", " ");
}

/** Whether an event is part of a sign-in, which writes its events together. */
function partOfSignIn(type: string): boolean {
  return type === "login_succeeded" || type in signInWith;
}

/**
 * One line per change: a sign-in and how it was made, written at one moment, are told
 * together.
 */
export function describeEvents(
  events: SecurityEvent[],
): { text: string; warn: boolean; event: SecurityEvent }[] {
  const groups: SecurityEvent[][] = [];
  for (const event of events) {
    const last = groups.at(-1);
    const previous = last?.at(-1);
    if (
      last && previous && previous.at === event.at &&
      partOfSignIn(previous.type) && partOfSignIn(event.type)
    ) {
      last.push(event);
    } else groups.push([event]);
  }
  return groups.map((group) => {
    const types = group.map((event) => event.type);
    const signIn = types.includes("login_succeeded")
      ? types.map((type) => signInWith[type]).find(Boolean) ?? "Signed in"
      : null;
    const rest = types.filter((type) =>
      type !== "login_succeeded" && !(signIn && signInWith[type])
    ).map(sentence);
    const text = [signIn, ...rest].filter(Boolean).join(" · ");
    return {
      text,
      warn: types.some((type) => warnings.has(type)),
      event: group[0],
    };
  });
}

let cursor: string | null = null;

/** Loads the newest page of history, or (`more`) the next older one. */
export async function loadHistory(more = false): Promise<void> {
  const button = document.getElementById("history-more") as HTMLButtonElement;
  if (more) setBusy(button, true);
  try {
    const page = await call(
      "GET",
      `/v1/security/events${
        more && cursor ? `?cursor=${encodeURIComponent(cursor)}` : ""
      }`,
    );
    cursor = page.cursor;
    const rows = describeEvents(page.events).map(({ text, warn, event }) =>
      row({
        iconName: warn ? "alert" : "check",
        title: text,
        meta: [
          browserAndNetwork(event.userAgent, event.ip),
          timeElement(event.at),
        ],
        tone: warn ? "warn" : undefined,
      })
    );
    const list = document.getElementById("history")!;
    if (more) list.append(...rows);
    else list.replaceChildren(...rows);
    button.hidden = !cursor;
  } finally {
    if (more) setBusy(button, false);
  }
}
