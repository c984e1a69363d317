/**
 * Phishing-resistant only (API.md, `PUT /v1/mfa/policy`): with it on, a relaying site
 * that talks the owner out of a code gains nothing, because app codes and backup codes
 * are refused wherever they would prove the second factor (sign-in, confirmation,
 * recovery) with `403 method_disabled`; only a passkey, bound to our origin, works.
 */
import { type Account, findAccount } from "../../kv/accounts.ts";
import type { Deps } from "../deps.ts";
import { ApiError } from "../runtime/errors.ts";

/** Whether only passkeys prove the account's second factor. */
export function isPhishingResistantOnly(
  account: Pick<Account, "phishingResistantOnly"> | null,
): boolean {
  return account?.phishingResistantOnly === true;
}

/** `403 method_disabled`. */
export function methodDisabled(): ApiError {
  return new ApiError(
    "method_disabled",
    "This account accepts only passkeys: app codes and backup codes are switched off.",
  );
}

/** Refuses an app code or backup code for an account that accepts only passkeys. */
export function assertCodesAllowed(
  account: Pick<Account, "phishingResistantOnly"> | null,
): void {
  if (isPhishingResistantOnly(account)) throw methodDisabled();
}

/** Reads the account and refuses codes as {@link assertCodesAllowed} does. */
export async function refuseDisabledCodes(
  deps: Deps,
  accountUuid: string,
): Promise<void> {
  assertCodesAllowed((await findAccount(deps.kv, accountUuid))?.value ?? null);
}
