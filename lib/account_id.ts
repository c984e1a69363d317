/**
 * Account IDs: an e-mail address or a phone number, normalised before any use
 * (API.md: emails trimmed and lower-cased, phones in E.164).
 */
import { lazy } from "./runtime/lazy.ts";

const phoneNumbers = lazy(() => import("libphonenumber-js"));

/** A normalised account ID and the channel messages to it go through. */
export interface AccountId {
  value: string;
  channel: "email" | "sms";
}

// RFC 5321 limits; the pattern is the WHATWG HTML "valid e-mail address" rule, which is
// what browsers accept in <input type=email>, minus quoted local parts nobody types.
const emailPattern =
  /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

/**
 * Normalises an account ID; null when it is neither a valid e-mail nor a valid phone.
 * Phone numbers need libphonenumber's metadata, loaded with the first one.
 */
export async function normaliseAccountId(
  input: string,
): Promise<AccountId | null> {
  const trimmed = input.trim();
  if (trimmed.includes("@")) {
    const email = trimmed.toLowerCase();
    const [local, domain] = email.split("@");
    if (
      email.length > 254 || local.length > 64 || !domain ||
      !emailPattern.test(email) || local.startsWith(".") ||
      local.endsWith(".") || local.includes("..")
    ) return null;
    return { value: email, channel: "email" };
  }
  if (!/^\+?[0-9 ()./-]{6,24}$/.test(trimmed)) return null;
  // Without a country a number must be international: "+49 170 …", or "0049 170 …".
  const international = trimmed.startsWith("00")
    ? `+${trimmed.slice(2)}`
    : trimmed;
  const { parsePhoneNumberFromString } = await phoneNumbers();
  const phone = parsePhoneNumberFromString(international);
  if (!phone?.isValid()) return null;
  return { value: phone.number, channel: "sms" };
}

/** The part of an account ID a passcode must not contain (local part, or phone digits). */
export function accountIdLocalPart(accountId: AccountId): string {
  return accountId.channel === "email"
    ? accountId.value.split("@")[0]
    : accountId.value.slice(-8);
}

/** The account ID of an account record, with its channel. */
export function accountIdOf(
  account: { accountId: string; channel: "email" | "sms" },
): AccountId {
  return { value: account.accountId, channel: account.channel };
}
