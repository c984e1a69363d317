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
import { t } from "../i18n.ts";
import type { CatalogKey } from "../../lib/i18n/translator.ts";
import { timeElement } from "../time.ts";
import { row } from "./ui.ts";

interface SecurityEvent {
  type: string;
  at: string;
  ip: string | null;
  userAgent: string | null;
}

const sentences: Record<string, CatalogKey> = {
  account_created: "security.history.event.accountCreated",
  login_succeeded: "security.history.event.loginSucceeded",
  login_failed: "security.history.event.loginFailed",
  account_locked: "security.history.event.accountLocked",
  mfa_enrolled: "security.history.event.mfaEnrolled",
  backup_code_used: "security.history.event.backupCodeUsed",
  backup_codes_regenerated: "security.history.event.backupCodesRegenerated",
  session_revoked: "security.history.event.sessionRevoked",
  refresh_reuse_detected: "security.history.event.refreshReuseDetected",
  webauthn_added: "security.history.event.webauthnAdded",
  webauthn_used: "security.history.event.webauthnUsed",
  webauthn_counter_regression:
    "security.history.event.webauthnCounterRegression",
  device_renamed: "security.history.event.deviceRenamed",
  device_removed: "security.history.event.deviceRemoved",
  anti_phishing_code_changed: "security.history.event.antiPhishingCodeChanged",
  trading_passcode_set: "security.history.event.tradingPasscodeSet",
  step_up_failed: "security.history.event.stepUpFailed",
  step_up_locked: "security.history.event.stepUpLocked",
  confirmation_failed: "security.history.event.confirmationFailed",
  passcode_changed: "security.history.event.passcodeChanged",
  account_id_change_requested:
    "security.history.event.accountIdChangeRequested",
  account_id_changed: "security.history.event.accountIdChanged",
  recovery_requested: "security.history.event.recoveryRequested",
  passcode_reset: "security.history.event.passcodeReset",
  mfa_reset_requested: "security.history.event.mfaResetRequested",
  mfa_reset_cancelled: "security.history.event.mfaResetCancelled",
  mfa_reset_completed: "security.history.event.mfaResetCompleted",
  security_audit: "security.history.event.securityAudit",
  account_frozen: "security.history.event.accountFrozen",
  settings_locked: "security.history.event.settingsLocked",
  settings_unlock_started: "security.history.event.settingsUnlockStarted",
  settings_unlocked: "security.history.event.settingsUnlocked",
  passcode_reset_requested: "security.history.event.passcodeResetRequested",
  recovery_cancelled: "security.history.event.recoveryCancelled",
  mfa_policy_changed: "security.history.event.mfaPolicyChanged",
};

/** Sign-ins are written with how they were made. */
const signInWith: Record<string, CatalogKey> = {
  webauthn_used: "security.history.event.signedInWithPasskey",
  backup_code_used: "security.history.event.signedInWithBackupCode",
  mfa_enrolled: "security.history.event.signedInAndEnrolled",
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
  return Object.hasOwn(sentences, type)
    ? t(sentences[type])
    : t("security.history.other", { type: type.replaceAll("_", " ") });
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
      ? t(
        types.map((type) => signInWith[type]).find(Boolean) ??
          "security.history.event.loginSucceeded",
      )
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
