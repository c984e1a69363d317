/**
 * "This wasn't me" (API.md, Freeze): the link in a message freezes the account. One
 * atomic operation spends the link's token, marks the account frozen, cancels what a
 * thief may have started (an MFA reset, an account-ID change, a delayed recovery),
 * holds withdrawals, signs everybody out (durably, lib/sessions/session_revocation.ts)
 * and tells the owner how to unfreeze: a recovery reset.
 */
import { withdrawalHoldEnd } from "../safeguards/withdrawal_hold.ts";
import { findAccount } from "../../kv/accounts.ts";
import {
  accountIdChangeKey,
  delayedRecoveryKey,
  mfaResetKey,
} from "../../kv/keys.ts";
import { findLinkToken, spendLinkToken } from "../../kv/link_tokens.ts";
import { withRetry } from "../../kv/retry.ts";
import { hashLinkToken } from "../crypto/link_token.ts";
import type { Deps, RequestOrigin } from "../deps.ts";
import { composeAccountMessage } from "../messages/account_message.ts";
import { ApiError } from "../runtime/errors.ts";
import { isFrozen } from "../frozen_account.ts";
import { finishSignOut, signOut } from "../sessions/session_revocation.ts";
import { addAccountChange } from "./account_change.ts";

/** `400 invalid_code`: the token is unknown, used or expired. */
export function invalidLinkToken(): ApiError {
  return new ApiError(
    "invalid_code",
    "This link is not valid: it was used already, has expired, or was mistyped.",
    { status: 400 },
  );
}

/**
 * Freezes the account the token was sent for; returns the ids of the messages queued.
 * Of racing uses of one token exactly one commits; the others find it spent. A token of
 * an account frozen already is spent and changes nothing more.
 */
export async function freezeAccount(
  deps: Deps,
  token: string,
  origin: RequestOrigin,
): Promise<string[]> {
  const tokenHash = hashLinkToken(deps.keyring.linkTokenKey, token);
  const everyone = signOut(deps, {});
  let accountUuid = "";
  const messageIds = await withRetry(async (retry) => {
    const now = deps.clock.now();
    const found = await findLinkToken(deps.kv, tokenHash, "freeze", now);
    if (!found) throw invalidLinkToken();
    accountUuid = found.value.accountUuid;
    const account = await findAccount(deps.kv, accountUuid);
    const operation = spendLinkToken(deps.kv.atomic(), found);
    if (!account || isFrozen(account.value)) {
      return (await operation.commit()).ok ? null : retry;
    }
    operation
      .delete(mfaResetKey(accountUuid))
      .delete(accountIdChangeKey(accountUuid))
      .delete(delayedRecoveryKey(accountUuid));
    const holdUntil = withdrawalHoldEnd(deps);
    const ids = addAccountChange(deps, operation, account, {
      next: { ...account.value, frozenAt: now },
      eventType: "account_frozen",
      messages: [
        composeAccountMessage(deps, account.value, "account_frozen", {
          holdUntil,
        }),
      ],
      withdrawalHoldUntil: holdUntil,
      signOut: everyone,
      brakesExempt: true,
    }, origin);
    return (await operation.commit()).ok ? ids : retry;
  });
  if (messageIds === null) return [];
  await finishSignOut(deps, accountUuid, everyone);
  return messageIds;
}
