/**
 * Every message the service sends, composed in one place so the anti-phishing code
 * always stands where API.md fixes it: the first line of the body (of both parts of an
 * e-mail) and, for e-mail, the end of the subject. Without a code the first line asks
 * the owner to set one. Every word comes from the language catalog (lib/i18n), in the
 * recipient's language; times are written in UTC as people of that language write
 * them. Nothing a request carried appears as free text (API.md, Messages).
 */

import type { Message } from "../../kv/outbox.ts";
import type { BrowserDescription } from "../runtime/browser_description.ts";
import type { Language } from "../i18n/languages.ts";
import {
  type CatalogKey,
  type MessageValues,
  type Translator,
  translator,
} from "../i18n/translator.ts";
import { renderEmailHtml } from "./email_html.tsx";

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
  account_locked: { lockedUntil: number; ip: string | null };
  device_verification_code: {
    code: string;
    browser: BrowserDescription;
    ip: string | null;
    at: number;
    /** When the login (and with it the code) expires, ms since the epoch. */
    validUntil: number;
  };
  new_login_alert: {
    browser: BrowserDescription;
    ip: string | null;
    at: number;
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
  step_up_locked: { lockedUntil: number; ip: string | null };
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
  mfa_reset_requested: { effectiveAt: number; cancelToken: string };
  mfa_reset_cancelled: Record<string, never>;
  mfa_reset_completed: { holdUntil: number };
  mfa_enrolled: Record<string, never>;
  backup_codes_regenerated: { holdUntil: number };
  account_frozen: { holdUntil: number };
  settings_locked: { unlockDelayDays: number; countdownCancelled: boolean };
  settings_unlock_started: { unlocksAt: number };
  settings_unlocked: Record<string, never>;
  passcode_reset_requested: { effectiveAt: number; cancelToken: string };
  recovery_cancelled: Record<string, never>;
  mfa_policy_changed: { phishingResistantOnly: boolean };
}

/** Every message kind. */
export type MessageKind = keyof MessageParameters;

/** What a template writes with: the recipient's language and the service's addresses. */
interface TemplateContext {
  language: Language;
  t: Translator["t"];
  /** An address of this service: `url("/login")`. */
  url(path: string): string;
  /** A moment to the minute in UTC, rounded `down` (a deadline) or `up` (a hold's end). */
  time(ms: number, rounding?: "down" | "up"): string;
  /** A day in UTC. */
  day(ms: number): string;
}

/** What a template makes: the subject, the paragraphs, and the code they name, if any. */
interface Composed {
  subject: string;
  lines: string[];
  code?: string;
}

type Template<K extends MessageKind> = (
  parameters: MessageParameters[K],
  context: TemplateContext,
) => Composed;

/** `ms` rounded to its minute, `down` or `up`. */
export function minuteRounded(ms: number, rounding: "down" | "up"): number {
  const minuteMs = 60 * 1000;
  return (rounding === "down" ? Math.floor : Math.ceil)(ms / minuteMs) *
    minuteMs;
}

/**
 * "29 Nov 2026, 14:05 UTC" in English: a moment to the minute, rounded `down` (a
 * deadline is not shown later than it is) or `up` (the end of a hold is not shown
 * sooner). For the API's English details; messages write it in their own language.
 */
export function utcMinute(ms: number, rounding: "down" | "up"): string {
  return translator("en").utcDateTime(minuteRounded(ms, rounding));
}

/** The first letter upper-cased, as the language has it (a label opening a sentence). */
const capitalised = (text: string, language: Language) =>
  text.charAt(0).toLocaleUpperCase(language) + text.slice(1);

/** "the passkey added on 28 Nov 2026" (the day in UTC, as every time in a message). */
function deviceLabel(
  { kind, addedAt }: DeviceReference,
  context: TemplateContext,
): string {
  return context.t(
    kind === "webauthn" ? "message.device.webauthn" : "message.device.browser",
    { date: context.day(addedAt) },
  );
}

/** "Chrome on Windows": names from the parser's allow-lists, or "an unknown …". */
function browserLabel(
  { browser, system }: BrowserDescription,
  { t }: TemplateContext,
): string {
  return t("message.browser", {
    browser: browser ?? t("message.browser.unknown"),
    system: system ?? t("message.system.unknown"),
  });
}

/** An optional address for ICU's `select`: "none" when there is none. */
const ipValue = (ip: string | null) => ip ?? "none";

/** A kind's subject and numbered lines, with the values each takes. */
function lines(
  kind: MessageKind,
  context: TemplateContext,
  values: MessageValues,
  count: number,
): string[] {
  return Array.from(
    { length: count },
    (_, i) => context.t(`message.${kind}.${i + 1}` as CatalogKey, values),
  );
}

const subject = (
  kind: MessageKind,
  context: TemplateContext,
  values: MessageValues = {},
) => context.t(`message.${kind}.subject` as CatalogKey, values);

const holdLine = (holdUntil: number | null, context: TemplateContext) =>
  holdUntil === null
    ? []
    : [context.t("message.hold", { time: context.time(holdUntil, "up") })];

const neverShare = (context: TemplateContext) =>
  context.t("message.neverShare");

/** The link that cancels a delayed recovery. */
const cancelUrl = (context: TemplateContext, token: string) =>
  context.url(`/recovery/cancel?token=${token}`);

const templates: { [K in MessageKind]: Template<K> } = {
  registration_code: ({ code }, c) => {
    const [first, onlyAt] = lines("registration_code", c, {
      code,
      url: c.url("/register"),
    }, 2);
    return {
      subject: subject("registration_code", c),
      lines: [first, neverShare(c), onlyAt],
      code,
    };
  },
  registration_notice: (_p, c) => ({
    subject: subject("registration_notice", c),
    lines: lines("registration_notice", c, { url: c.url("/recover") }, 3),
  }),
  account_locked: ({ lockedUntil, ip }, c) => ({
    subject: subject("account_locked", c),
    lines: lines("account_locked", c, {
      ip: ipValue(ip),
      time: c.time(lockedUntil, "up"),
      url: c.url("/security"),
    }, 3),
  }),
  device_verification_code: ({ code, browser, ip, at, validUntil }, c) => {
    const [seen, enter, ifNot] = lines("device_verification_code", c, {
      browser: browserLabel(browser, c),
      ip: ipValue(ip),
      time: c.time(at, "down"),
      code,
      url: c.url("/login"),
      until: c.time(validUntil, "down"),
    }, 3);
    return {
      subject: subject("device_verification_code", c),
      lines: [seen, enter, neverShare(c), ifNot],
      code,
    };
  },
  new_login_alert: ({ browser, ip, at }, c) => ({
    subject: subject("new_login_alert", c),
    lines: lines("new_login_alert", c, {
      browser: browserLabel(browser, c),
      ip: ipValue(ip),
      time: c.time(at, "down"),
      url: c.url("/security"),
    }, 2),
  }),
  webauthn_added: ({ device, holdUntil }, c) => {
    const [added, ifNot] = lines("webauthn_added", c, {
      device: capitalised(deviceLabel(device, c), c.language),
      url: c.url("/security"),
    }, 2);
    return {
      subject: subject("webauthn_added", c),
      lines: [added, ...holdLine(holdUntil, c), ifNot],
    };
  },
  webauthn_clone_suspected: ({ device }, c) => ({
    subject: subject("webauthn_clone_suspected", c),
    lines: lines("webauthn_clone_suspected", c, {
      device: deviceLabel(device, c),
      url: c.url("/security"),
    }, 2),
  }),
  device_changed: ({ action, device, holdUntil }, c) => {
    const [changed, ifNot] = lines("device_changed", c, {
      action,
      device: capitalised(deviceLabel(device, c), c.language),
      url: c.url("/security"),
    }, 2);
    return {
      subject: subject("device_changed", c, { action }),
      lines: [changed, ...holdLine(holdUntil, c), ifNot],
    };
  },
  anti_phishing_code_set: (_p, c) => ({
    subject: subject("anti_phishing_code_set", c),
    lines: lines("anti_phishing_code_set", c, { url: c.url("/security") }, 2),
  }),
  trading_passcode_set: ({ replaced, holdUntil }, c) => {
    const [set, ifNot] = lines("trading_passcode_set", c, {
      url: c.url("/security"),
    }, 2);
    return {
      subject: subject("trading_passcode_set", c, {
        replaced: String(replaced),
      }),
      lines: [set, ...holdLine(holdUntil, c), ifNot],
    };
  },
  step_up_locked: ({ lockedUntil, ip }, c) => ({
    subject: subject("step_up_locked", c),
    lines: lines("step_up_locked", c, {
      ip: ipValue(ip),
      time: c.time(lockedUntil, "up"),
      url: c.url("/security"),
    }, 2),
  }),
  passcode_changed: ({ holdUntil }, c) => {
    const [changed, ifNot] = lines("passcode_changed", c, {
      url: c.url("/recover"),
    }, 2);
    return {
      subject: subject("passcode_changed", c),
      lines: [changed, ...holdLine(holdUntil, c), ifNot],
    };
  },
  account_id_change_code: ({ code }, c) => {
    const [enter, ignore] = lines("account_id_change_code", c, {
      code,
      url: c.url("/security"),
    }, 2);
    return {
      subject: subject("account_id_change_code", c),
      lines: [enter, neverShare(c), ignore],
      code,
    };
  },
  account_id_change_requested: ({ newAccountId }, c) => ({
    subject: subject("account_id_change_requested", c),
    lines: lines("account_id_change_requested", c, {
      newAccountId,
      url: c.url("/security"),
    }, 3),
  }),
  account_id_changed: ({ previousAccountId, newAccountId, holdUntil }, c) => {
    const [changed, ifNot] = lines("account_id_changed", c, {
      previousAccountId,
      newAccountId,
      url: c.url(""),
    }, 2);
    return {
      subject: subject("account_id_changed", c),
      lines: [changed, ...holdLine(holdUntil, c), ifNot],
    };
  },
  recovery_code: ({ code }, c) => {
    const [first, onlyAt, ignore] = lines("recovery_code", c, {
      code,
      url: c.url("/recover"),
    }, 3);
    return {
      subject: subject("recovery_code", c),
      lines: [first, neverShare(c), onlyAt, ignore],
      code,
    };
  },
  recovery_no_account: (_p, c) => ({
    subject: subject("recovery_no_account", c),
    lines: lines("recovery_no_account", c, {
      recoverUrl: c.url("/recover"),
      registerUrl: c.url("/register"),
    }, 3),
  }),
  passcode_reset: ({ holdUntil, unfrozen }, c) => {
    const [reset, ifNot] = lines("passcode_reset", c, {
      unfrozen: String(unfrozen),
      url: c.url("/recover"),
    }, 2);
    return {
      subject: subject("passcode_reset", c),
      lines: [reset, ...holdLine(holdUntil, c), ifNot],
    };
  },
  mfa_reset_requested: ({ effectiveAt, cancelToken }, c) => ({
    subject: subject("mfa_reset_requested", c),
    lines: lines("mfa_reset_requested", c, {
      time: c.time(effectiveAt, "up"),
      url: c.url("/login"),
      cancelUrl: cancelUrl(c, cancelToken),
    }, 2),
  }),
  mfa_reset_cancelled: (_p, c) => ({
    subject: subject("mfa_reset_cancelled", c),
    lines: lines("mfa_reset_cancelled", c, { url: c.url("/security") }, 2),
  }),
  mfa_reset_completed: ({ holdUntil }, c) => {
    const [removed, next] = lines("mfa_reset_completed", c, {
      url: c.url("/login"),
    }, 2);
    return {
      subject: subject("mfa_reset_completed", c),
      lines: [removed, ...holdLine(holdUntil, c), next],
    };
  },
  mfa_enrolled: (_p, c) => ({
    subject: subject("mfa_enrolled", c),
    lines: lines("mfa_enrolled", c, { url: c.url("/recover") }, 2),
  }),
  backup_codes_regenerated: ({ holdUntil }, c) => {
    const [made, ifNot] = lines("backup_codes_regenerated", c, {
      url: c.url("/security"),
    }, 2);
    return {
      subject: subject("backup_codes_regenerated", c),
      lines: [made, ...holdLine(holdUntil, c), ifNot],
    };
  },
  account_frozen: ({ holdUntil }, c) => {
    const [frozen, unfreeze] = lines("account_frozen", c, {
      url: c.url("/recover"),
    }, 2);
    return {
      subject: subject("account_frozen", c),
      lines: [frozen, ...holdLine(holdUntil, c), unfreeze],
    };
  },
  settings_locked: ({ unlockDelayDays, countdownCancelled }, c) => ({
    subject: subject("settings_locked", c),
    lines: lines("settings_locked", c, {
      days: unlockDelayDays,
      cancelled: String(countdownCancelled),
      url: c.url("/security"),
    }, 2),
  }),
  settings_unlock_started: ({ unlocksAt }, c) => ({
    subject: subject("settings_unlock_started", c),
    lines: lines("settings_unlock_started", c, {
      time: c.time(unlocksAt, "up"),
      url: c.url("/security"),
    }, 2),
  }),
  settings_unlocked: (_p, c) => ({
    subject: subject("settings_unlocked", c),
    lines: lines("settings_unlocked", c, { url: c.url("/security") }, 2),
  }),
  passcode_reset_requested: ({ effectiveAt, cancelToken }, c) => ({
    subject: subject("passcode_reset_requested", c),
    lines: lines("passcode_reset_requested", c, {
      time: c.time(effectiveAt, "up"),
      cancelUrl: cancelUrl(c, cancelToken),
    }, 2),
  }),
  recovery_cancelled: (_p, c) => ({
    subject: subject("recovery_cancelled", c),
    lines: lines("recovery_cancelled", c, { url: c.url("/recover") }, 2),
  }),
  mfa_policy_changed: ({ phishingResistantOnly }, c) => {
    const on = String(phishingResistantOnly);
    return {
      subject: subject("mfa_policy_changed", c, { on }),
      lines: lines("mfa_policy_changed", c, { on, url: c.url("/security") }, 2),
    };
  },
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

/** All message kinds, for tests that must cover every one. */
export const messageKinds = Object.keys(templates) as MessageKind[];

/** The first line of every message. */
export function antiPhishingLine(
  antiPhishingCode: string | null,
  appOrigin: string,
  language: Language = "en",
): string {
  const { t } = translator(language);
  return antiPhishingCode
    ? t("message.antiPhishing.code", { code: antiPhishingCode })
    : t("message.antiPhishing.none", { url: `${appOrigin}/security` });
}

/** Who a message goes to, in which language, and from which service. */
export interface Recipient {
  id: string;
  channel: "email" | "sms";
  to: string;
  antiPhishingCode: string | null;
  createdAt: number;
  language: Language;
  /** The freeze link's token, for the kinds that carry one ({@link carriesFreezeLink}). */
  freezeToken?: string;
}

/** The service as messages name it. */
export interface Sender {
  appOrigin: string;
  brandName: string;
  /** `#rrggbb`, the e-mail's accent. */
  brandColor: string;
}

/**
 * Composes a message of one kind for one recipient: for e-mail a text part and an HTML
 * part with the same words; for a text message the text alone, short (the first
 * paragraph, the one with the code if another, and the freeze link).
 */
export function composeMessage<K extends MessageKind>(
  kind: K,
  parameters: MessageParameters[K],
  recipient: Recipient,
  sender: Sender,
): Message {
  const translated = translator(recipient.language);
  const { appOrigin } = sender;
  const context: TemplateContext = {
    language: recipient.language,
    t: translated.t,
    url: (path) => `${appOrigin}${path}`,
    time: (ms, rounding = "down") =>
      translated.utcDateTime(minuteRounded(ms, rounding)),
    day: translated.utcDate,
  };
  const template = templates[kind] as Template<K>;
  const composed = template(parameters, context);
  let freeze: { sentence: string; url: string } | undefined;
  if (carriesFreezeLink(kind)) {
    if (!recipient.freezeToken) {
      throw new TypeError(`A ${kind} message needs a freeze link token`);
    }
    const url = `${appOrigin}/freeze?token=${recipient.freezeToken}`;
    freeze = { sentence: translated.t("message.freeze", { url }), url };
  }
  const firstLine = antiPhishingLine(
    recipient.antiPhishingCode,
    appOrigin,
    recipient.language,
  );
  const email = recipient.channel === "email";
  const suffix = email && recipient.antiPhishingCode
    ? ` [${recipient.antiPhishingCode}]`
    : "";
  const body = email ? composed.lines : shortened(composed);
  const text = [firstLine, "", ...body, ...(freeze ? [freeze.sentence] : [])]
    .join("\n");
  return {
    id: recipient.id,
    kind,
    channel: recipient.channel,
    to: recipient.to,
    subject: composed.subject + suffix,
    text,
    html: email
      ? renderEmailHtml({
        language: recipient.language,
        brandName: sender.brandName,
        brandColor: sender.brandColor,
        antiPhishing: firstLine,
        heading: composed.subject,
        paragraphs: composed.lines,
        code: composed.code,
        freeze: freeze && {
          ...freeze,
          button: translated.t("message.freeze.button"),
        },
        footer: translated.t("message.footer", { brand: sender.brandName }),
        appOrigin,
      })
      : undefined,
    createdAt: recipient.createdAt,
  };
}

/** A text message's paragraphs: the first, and the one with the code if another. */
function shortened({ lines, code }: Composed): string[] {
  const withCode = code ? lines.find((line) => line.includes(code)) : undefined;
  return withCode && withCode !== lines[0] ? [lines[0], withCode] : [lines[0]];
}
