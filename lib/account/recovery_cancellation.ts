/**
 * The link that cancels a pending recovery (API.md, Settings lock): a delayed passcode
 * reset or an MFA reset is announced with it, so the owner can stop a recovery somebody
 * else started, even while the account is frozen and no sign-in could cancel it.
 */
import { findAccount } from "../../kv/accounts.ts";
import { findDelayedRecovery } from "../../kv/delayed_recoveries.ts";
import {
  findLinkToken,
  putLinkToken,
  spendLinkToken,
} from "../../kv/link_tokens.ts";
import { findMfaReset } from "../../kv/mfa_resets.ts";
import { withRetry } from "../../kv/retry.ts";
import { generateLinkToken, hashLinkToken } from "../crypto/link_token.ts";
import type { Deps, RequestOrigin } from "../deps.ts";
import { composeAccountMessage } from "../messages/account_message.ts";
import { addAccountChange } from "./account_change.ts";
import { invalidLinkToken } from "./account_freeze.ts";

/**
 * Adds a cancel link's token for the pending recovery `recoveryId` to the operation
 * that starts it; returns the token for the announcement. It works until the recovery
 * takes effect.
 */
export function addCancelLink(
  deps: Deps,
  operation: Deno.AtomicOperation,
  accountUuid: string,
  recoveryId: string,
  effectiveAt: number,
): string {
  const { token, hash } = generateLinkToken(
    deps.keyring.linkTokenKey,
    deps.random,
  );
  putLinkToken(operation, hash, {
    purpose: "cancel_recovery",
    accountUuid,
    expiresAt: effectiveAt,
    recoveryId,
  }, deps.clock.now());
  return token;
}

/**
 * Cancels the pending recovery a link was sent for, with an event and a notice; returns
 * the message ids. A token whose recovery is no longer pending (cancelled, replaced or
 * done) is `400 invalid_code`, like a used one.
 */
export async function cancelRecovery(
  deps: Deps,
  token: string,
  origin: RequestOrigin,
): Promise<string[]> {
  const tokenHash = hashLinkToken(deps.keyring.linkTokenKey, token);
  return await withRetry(async (retry) => {
    const found = await findLinkToken(
      deps.kv,
      tokenHash,
      "cancel_recovery",
      deps.clock.now(),
    );
    if (!found) throw invalidLinkToken();
    const { accountUuid, recoveryId } = found.value;
    const [account, delayed, mfaReset] = await Promise.all([
      findAccount(deps.kv, accountUuid),
      findDelayedRecovery(deps.kv, accountUuid),
      findMfaReset(deps.kv, accountUuid),
    ]);
    const pending = [delayed, mfaReset].find((entry) =>
      entry?.value.id === recoveryId
    );
    const operation = spendLinkToken(deps.kv.atomic(), found);
    if (!account || !pending) {
      if (!(await operation.commit()).ok) return retry;
      throw invalidLinkToken();
    }
    operation.check(pending).delete(pending.key);
    const ids = addAccountChange(deps, operation, account, {
      eventType: "recovery_cancelled",
      messages: [
        composeAccountMessage(deps, account.value, "recovery_cancelled", {}),
      ],
      withdrawalHoldUntil: null,
      brakesExempt: true,
    }, origin);
    return (await operation.commit()).ok ? ids : retry;
  });
}
