/**
 * The account's preferences (API.md, `PUT /v1/preferences`): the language of its pages
 * and messages. Not a security setting: changing it needs a session, not a second
 * factor, and the settings lock does not hold it.
 */
import { findAccount, replaceAccount } from "../../kv/accounts.ts";
import { withRetry } from "../../kv/retry.ts";
import type { Deps } from "../deps.ts";
import { chooseLanguage, type Language } from "../i18n/languages.ts";
import { ApiError } from "../runtime/errors.ts";

/** The account's language: its preference, or the language it was registered in. */
export async function accountLanguage(
  deps: Deps,
  accountUuid: string,
): Promise<Language> {
  const account = await findAccount(deps.kv, accountUuid);
  if (!account) throw new ApiError("session_revoked");
  return chooseLanguage(account.value.language);
}

/** Sets the account's language; written against the record it read. */
export async function setAccountLanguage(
  deps: Deps,
  accountUuid: string,
  language: Language,
): Promise<void> {
  await withRetry(async (retry) => {
    const account = await findAccount(deps.kv, accountUuid);
    if (!account) throw new ApiError("session_revoked");
    if (account.value.language === language) return true;
    const operation = deps.kv.atomic();
    replaceAccount(operation, account, { ...account.value, language });
    return (await operation.commit()).ok ? true : retry;
  });
}
