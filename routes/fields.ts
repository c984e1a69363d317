/** Request fields shared by several routes. */
import { z } from "zod";
import { type AccountId, normaliseAccountId } from "../lib/account_id.ts";
import { pathParameters, validationError } from "./validation.ts";

/** An e-mail or phone as typed; normalised by `lib/account_id.ts`. */
export const accountIdField = z.string().min(3).max(320).describe(
  "E-mail address or phone number in international form (+491701234567)",
);

/** A passcode as typed. The policy's 128-character limit is checked with feedback;
 * this bound only keeps absurd bodies away from the hash. */
export const passcodeField = z.string().min(1).max(1024);

/** The ALTCHA widget's payload: base64 of `{"challenge","solution"}`. */
export const captchaField = z.string().max(4096).optional().describe(
  "ALTCHA payload (base64 JSON); required unless CAPTCHA_MODE says otherwise",
);

/** A six-digit code from a message or an authenticator. */
export const sixDigitCode = z.string().regex(/^\d{6}$/, "must be 6 digits");

/**
 * A WebAuthn credential id as the browser sends it: base64url of at most 1023 bytes
 * (WebAuthn L3 §4, Credential ID), which keeps it inside a KV key (2 KiB) beside an
 * account's id.
 */
export const credentialIdField = z.string().regex(
  /^[A-Za-z0-9_-]{1,1364}$/,
  "must be base64url of at most 1023 bytes",
);

/**
 * The `{id}` of a record in a path: a session or a recognised browser (32 hex digits)
 * or a passkey (its credential id). Anything that cannot be one of them is
 * `404 not_found`, before it comes near a KV key it could overflow.
 */
export const idParameter = pathParameters(z.object({ id: credentialIdField }));

/** A problem+json body, for the OpenAPI document. */
export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string(),
});

/** A current second factor for a security change: a TOTP code or a backup code. */
export const secondFactorFields = {
  totp: sixDigitCode.optional(),
  backupCode: z.string().min(12).max(20).optional(),
};

/** Normalises an account ID field or refuses with the shape of any other field error. */
export function parseAccountId(text: string, path: string): AccountId {
  const accountId = normaliseAccountId(text);
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
);
