/**
 * The phishing-resistant-only policy (API.md, `PUT /v1/mfa/policy`; as Gemini and
 * Coinbase let customers allow security keys only): with two passkeys or more the owner
 * switches off app codes and backup codes, which a relaying site can talk a person out
 * of. Two, so that one lost key does not end in a recovery. Switching it off again takes
 * a passkey: a phished code must not be able to undo it.
 */
import { findAccount } from "../../kv/accounts.ts";
import { listWebauthnCredentials } from "../../kv/webauthn_credentials.ts";
import type { Deps, RequestOrigin } from "../deps.ts";
import { composeAccountMessage } from "../messages/account_message.ts";
import { ApiError } from "../runtime/errors.ts";
import {
  isPhishingResistantOnly,
  methodDisabled,
} from "../safeguards/phishing_resistant.ts";
import { assertSettingsChangeable } from "../safeguards/settings_lock.ts";
import { commitAccountChange } from "./account_change.ts";

/** API.md: at least two passkeys before codes can be switched off. */
export const minPasskeysForPhishingResistantOnly = 2;

/**
 * Sets the policy; returns the ids of the messages queued (none when it was set so
 * already). `confirm` proves the second factor once the request is known to be
 * allowed; `viaPasskey` says whether that factor is a passkey.
 */
export async function setPhishingResistantOnly(
  deps: Deps,
  accountUuid: string,
  phishingResistantOnly: boolean,
  viaPasskey: boolean,
  confirm: () => Promise<unknown>,
  origin: RequestOrigin,
): Promise<string[]> {
  const account = await findAccount(deps.kv, accountUuid);
  if (!account) throw new ApiError("session_revoked");
  assertSettingsChangeable(account.value, deps.clock.now());
  if (isPhishingResistantOnly(account.value) === phishingResistantOnly) {
    return [];
  }
  if (phishingResistantOnly) {
    const passkeys = await listWebauthnCredentials(deps.kv, accountUuid);
    if (passkeys.length < minPasskeysForPhishingResistantOnly) {
      throw new ApiError(
        "conflict",
        `Add at least ${minPasskeysForPhishingResistantOnly} passkeys first, so that losing one does not lock you out.`,
      );
    }
  } else if (!viaPasskey) {
    throw methodDisabled();
  }
  await confirm();
  return await commitAccountChange(deps, accountUuid, origin, (current) => ({
    next: { ...current, phishingResistantOnly },
    eventType: "mfa_policy_changed",
    messages: [
      composeAccountMessage(deps, current, "mfa_policy_changed", {
        phishingResistantOnly,
      }),
    ],
    withdrawalHoldUntil: null,
  }));
}
