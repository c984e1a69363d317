/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="esnext" />
/**
 * What went wrong, in people's words, and where: a problem from the API becomes
 * errors of the form's fields (by the `errors[].path` of a validation failure, or by
 * what the code is about) and a message for the form as a whole. Field sentences live
 * on the fields themselves (`data-invalid`, routes/pages/layout.tsx), so a field name
 * like `accountId` is never shown.
 */
import type { Problem } from "./api.ts";
import { language, sentences, t } from "./i18n.ts";
import { localTime } from "./time.ts";

/** Where a form's problem goes: field name → sentence, and the form's own line. */
export interface Explained {
  fields: Record<string, string>;
  form: string | null;
}

/** What a form tells about itself, to place a problem. */
export interface FormShape {
  /** Names of the form's fields. */
  fields: string[];
  /** The field's own sentence for a value that does not fit. */
  invalid(name: string): string;
  /** The field a wrong passcode belongs to, if the form has one for it. */
  credentialsField?: string;
  /** The field a wrong code belongs to, and what to say about it. */
  codeField?: string;
  wrongCode?: string;
  /** The field a weak new passcode belongs to. */
  newSecretField?: string;
}

/** The API names a second factor `totp` or `backupCode`; the forms call it `factor`. */
function fieldOfPath(path: string, shape: FormShape): string | null {
  const name = path.split(".")[0];
  if (shape.fields.includes(name)) return name;
  if (
    (name === "totp" || name === "backupCode") &&
    shape.fields.includes("factor")
  ) {
    return "factor";
  }
  return null;
}

/** What to say about a wrong code: the app's, or one a message brought. */
function codeSentence(field: string | undefined): string {
  return field === "factor"
    ? t("common.problem.wrongAppCode")
    : t("common.problem.wrongSentCode");
}

/**
 * A wrong ID or passcode, with the lockout said before it happens (API.md, Login:
 * `attemptsRemaining`): at the last two tries, and when the one just made locked sign-in.
 */
function wrongCredentials(remaining: number | undefined): string {
  if (remaining === 0) return t("common.problem.wrongCredentialsNowLocked");
  if (remaining === 1 || remaining === 2) {
    return t("common.problem.wrongCredentialsAttemptsLeft", {
      count: remaining,
    });
  }
  return t("common.problem.wrongCredentials");
}

/**
 * The estimator's suggestions are English (the API's words): said on English pages,
 * elsewhere a general advice in the page's language takes their place.
 */
function weakPasscode(feedback: string[] | undefined): string {
  const advice = language === "en"
    ? feedback ?? []
    : [t("common.problem.weakPasscodeAdvice")];
  return sentences(t("common.problem.weakPasscode"), ...advice);
}

/** Seconds to wait, as `Retry-After` says them, or null for an HTTP date or none. */
function retrySeconds(retryAfter: string | null): number | null {
  return retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) : null;
}

/**
 * The problem explained for a form of this shape, in the page's own words for each
 * `code` (the API's `detail` is English).
 */
export function explainProblem(
  problem: Problem,
  retryAfter: string | null,
  shape: FormShape,
): Explained {
  const field = (name: string | undefined, sentence: string): Explained =>
    name && shape.fields.includes(name)
      ? { fields: { [name]: sentence }, form: null }
      : { fields: {}, form: sentence };
  const form = (sentence: string) => field(undefined, sentence);
  switch (problem.code) {
    case "invalid_request": {
      const fields: Record<string, string> = {};
      for (const error of problem.errors ?? []) {
        const name = fieldOfPath(error.path, shape);
        if (name) fields[name] ??= shape.invalid(name);
      }
      return Object.keys(fields).length > 0
        ? { fields, form: null }
        : { fields, form: t("common.problem.invalidRequest") };
    }
    case "weak_passcode":
      return field(shape.newSecretField, weakPasscode(problem.feedback));
    case "invalid_credentials":
      return shape.credentialsField
        ? field(shape.credentialsField, t("common.problem.wrongPasscode"))
        : form(wrongCredentials(problem.attemptsRemaining));
    case "invalid_code":
      return field(
        shape.codeField,
        shape.wrongCode ?? codeSentence(shape.codeField),
      );
    case "account_locked":
      return form(
        t("common.problem.accountLocked", {
          time: localTime(problem.lockedUntil!),
        }),
      );
    case "step_up_locked":
      return form(
        t("common.problem.stepUpLocked", {
          time: localTime(problem.lockedUntil!),
        }),
      );
    case "settings_locked":
      return form(
        problem.unlocksAt
          ? t("common.problem.settingsLockedUntil", {
            time: localTime(problem.unlocksAt),
          })
          : t("common.problem.settingsLocked"),
      );
    case "method_disabled":
      return field(shape.codeField, t("common.problem.methodDisabled"));
    case "account_frozen":
      return form(t("common.problem.accountFrozen"));
    case "security_hold":
      return form(
        t("common.problem.securityHold", {
          time: localTime(problem.holdUntil!),
        }),
      );
    case "rate_limited": {
      const seconds = retrySeconds(retryAfter);
      // Long waits in minutes (rounded up), as people count them.
      return form(
        seconds === null
          ? t("common.problem.rateLimitedMinute")
          : seconds < 120
          ? t("common.problem.rateLimited", { seconds })
          : t("common.problem.rateLimitedMinutes", {
            minutes: Math.ceil(seconds / 60),
          }),
      );
    }
    case "invalid_ticket":
      return form(t("common.problem.invalidTicket"));
    case "captcha_required":
    case "captcha_invalid":
      return form(t("common.problem.captcha"));
    case "not_found":
      return form(t("common.problem.notFound"));
    case "csrf_rejected":
      return form(t("common.problem.csrfRejected"));
    case "payload_too_large":
      return form(t("common.problem.payloadTooLarge"));
    case "unauthenticated":
    case "session_revoked":
      return form(t("common.problem.signedOut"));
    case "token_used":
      return form(t("common.problem.tokenUsed"));
    case "details_mismatch":
      return form(t("common.problem.detailsMismatch"));
    case "conflict":
      return form(t("common.problem.conflict"));
    case "internal":
      return form(t("common.problem.internal"));
    default:
      return form(t("common.problem.unknown"));
  }
}
