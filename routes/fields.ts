/** Request fields shared by several routes. */
import { z } from "zod";
import { type AccountId, normaliseAccountId } from "../lib/account_id.ts";
import { isoTimeOf } from "./iso_time.ts";
import { pathParameters, validationError } from "./validation.ts";

/**
 * The syntax of an account ID a client can check before sending it: an e-mail address
 * as `lib/account_id.ts` accepts it (the WHATWG rule, at most 64 characters before the
 * `@` and 254 in all, no leading, trailing or double dot), or a phone number in
 * international form (`+` or `00`, then digits with spaces, brackets, dots or dashes).
 * A phone number must also be one its country's numbering plan allows, which no
 * pattern can say: the service asks libphonenumber, and refuses others alike.
 */
export const accountIdPattern = new RegExp(
  "^(?:(?=[^@]{1,64}@)(?=.{3,254}$)(?!\\.)(?!.*\\.@)(?!.*\\.\\.)" +
    "[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@" +
    "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?" +
    "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+" +
    "|\\+[0-9 ()./-]{5,23}|00[0-9 ()./-]{4,22})$",
);

const accountIdSyntax =
  "must be an e-mail address or a phone number in international form";

/**
 * An account ID that must be one (registration, recovery, a new ID): trimmed, then
 * held to {@link accountIdPattern}; normalised by `lib/account_id.ts`.
 */
export const accountIdField = z.string().trim().max(320).regex(
  accountIdPattern,
  accountIdSyntax,
).meta({
  description:
    "E-mail address, or phone number in international form (+491701234567); " +
    "a phone number must also exist in its country's numbering plan",
  examples: ["you@example.com", "+491701234567"],
});

/**
 * The account ID of a login or a registration code: any text. One that cannot be an
 * account ID is answered like one without an account (`401 invalid_credentials`,
 * `400 invalid_code`), at the same price.
 */
export const presentedAccountIdField = z.string().min(3).max(320).meta({
  description:
    "The account ID as registered: e-mail address or phone number in international form",
  examples: ["you@example.com"],
});

/** A passcode as typed. The policy's 128-character limit is checked with feedback;
 * this bound only keeps absurd bodies away from the hash. */
export const passcodeField = z.string().min(1).max(1024).meta({
  examples: ["correct horse battery staple 42!"],
});

/** The ALTCHA widget's payload: base64 of `{"challenge","solution"}`. */
export const captchaField = z.string().max(4096).optional().meta({
  description:
    "ALTCHA payload (base64 JSON of the solved challenge of `GET /v1/captcha`); " +
    "required unless CAPTCHA_MODE says otherwise (`400 captcha_required`)",
});

/** A six-digit code from a message or an authenticator. */
export const sixDigitCode = z.string().regex(/^\d{6}$/, "must be 6 digits")
  .meta({ examples: ["123456"] });

/**
 * A WebAuthn credential id as the browser sends it: base64url of at most 1023 bytes
 * (WebAuthn L3 §4, Credential ID), which keeps it inside a KV key (2 KiB) beside an
 * account's id.
 */
export const credentialIdField = z.string().regex(
  /^[A-Za-z0-9_-]{1,1364}$/,
  "must be base64url of at most 1023 bytes",
).meta({ examples: ["AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"] });

/**
 * The `{id}` of a record in a path: a session or a recognised browser (32 hex digits)
 * or a passkey (its credential id). Anything that cannot be one of them is
 * `404 not_found`, before it comes near a KV key it could overflow.
 */
export const idParameter = pathParameters(z.object({ id: credentialIdField }));

/** A time in a response: ISO 8601, UTC (`iso_time.ts` writes it). */
export const isoTime = isoTimeOf(z);

/** A backup code as typed. */
export const backupCodeField = z.string().min(12).max(20).meta({
  description: "A backup code; case, spaces and dashes are ignored",
  examples: ["k7m2-q9xa-3h4p"],
});

/** The second factor fields, both optional: a route says how many it takes. */
export const secondFactorShape = {
  totp: sixDigitCode.optional().meta({
    description: "A current code of the authenticator app",
    examples: ["123456"],
  }),
  backupCode: backupCodeField.optional(),
};

/** The second factor a body offers; its shape is generic, so it is read as this. */
type Proof = { totp?: string; backupCode?: string };
const notBoth = (body: unknown) =>
  !((body as Proof).totp !== undefined &&
    (body as Proof).backupCode !== undefined);
const bothMessage = {
  path: ["backupCode"],
  message: "send totp or backupCode, not both",
};

/** A body with at most one of `totp` or `backupCode`, described as `description`. */
function withAtMostOneFactor<S extends z.ZodRawShape>(
  shape: S,
  description: string,
) {
  return z.object({ ...shape, ...secondFactorShape })
    .refine(notBoth, bothMessage)
    .meta({ not: { required: ["totp", "backupCode"] }, description });
}

/**
 * A body with a current second factor for a security change: one of a TOTP code
 * (`totp`) or a backup code (`backupCode`), or neither while the session's
 * confirmation window is open. Only the session knows that, so a body without either
 * is refused by the change itself (`lib/safeguards/second_factor.ts`), with the same
 * `400 invalid_request` and `errors` a schema would give.
 */
export function withSecondFactor<S extends z.ZodRawShape>(shape: S) {
  return withAtMostOneFactor(
    shape,
    "One of `totp` or `backupCode`; neither while this session's confirmation " +
      "window is open (`POST /v1/session/confirm`), else `400 invalid_request`",
  );
}

/**
 * A body that takes a second factor when the account has one (recovery): at most one
 * of `totp` or `backupCode`.
 */
export function withOptionalSecondFactor<S extends z.ZodRawShape>(shape: S) {
  return withAtMostOneFactor(
    shape,
    "`totp` or `backupCode` when the account has an authenticator app",
  );
}

/** Normalises an account ID field or refuses with the shape of any other field error. */
export async function parseAccountId(
  text: string,
  path: string,
): Promise<AccountId> {
  const accountId = await normaliseAccountId(text);
  if (!accountId) {
    throw validationError([{
      code: "custom",
      path: [path],
      message:
        "must be an e-mail address or a phone number in international form",
      input: text,
    }]);
  }
  return accountId;
}

/** The token of a link in a message (freeze, cancel a recovery): base64url, 32 bytes. */
export const linkTokenField = z.string().regex(
  /^[A-Za-z0-9_-]{43}$/,
  "must be the token from the link",
).meta({ examples: ["Vx9kQ2mR7tLp4WcZ8nHs3aBd6FgJ1uYe5oKi0qTrXw2"] });
