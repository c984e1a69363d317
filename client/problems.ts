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

function codeSentence(field: string | undefined): string {
  if (field === "factor") {
    return "That code is wrong, used or expired. Wait for the next code in your app and try again.";
  }
  return "That code is wrong or has expired. Check the latest message and try again.";
}

/**
 * The lockout said before it happens (API.md, Login: `attemptsRemaining`): at the last
 * two tries, and when the one just made locked sign-in.
 */
function attemptsWarning(remaining: number | undefined): string | null {
  if (remaining === 0) {
    return "Sign-in is now locked for 2 hours after too many failed attempts.";
  }
  if (remaining === 1 || remaining === 2) {
    return `${remaining} ${
      remaining === 1 ? "attempt" : "attempts"
    } left before sign-in is locked for 2 hours.`;
  }
  return null;
}

/** The problem explained for a form of this shape. */
export function explainProblem(
  problem: Problem,
  retryAfter: string | null,
  shape: FormShape,
): Explained {
  const field = (name: string | undefined, sentence: string): Explained =>
    name && shape.fields.includes(name)
      ? { fields: { [name]: sentence }, form: null }
      : { fields: {}, form: sentence };
  switch (problem.code) {
    case "invalid_request": {
      const fields: Record<string, string> = {};
      for (const error of problem.errors ?? []) {
        const name = fieldOfPath(error.path, shape);
        if (name) fields[name] ??= shape.invalid(name);
      }
      return Object.keys(fields).length > 0 ? { fields, form: null } : {
        fields,
        form:
          "Something in the form is not as expected. Check it and try again.",
      };
    }
    case "weak_passcode":
      return field(
        shape.newSecretField,
        ["That one is too easy to guess.", ...(problem.feedback ?? [])].join(
          " ",
        ),
      );
    case "invalid_credentials":
      return shape.credentialsField
        ? field(shape.credentialsField, "That passcode is wrong.")
        : field(
          undefined,
          [
            "The account ID or passcode is wrong.",
            attemptsWarning(problem.attemptsRemaining),
          ].filter(Boolean).join(" "),
        );
    case "invalid_code":
      return field(
        shape.codeField,
        shape.wrongCode ?? codeSentence(shape.codeField),
      );
    case "account_locked":
      return field(
        undefined,
        `Too many failed attempts: locked until ${
          localTime(problem.lockedUntil!)
        }. Browsers you signed in with before keep working.`,
      );
    case "step_up_locked":
      return field(
        undefined,
        `Too many wrong trading passcodes: approvals are locked until ${
          localTime(problem.lockedUntil!)
        }.`,
      );
    case "settings_locked":
      return field(
        undefined,
        problem.unlocksAt
          ? `Your security settings are locked until ${
            localTime(problem.unlocksAt)
          }, when the unlock countdown ends. Nothing was changed.`
          : "Your security settings are locked, so nothing was changed. To change them, start unlocking them in the settings lock card first: that takes the delay you chose.",
      );
    case "method_disabled":
      return field(
        shape.codeField,
        "You chose to accept passkeys only, so app codes and backup codes are switched off. Use your passkey.",
      );
    case "account_frozen":
      return field(
        undefined,
        "This account is frozen: nobody can sign in, change a setting or approve a withdrawal. To unfreeze it, recover it with a code sent to your address and your second factor.",
      );
    case "security_hold":
      return field(
        undefined,
        `Withdrawals are paused after a security change until ${
          localTime(problem.holdUntil!)
        }.`,
      );
    case "rate_limited":
      return field(
        undefined,
        `Too many tries in a short time. Wait ${
          retryAfter ? `${retryAfter} seconds` : "a minute"
        } and try again.`,
      );
    case "invalid_ticket":
      return field(
        undefined,
        "This sign-in took longer than 5 minutes and expired. Start again.",
      );
    case "captcha_required":
    case "captcha_invalid":
      return field(undefined, "The robot check did not pass. Try again.");
    case "not_found":
      return field(undefined, "That is no longer there. The list is updated.");
    case "csrf_rejected":
      return field(
        undefined,
        "This page is not on the official address. Open it from your bookmark.",
      );
    case "internal":
      return field(
        undefined,
        "Something went wrong on our side. Try again in a moment.",
      );
    default:
      return field(undefined, problem.detail);
  }
}
