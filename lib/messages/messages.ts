/**
 * Every message the service sends, composed in one place so the anti-phishing code
 * always stands where API.md fixes it: the first line of the body and, for e-mail, the
 * end of the subject. Without a code the first line asks the owner to set one.
 */

import type { Message } from "../../kv/outbox.ts";
import {
  type BrowserDescription,
  browserLabel,
} from "../runtime/browser_description.ts";

export type { Message };

/**
 * A trusted device as a message names it: what it is and when it was added. Never by
 * the name it was given, which anybody with a session can set to any words.
 */
export interface DeviceReference {
  kind: "webauthn" | "browser";
  addedAt: number;
}

/** What each message kind needs to say. */
export interface MessageParameters {
  registration_code: { code: string };
  registration_notice: Record<string, never>;
  account_locked: { lockedUntil: string; ip: string | null };
  device_verification_code: {
    code: string;
    browser: BrowserDescription;
    ip: string | null;
    at: string;
    /** When the login (and with it the code) expires, ms since the epoch. */
    validUntil: number;
  };
  new_login_alert: {
    browser: BrowserDescription;
    ip: string | null;
    at: string;
  };
  webauthn_added: { device: DeviceReference; holdUntil: number };
  webauthn_clone_suspected: { device: DeviceReference };
  device_changed: {
    action: "renamed" | "removed";
    device: DeviceReference;
    /** The end of the withdrawal hold a removed passkey starts, or null. */
    holdUntil: number | null;
  };
  anti_phishing_code_set: Record<string, never>;
  /** Replacing one (not setting the first) holds withdrawals. */
  trading_passcode_set: { replaced: boolean; holdUntil: number | null };
  step_up_locked: { lockedUntil: string; ip: string | null };
  passcode_changed: { holdUntil: number };
  account_id_change_code: { code: string };
  account_id_change_requested: { newAccountId: string };
  account_id_changed: {
    previousAccountId: string;
    newAccountId: string;
    holdUntil: number;
  };
  recovery_code: { code: string };
  recovery_no_account: Record<string, never>;
  passcode_reset: { holdUntil: number; unfrozen: boolean };
  mfa_reset_requested: { effectiveAt: string; cancelToken: string };
  mfa_reset_cancelled: Record<string, never>;
  mfa_reset_completed: { holdUntil: number };
  mfa_enrolled: Record<string, never>;
  backup_codes_regenerated: { holdUntil: number };
  account_frozen: { holdUntil: number };
  settings_locked: { unlockDelayDays: number; countdownCancelled: boolean };
  settings_unlock_started: { unlocksAt: string };
  settings_unlocked: Record<string, never>;
  passcode_reset_requested: { effectiveAt: string; cancelToken: string };
  recovery_cancelled: Record<string, never>;
  mfa_policy_changed: { phishingResistantOnly: boolean };
}

/** Every message kind. */
export type MessageKind = keyof MessageParameters;

type Template<K extends MessageKind> = (
  parameters: MessageParameters[K],
  context: { appOrigin: string },
) => { subject: string; lines: string[] };

const months = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(" ");

/** "the passkey added on 28 Nov 2026" (the day in UTC, as every time in a message). */
function deviceLabel({ kind, addedAt }: DeviceReference): string {
  const day = new Date(addedAt);
  const date = `${day.getUTCDate()} ${
    months[day.getUTCMonth()]
  } ${day.getUTCFullYear()}`;
  return kind === "webauthn"
    ? `the passkey added on ${date}`
    : `the browser first recognised on ${date}`;
}

/**
 * "29 Nov 2026, 14:05 UTC": a moment to the minute, rounded `down` (a deadline is not
 * shown later than it is) or `up` (the end of a hold is not shown sooner).
 */
export function utcMinute(ms: number, rounding: "down" | "up"): string {
  const minuteMs = 60 * 1000;
  const round = rounding === "down" ? Math.floor : Math.ceil;
  const at = new Date(round(ms / minuteMs) * minuteMs);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${at.getUTCDate()} ${
    months[at.getUTCMonth()]
  } ${at.getUTCFullYear()}, ${two(at.getUTCHours())}:${
    two(at.getUTCMinutes())
  } UTC`;
}

/** What every change that holds withdrawals says about it. */
const holdLine = (holdUntil: number) =>
  `Withdrawals are paused until ${utcMinute(holdUntil, "up")}.`;

const capitalised = (text: string) => text[0].toUpperCase() + text.slice(1);

const neverShare =
  "Never share this code. Our staff will never ask you for it, by phone, chat or e-mail.";

/** The link that cancels a delayed recovery. */
const cancelLink = (appOrigin: string, token: string) =>
  `${appOrigin}/recovery/cancel?token=${token}`;

const templates: { [K in MessageKind]: Template<K> } = {
  registration_code: ({ code }, { appOrigin }) => ({
    subject: "Your verification code",
    lines: [
      `Your verification code is ${code}. It is valid for 10 minutes.`,
      neverShare,
      `Only enter it at ${appOrigin}/register.`,
    ],
  }),
  registration_notice: (_parameters, { appOrigin }) => ({
    subject: "Someone tried to register with your address",
    lines: [
      "Somebody tried to register your address for an account, but it already has one.",
      "If it was you, log in instead; if you forgot your passcode, recover it at " +
      `${appOrigin}/recover.`,
      "If it was not you, no action is needed: your account is unchanged.",
    ],
  }),
  account_locked: ({ lockedUntil, ip }, { appOrigin }) => ({
    subject: "Your account is locked after 5 failed sign-in attempts",
    lines: [
      `After 5 wrong passcodes or codes${
        ip ? ` (the last from ${ip})` : ""
      }, sign-in is locked until ${lockedUntil} (UTC).`,
      "Browsers you have signed in with before keep working.",
      "If this was not you, somebody knows or is guessing your account ID: " +
      `change your passcode at ${appOrigin}/security once you are signed in.`,
    ],
  }),
  device_verification_code: (
    { code, browser, ip, at, validUntil },
    { appOrigin },
  ) => ({
    subject: "Confirm a sign-in from a new device or network",
    lines: [
      `Someone signed in with your passcode from ${browserLabel(browser)}${
        ip ? ` at ${ip}` : ""
      } on ${at} (UTC).`,
      `If it was you, enter ${code} at ${appOrigin}/login. It is valid until ${
        utcMinute(validUntil, "down")
      }.`,
      neverShare,
      "If it was not you, do not enter the code, and change your passcode now: " +
      "somebody knows it.",
    ],
  }),
  new_login_alert: ({ browser, ip, at }, { appOrigin }) => ({
    subject: "New sign-in to your account",
    lines: [
      `Your account was signed in to from ${browserLabel(browser)}${
        ip ? ` at ${ip}` : ""
      } on ${at} (UTC), a device or network not used before.`,
      `If it was not you, revoke the session at ${appOrigin}/security and change ` +
      "your passcode at once.",
    ],
  }),
  webauthn_added: ({ device, holdUntil }, { appOrigin }) => ({
    subject: "A passkey was added to your account",
    lines: [
      `${capitalised(deviceLabel(device))} can now complete your sign-in.`,
      holdLine(holdUntil),
      `If you did not add it, remove it at ${appOrigin}/security and change your ` +
      "passcode at once.",
    ],
  }),
  webauthn_clone_suspected: ({ device }, { appOrigin }) => ({
    subject: "A passkey of yours may have been copied",
    lines: [
      `A sign-in with ${
        deviceLabel(device)
      } showed a signature counter that went ` +
      "backwards, which is what a cloned authenticator does. The sign-in was refused.",
      `Remove that key at ${appOrigin}/security and register it again, or replace it.`,
    ],
  }),
  device_changed: ({ action, device, holdUntil }, { appOrigin }) => ({
    subject: action === "removed"
      ? "A trusted device was removed from your account"
      : "A trusted device of your account was renamed",
    lines: [
      action === "removed"
        ? `${
          capitalised(deviceLabel(device))
        } is no longer trusted: it needs full verification to sign in again.`
        : `${capitalised(deviceLabel(device))} was renamed.`,
      ...(holdUntil === null ? [] : [holdLine(holdUntil)]),
      `If you did not do this, review your devices at ${appOrigin}/security and change ` +
      "your passcode.",
    ],
  }),
  anti_phishing_code_set: (_parameters, { appOrigin }) => ({
    subject: "Your anti-phishing code was changed",
    lines: [
      "From now on every message from us starts with the code above. A message " +
      "without it, or with another one, is not from us: do not click its links.",
      `If you did not change it, sign in at ${appOrigin}/security and change your ` +
      "passcode.",
    ],
  }),
  trading_passcode_set: ({ replaced, holdUntil }, { appOrigin }) => ({
    subject: replaced
      ? "Your trading passcode was changed"
      : "Your trading passcode was set",
    lines: [
      "A new trading passcode now authorises withdrawals, API keys and trades.",
      ...(holdUntil === null ? [] : [holdLine(holdUntil)]),
      `If you did not set it, sign in at ${appOrigin}/security at once and change ` +
      "your passcode.",
    ],
  }),
  step_up_locked: ({ lockedUntil, ip }, { appOrigin }) => ({
    subject:
      "Withdrawals and trades are locked after 5 wrong trading passcodes",
    lines: [
      `A signed-in session entered 5 wrong trading passcodes${
        ip ? ` (the last from ${ip})` : ""
      }; withdrawals, API keys and trades are locked until ${lockedUntil} (UTC).`,
      `If this was not you, somebody is signed in to your account: sign in at ${appOrigin}/security, ` +
      "end the other sessions and change your passcode at once.",
    ],
  }),
  passcode_changed: ({ holdUntil }, { appOrigin }) => ({
    subject: "Your passcode was changed",
    lines: [
      "Your passcode was changed. Every other session was signed out.",
      holdLine(holdUntil),
      `If you did not change it, recover your account at ${appOrigin}/recover now.`,
    ],
  }),
  account_id_change_code: ({ code }, { appOrigin }) => ({
    subject: "Confirm your new account ID",
    lines: [
      `To make this address your account ID, enter ${code} at ${appOrigin}/security. ` +
      "It is valid for 10 minutes.",
      neverShare,
      "If you did not ask for this, ignore this message: nothing changes without the code.",
    ],
  }),
  account_id_change_requested: ({ newAccountId }, { appOrigin }) => ({
    subject: "A change of your account ID was requested",
    lines: [
      `Somebody signed in to your account asked to change its ID to ${newAccountId}.`,
      "It changes only when the code sent there is entered.",
      `If this was not you, sign in at ${appOrigin}/security, end the other sessions ` +
      "and change your passcode at once.",
    ],
  }),
  account_id_changed: (
    { previousAccountId, newAccountId, holdUntil },
    { appOrigin },
  ) => ({
    subject: "Your account ID was changed",
    lines: [
      `The account ID changed from ${previousAccountId} to ${newAccountId}. Other ` +
      "sessions were signed out.",
      holdLine(holdUntil),
      `If you did not do this, contact support through ${appOrigin} at once.`,
    ],
  }),
  recovery_code: ({ code }, { appOrigin }) => ({
    subject: "Your account recovery code",
    lines: [
      `Your recovery code is ${code}. It is valid for 10 minutes.`,
      neverShare,
      `Only enter it at ${appOrigin}/recover.`,
      "If you did not ask to recover your account, ignore this message: nothing " +
      "changes without the code and your second factor.",
    ],
  }),
  recovery_no_account: (_parameters, { appOrigin }) => ({
    subject: "Account recovery: no account uses this address",
    lines: [
      "Somebody asked to recover an account with this address, but no account " +
      "uses it.",
      "If it was you, you may have registered with another e-mail address or " +
      `phone number: try that one at ${appOrigin}/recover, or register at ` +
      `${appOrigin}/register.`,
      "If it was not you, ignore this message: nothing was changed.",
    ],
  }),
  passcode_reset: ({ holdUntil, unfrozen }, { appOrigin }) => ({
    subject: "Your passcode was reset",
    lines: [
      "Your passcode was reset with a recovery code and your second factor. Every " +
      "session was signed out." +
      (unfrozen ? " Your account is no longer frozen." : ""),
      holdLine(holdUntil),
      `If you did not do this, recover your account at ${appOrigin}/recover now.`,
    ],
  }),
  mfa_reset_requested: ({ effectiveAt, cancelToken }, { appOrigin }) => ({
    subject: "Your authenticator will be removed after a waiting period",
    lines: [
      "Somebody with a recovery code asked to remove your authenticator app and set a " +
      `new passcode. This takes effect on ${effectiveAt} (UTC).`,
      `If this was not you, sign in at ${appOrigin}/login with your current passcode ` +
      "and authenticator code, passkey or backup code before then: that cancels it. " +
      `Or cancel it here: ${cancelLink(appOrigin, cancelToken)}`,
    ],
  }),
  mfa_reset_cancelled: (_parameters, { appOrigin }) => ({
    subject: "The removal of your authenticator was cancelled",
    lines: [
      "A sign-in with your second factor cancelled the pending removal of your " +
      "authenticator. Your passcode and authenticator stay as they were.",
      `If you did not ask for the removal, change your passcode at ${appOrigin}/security: ` +
      "somebody could read your messages.",
    ],
  }),
  mfa_reset_completed: ({ holdUntil }, { appOrigin }) => ({
    subject: "Your authenticator was removed",
    lines: [
      "After the 48-hour wait your authenticator app and backup codes were removed and " +
      "the new passcode took effect. Every session was signed out.",
      holdLine(holdUntil),
      `Your next sign-in at ${appOrigin}/login sets up a new authenticator app.`,
    ],
  }),
  mfa_enrolled: (_parameters, { appOrigin }) => ({
    subject: "An authenticator app was set up for your account",
    lines: [
      "From now on an authenticator app completes your sign-in, and ten new backup " +
      "codes replace any earlier ones.",
      `If you did not set it up, recover your account at ${appOrigin}/recover now: ` +
      "somebody knows your passcode.",
    ],
  }),
  backup_codes_regenerated: ({ holdUntil }, { appOrigin }) => ({
    subject: "New backup codes were made for your account",
    lines: [
      "Ten new backup codes replace the old ones, which no longer work.",
      holdLine(holdUntil),
      `If you did not do this, somebody is signed in to your account: sign in at ${appOrigin}/security, ` +
      "end the other sessions and change your passcode at once.",
    ],
  }),
  account_frozen: ({ holdUntil }, { appOrigin }) => ({
    subject: "Your account is frozen",
    lines: [
      "Your account was frozen from the link in one of our messages. Every session was " +
      "signed out, and pending recoveries and account-ID changes were cancelled. " +
      "Nobody can sign in, step up or change anything.",
      holdLine(holdUntil),
      `To unfreeze it, recover it at ${appOrigin}/recover with a code sent to this ` +
      "address and your second factor, and choose a new passcode.",
    ],
  }),
  settings_locked: (
    { unlockDelayDays, countdownCancelled },
    { appOrigin },
  ) => ({
    subject: "Your security settings are locked",
    lines: [
      "Your passcode, account ID, trading passcode, anti-phishing code, passkeys, " +
      "browsers, backup codes and two-factor policy can no longer be changed. " +
      `Unlocking them takes ${unlockDelayDays} ${
        unlockDelayDays === 1 ? "day" : "days"
      }, announced at once.` +
      (countdownCancelled ? " The unlock countdown was cancelled." : ""),
      `If you did not lock them, sign in at ${appOrigin}/security and review your ` +
      "sessions.",
    ],
  }),
  settings_unlock_started: ({ unlocksAt }, { appOrigin }) => ({
    subject: "Your security settings will unlock",
    lines: [
      `Somebody signed in to your account asked to unlock your security settings. ` +
      `They unlock on ${unlocksAt} (UTC).`,
      `If this was not you, sign in at ${appOrigin}/security and lock them again ` +
      "before then: that cancels it.",
    ],
  }),
  settings_unlocked: (_parameters, { appOrigin }) => ({
    subject: "Your security settings are unlocked",
    lines: [
      "The unlock countdown is over: your security settings can be changed again.",
      `If you did not ask for this, sign in at ${appOrigin}/security and lock them ` +
      "again.",
    ],
  }),
  passcode_reset_requested: ({ effectiveAt, cancelToken }, { appOrigin }) => ({
    subject: "Your passcode will be reset after your lock's delay",
    lines: [
      "Somebody with a recovery code and your second factor asked to reset your " +
      "passcode. Your security settings are locked, so this takes effect only on " +
      `${effectiveAt} (UTC).`,
      `If this was not you, cancel it here: ${
        cancelLink(appOrigin, cancelToken)
      }`,
    ],
  }),
  recovery_cancelled: (_parameters, { appOrigin }) => ({
    subject: "A recovery of your account was cancelled",
    lines: [
      "The link in our message cancelled the pending recovery of your account. Your " +
      "passcode and second factors stay as they were.",
      `If you still need to recover your account, start again at ${appOrigin}/recover.`,
    ],
  }),
  mfa_policy_changed: ({ phishingResistantOnly }, { appOrigin }) => ({
    subject: phishingResistantOnly
      ? "Only passkeys can now confirm it is you"
      : "App codes and backup codes work again",
    lines: [
      phishingResistantOnly
        ? "Sign-in and security changes now take a passkey; codes from your " +
          "authenticator app and backup codes no longer work."
        : "Codes from your authenticator app and backup codes work again for " +
          "sign-in and security changes, besides your passkeys.",
      `If you did not do this, sign in at ${appOrigin}/security and change your ` +
      "passcode at once.",
    ],
  }),
};

/**
 * The kinds about a sign-in, a new device or network, a lock, or a security change:
 * their last line is the freeze link ("this wasn't me"). Codes the owner asked for, and
 * messages to an address that is not (yet) the account's, carry none.
 */
const freezeLinkKinds: ReadonlySet<MessageKind> = new Set<MessageKind>([
  "account_locked",
  "device_verification_code",
  "new_login_alert",
  "webauthn_added",
  "webauthn_clone_suspected",
  "device_changed",
  "anti_phishing_code_set",
  "trading_passcode_set",
  "step_up_locked",
  "passcode_changed",
  "account_id_change_requested",
  "account_id_changed",
  "passcode_reset",
  "mfa_reset_requested",
  "mfa_reset_cancelled",
  "mfa_reset_completed",
  "mfa_enrolled",
  "backup_codes_regenerated",
  "settings_locked",
  "settings_unlock_started",
  "settings_unlocked",
  "passcode_reset_requested",
  "recovery_cancelled",
  "mfa_policy_changed",
]);

/** Whether messages of this kind carry the freeze link. */
export function carriesFreezeLink(kind: MessageKind): boolean {
  return freezeLinkKinds.has(kind);
}

/** The freeze link's line (API.md, Freeze). */
function freezeLine(appOrigin: string, token: string): string {
  return "If this was not you, freeze your account at once: " +
    `${appOrigin}/freeze?token=${token} (the link works once, for 7 days).`;
}

/** All message kinds, for tests that must cover every one. */
export const messageKinds = Object.keys(templates) as MessageKind[];

/** The first line of every message. */
export function antiPhishingLine(
  antiPhishingCode: string | null,
  appOrigin: string,
): string {
  return antiPhishingCode
    ? `Anti-phishing code: ${antiPhishingCode}`
    : `You have not set an anti-phishing code. Set one at ${appOrigin}/security so you can tell our messages from fakes.`;
}

/** Composes a message of one kind for one recipient. */
export function composeMessage<K extends MessageKind>(
  kind: K,
  parameters: MessageParameters[K],
  recipient: {
    id: string;
    channel: "email" | "sms";
    to: string;
    antiPhishingCode: string | null;
    createdAt: number;
    /** The freeze link's token, for the kinds that carry one ({@link carriesFreezeLink}). */
    freezeToken?: string;
  },
  appOrigin: string,
): Message {
  const template = templates[kind] as Template<K>;
  const { subject, lines } = template(parameters, { appOrigin });
  if (carriesFreezeLink(kind)) {
    if (!recipient.freezeToken) {
      throw new TypeError(`A ${kind} message needs a freeze link token`);
    }
    lines.push(freezeLine(appOrigin, recipient.freezeToken));
  }
  const suffix = recipient.channel === "email" && recipient.antiPhishingCode
    ? ` [${recipient.antiPhishingCode}]`
    : "";
  return {
    id: recipient.id,
    kind,
    channel: recipient.channel,
    to: recipient.to,
    subject: subject + suffix,
    text: [
      antiPhishingLine(recipient.antiPhishingCode, appOrigin),
      "",
      ...lines,
    ]
      .join("\n"),
    createdAt: recipient.createdAt,
  };
}
