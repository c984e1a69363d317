/** A message of every kind, with parameters as the service would pass them. */
import type {
  MessageKind,
  MessageParameters,
} from "../../lib/messages/messages.ts";

/** Sample parameters for every kind; a kind added without one fails the test below. */
export const messageSamples: { [K in MessageKind]: MessageParameters[K] } = {
  registration_code: { code: "123456" },
  registration_notice: {},
  account_locked: {
    lockedUntil: Date.parse("2026-01-01T02:00:00.000Z"),
    ip: "203.0.113.9",
  },
  device_verification_code: {
    code: "654321",
    browser: { browser: "Firefox", system: "Linux" },
    ip: "203.0.113.9",
    at: Date.parse("2026-01-01T00:00:00.000Z"),
    validUntil: Date.parse("2026-01-01T00:05:00.000Z"),
  },
  new_login_alert: {
    browser: { browser: "Safari", system: "iOS" },
    ip: null,
    at: Date.parse("2026-01-01T00:00:00.000Z"),
  },
  webauthn_added: {
    device: { kind: "webauthn", addedAt: 0 },
    holdUntil: Date.parse("2026-01-02T00:00:00.000Z"),
  },
  webauthn_clone_suspected: { device: { kind: "webauthn", addedAt: 0 } },
  device_changed: {
    action: "removed",
    device: { kind: "browser", addedAt: 0 },
    holdUntil: null,
  },
  anti_phishing_code_set: {},
  trading_passcode_set: {
    replaced: true,
    holdUntil: Date.parse("2026-01-02T00:00:00.000Z"),
  },
  step_up_locked: {
    lockedUntil: Date.parse("2026-01-01T02:00:00.000Z"),
    ip: null,
  },
  passcode_changed: { holdUntil: Date.parse("2026-01-02T00:00:00.000Z") },
  account_id_change_code: { code: "246810" },
  account_id_change_requested: { newAccountId: "new@example.com" },
  account_id_changed: {
    previousAccountId: "a@example.com",
    newAccountId: "new@example.com",
    holdUntil: Date.parse("2026-01-02T00:00:00.000Z"),
  },
  recovery_code: { code: "135791" },
  recovery_no_account: {},
  passcode_reset: {
    holdUntil: Date.parse("2026-01-02T00:00:00.000Z"),
    unfrozen: true,
  },
  mfa_reset_requested: {
    effectiveAt: Date.parse("2026-01-03T00:00:00.000Z"),
    cancelToken: "c".repeat(43),
  },
  mfa_reset_cancelled: {},
  mfa_reset_completed: { holdUntil: Date.parse("2026-01-02T00:00:00.000Z") },
  mfa_enrolled: {},
  backup_codes_regenerated: {
    holdUntil: Date.parse("2026-01-02T00:00:00.000Z"),
  },
  account_frozen: { holdUntil: Date.parse("2026-01-02T00:00:00.000Z") },
  settings_locked: { unlockDelayDays: 7, countdownCancelled: true },
  settings_unlock_started: {
    unlocksAt: Date.parse("2026-01-08T00:00:00.000Z"),
  },
  settings_unlocked: {},
  passcode_reset_requested: {
    effectiveAt: Date.parse("2026-01-08T00:00:00.000Z"),
    cancelToken: "c".repeat(43),
  },
  recovery_cancelled: {},
  mfa_policy_changed: { phishingResistantOnly: true },
};
