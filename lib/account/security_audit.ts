/**
 * The security audit the guide asks users to run regularly: each check in plain words,
 * `ok`, `warn` or `critical`. Reading it records nothing; the owner opening the
 * checklist is a full audit, recorded as a `security_audit` event at most once a day
 * (a page that loads it on every visit must not fill the history), and the next is due
 * six months after the last recorded one.
 */
import { findAccount } from "../../kv/accounts.ts";
import { listBackupCodes } from "../../kv/backup_codes.ts";
import { listRecognisedBrowsers } from "../../kv/recognised_devices.ts";
import { listSecurityEvents } from "../../kv/security_events.ts";
import { readLastAudit, recordAudit } from "../../kv/security_audits.ts";
import { withRetry } from "../../kv/retry.ts";
import { findTotpCredential } from "../../kv/totp_credentials.ts";
import { findMfaReset } from "../../kv/mfa_resets.ts";
import { findTradingPasscode } from "../../kv/trading_passcodes.ts";
import { listWebauthnCredentials } from "../../kv/webauthn_credentials.ts";
import type { Deps, RequestOrigin } from "../deps.ts";
import { securityEvent } from "../security_event.ts";
import { ApiError } from "../runtime/errors.ts";
import { lockInForce } from "../safeguards/settings_lock.ts";
import { isPhishingResistantOnly } from "../safeguards/phishing_resistant.ts";
import { findDelayedRecovery } from "../../kv/delayed_recoveries.ts";

const dayMs = 24 * 60 * 60 * 1000;
/** API.md: a passcode older than 180 days is worth changing. */
const passcodeMaxAgeDays = 180;
/** API.md: a trusted device unused for 90 days should be reviewed. */
const deviceIdleDays = 90;
/** Failures in the last 30 days are reported. */
const recentFailureDays = 30;
/** The next audit is due six months after the last. */
const auditIntervalDays = 182;
/** An audit is recorded at most once a day, however often the checklist is opened. */
const auditRecordIntervalDays = 1;

/**
 * What a check found, as values, so a page can say it in its own language (`detail`
 * is the API's English sentence).
 */
export interface AuditFacts {
  /** Backup codes left; failed attempts. */
  count?: number;
  /** The passcode's age; the idle and failure windows; the lock's unlock delay. */
  days?: number;
  /** When a pending recovery takes effect, or a settings unlock completes. */
  at?: string;
  /** The trusted devices not used for `days` days, by their names. */
  devices?: string[];
  /** What a pending recovery does: remove the authenticator, or reset the passcode. */
  recovery?: "authenticator" | "passcode";
  /** Whether only passkeys confirm it is the owner (`mfa_policy`). */
  passkeysOnly?: boolean;
}

/** One check of the audit. */
export interface AuditCheck {
  id: string;
  status: "ok" | "warn" | "critical";
  detail: string;
  facts?: AuditFacts;
}

/** Events that count as failed attempts in the `recent_failures` check. */
const failureEventTypes = new Set([
  "login_failed",
  "step_up_failed",
  "confirmation_failed",
]);

/** The audit's answer: the checks, when the last recorded one was, when the next is due. */
export interface SecurityAudit {
  checks: AuditCheck[];
  /** Now when no audit was ever recorded (or the last is six months old). */
  nextAuditDue: string;
  lastAuditAt: string | null;
}

/**
 * Runs the audit. With `record` (the owner opened the checklist) it is recorded, unless
 * one was recorded within the last day.
 */
export async function runSecurityAudit(
  deps: Deps,
  accountUuid: string,
  origin: RequestOrigin,
  options: { record: boolean },
): Promise<SecurityAudit> {
  const now = deps.clock.now();
  const account = await findAccount(deps.kv, accountUuid);
  if (!account) throw new ApiError("session_revoked");
  const [
    totp,
    backupCodes,
    trading,
    credentials,
    browsers,
    events,
    reset,
    delayedReset,
  ] = await Promise
    .all([
      findTotpCredential(deps.kv, accountUuid),
      listBackupCodes(deps.kv, accountUuid),
      findTradingPasscode(deps.kv, accountUuid),
      listWebauthnCredentials(deps.kv, accountUuid),
      listRecognisedBrowsers(deps.kv, accountUuid),
      listSecurityEvents(deps.kv, accountUuid, {
        limit: 200,
        notBefore: now - recentFailureDays * dayMs,
      }),
      findMfaReset(deps.kv, accountUuid),
      findDelayedRecovery(deps.kv, accountUuid),
    ]);
  const lock = lockInForce(account.value, now);
  const passcodeAgeDays = Math.floor(
    (now - account.value.passcodeChangedAt) / dayMs,
  );
  const idleDevices = [
    ...credentials.map((c) => ({
      name: c.name,
      last: c.lastUsedAt ?? c.createdAt,
    })),
    ...browsers.map((b) => ({ name: b.name, last: b.lastSeenAt })),
  ].filter((device) => now - device.last > deviceIdleDays * dayMs);
  const failures =
    events.events.filter((event) => failureEventTypes.has(event.type)).length;

  const checks: AuditCheck[] = [
    totp
      ? {
        id: "mfa",
        status: "ok",
        detail: "An authenticator app protects your sign-in.",
      }
      : {
        id: "mfa",
        status: "critical",
        detail: "Set up an authenticator app.",
      },
    backupCodes.length >= 3
      ? {
        id: "backup_codes",
        status: "ok",
        detail: `${backupCodes.length} unused backup codes are left.`,
        facts: { count: backupCodes.length },
      }
      : {
        id: "backup_codes",
        status: "warn",
        detail:
          `Only ${backupCodes.length} backup codes are left: make new ones and keep them offline.`,
        facts: { count: backupCodes.length },
      },
    passcodeAgeDays > passcodeMaxAgeDays
      ? {
        id: "passcode_age",
        status: "warn",
        detail:
          `Your passcode is ${passcodeAgeDays} days old: consider changing it.`,
        facts: { days: passcodeAgeDays },
      }
      : {
        id: "passcode_age",
        status: "ok",
        detail: `Your passcode was set ${passcodeAgeDays} days ago.`,
        facts: { days: passcodeAgeDays },
      },
    account.value.antiPhishingCode
      ? {
        id: "anti_phishing_code",
        status: "ok",
        detail: "Our messages carry your anti-phishing code.",
      }
      : {
        id: "anti_phishing_code",
        status: "warn",
        detail:
          "Set an anti-phishing code so you can tell our messages from fakes.",
      },
    trading
      ? {
        id: "trading_passcode",
        status: "ok",
        detail: "Withdrawals, API keys and trades need your trading passcode.",
      }
      : {
        id: "trading_passcode",
        status: "critical",
        detail:
          "Set a trading passcode to protect withdrawals, API keys and trades.",
      },
    idleDevices.length > 0
      ? {
        id: "trusted_devices",
        status: "warn",
        detail: `Unused for ${deviceIdleDays} days: ${
          idleDevices.map((device) => device.name).join(", ")
        }. Remove what you no longer use.`,
        facts: {
          days: deviceIdleDays,
          devices: idleDevices.map((device) => device.name),
        },
      }
      : {
        id: "trusted_devices",
        status: "ok",
        detail: "Every trusted device was used recently.",
      },
    failures > 0
      ? {
        id: "recent_failures",
        status: "warn",
        detail:
          `${failures} failed sign-in, step-up or confirmation attempts in the last ${recentFailureDays} days.`,
        facts: { count: failures, days: recentFailureDays },
      }
      : {
        id: "recent_failures",
        status: "ok",
        detail: `No failed attempts in the last ${recentFailureDays} days.`,
        facts: { count: 0, days: recentFailureDays },
      },
    reset
      ? {
        id: "pending_recovery",
        status: "critical",
        detail:
          `A recovery request will remove your authenticator on ${
            new Date(reset.value.effectiveAt).toISOString()
          }. If it was not you, sign in again with your authenticator app, a passkey ` +
          "or a backup code to cancel it, and change your passcode.",
        facts: {
          at: new Date(reset.value.effectiveAt).toISOString(),
          recovery: "authenticator",
        },
      }
      : delayedReset
      ? {
        id: "pending_recovery",
        status: "critical",
        detail: `A recovery request will reset your passcode on ${
          new Date(delayedReset.value.effectiveAt).toISOString()
        }. If it was not you, cancel it with the link in our message.`,
        facts: {
          at: new Date(delayedReset.value.effectiveAt).toISOString(),
          recovery: "passcode",
        },
      }
      : {
        id: "pending_recovery",
        status: "ok",
        detail: "No recovery of your account is pending.",
      },
    lock === null
      ? {
        id: "settings_lock",
        status: "warn",
        detail:
          "Your security settings are not locked: lock them so that changing them takes a delay you choose.",
      }
      : lock.unlocksAt !== null
      ? {
        id: "settings_lock",
        status: "warn",
        detail: `Your security settings unlock on ${
          new Date(lock.unlocksAt).toISOString()
        }. If you did not ask for that, lock them again.`,
        facts: { at: new Date(lock.unlocksAt).toISOString() },
      }
      : {
        id: "settings_lock",
        status: "ok",
        detail:
          `Your security settings are locked; unlocking them takes ${lock.unlockDelayDays} days.`,
        facts: { days: lock.unlockDelayDays },
      },
    isPhishingResistantOnly(account.value)
      ? {
        id: "mfa_policy",
        status: "ok",
        detail:
          "Only passkeys confirm it is you: app codes and backup codes are switched off.",
        facts: { passkeysOnly: true },
      }
      : {
        id: "mfa_policy",
        status: credentials.length >= 2 ? "warn" : "ok",
        detail: credentials.length >= 2
          ? "You have passkeys: switch app codes and backup codes off, so a phishing site cannot use them."
          : "App codes, backup codes and passkeys confirm it is you. With two passkeys you can allow passkeys only.",
        facts: { passkeysOnly: false },
      },
  ];
  const lastAuditAt = await withRetry(async (retry) => {
    const last = await readLastAudit(deps.kv, accountUuid);
    const recent = last.value !== null &&
      now - last.value.at < auditRecordIntervalDays * dayMs;
    if (!options.record || recent) return last.value?.at ?? null;
    // The audit itself is part of the history: "when did I last review this?"
    const event = securityEvent(deps, "security_audit", origin);
    return await recordAudit(deps.kv, last, accountUuid, event)
      ? event.at
      : retry;
  });
  return {
    checks,
    nextAuditDue: new Date(
      lastAuditAt === null ? now : lastAuditAt + auditIntervalDays * dayMs,
    ).toISOString(),
    lastAuditAt: lastAuditAt === null
      ? null
      : new Date(lastAuditAt).toISOString(),
  };
}
