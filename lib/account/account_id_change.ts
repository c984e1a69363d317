/**
 * Changing the registered e-mail or phone (API.md: `PUT /v1/account-id`, then
 * `POST /v1/account-id/verify`): passcode and second factor to ask, a code to the new
 * address to prove it, a notice to the old one. The change signs out every other
 * session and holds withdrawals for 24 hours: moving the account ID is how a thief
 * would cut the owner off from the warnings.
 */
import { findAccount, findAccountByAccountId } from "../../kv/accounts.ts";
import { accountIdChangeKey } from "../../kv/keys.ts";
import { putCodeRecord, redeemCode } from "../../kv/one_time_codes.ts";
import { enqueueMessage } from "../../kv/outbox.ts";
import { withRetry } from "../../kv/retry.ts";
import { recordSecurityEvent } from "../../kv/security_events.ts";
import { findSession, type Session, updateSession } from "../../kv/sessions.ts";
import { addAccountChange } from "./account_change.ts";
import type { AccountId } from "../account_id.ts";
import { composeAccountMessage } from "../messages/account_message.ts";
import type { Deps, RequestOrigin } from "../deps.ts";
import { ApiError } from "../runtime/errors.ts";
import { codeRecordMatches, issueCodeRecord } from "../crypto/code_record.ts";
import {
  confirmSecurityChange,
  type SecondFactorProof,
} from "../safeguards/second_factor.ts";
import { finishSignOut, signOut } from "../sessions/session_revocation.ts";
import { securityEvent } from "../security_event.ts";

/** What a pending change waits to apply. */
interface PendingAccountIdChange {
  accountId: string;
  channel: "email" | "sms";
}

/** Binds a code to the account and the address it was sent to. */
const codeContext = (accountUuid: string, accountId: string) =>
  `account-id-change:${accountUuid}:${accountId}`;

/**
 * Asks for the change; returns the ids of the messages queued. A new address that
 * already has an account gets a notice instead of a code (nothing can complete), and
 * the answer is the same, so the endpoint tells nobody who is registered.
 */
export async function requestAccountIdChange(
  deps: Deps,
  session: Session,
  input: SecondFactorProof & { newAccountId: AccountId; passcode: string },
  origin: RequestOrigin,
): Promise<string[]> {
  const accountUuid = session.accountUuid;
  const entry = await findAccount(deps.kv, accountUuid);
  if (!entry) throw new ApiError("session_revoked");
  const account = entry.value;
  const target = input.newAccountId;
  if (target.value === account.accountId) {
    throw new ApiError("invalid_request", "That is already your account ID.", {
      extensions: {
        errors: [{ path: "newAccountId", message: "is the current ID" }],
      },
    });
  }
  await confirmSecurityChange(
    deps,
    accountUuid,
    { ...input, currentPasscode: input.passcode },
    origin,
  );

  const now = deps.clock.now();
  const key = accountIdChangeKey(accountUuid);
  const operation = deps.kv.atomic();
  const notice = composeAccountMessage(
    deps,
    account,
    "account_id_change_requested",
    { newAccountId: target.value },
  );
  const taken = await findAccountByAccountId(deps.kv, target.value);
  // A taken address gets a notice, and the change a code that goes to nobody: the
  // same work either way (verify would refuse it with 409 even if it were guessed).
  const { code, record } = await issueCodeRecord<PendingAccountIdChange>(
    deps,
    codeContext(accountUuid, target.value),
    { accountId: target.value, channel: target.channel },
    now,
  );
  putCodeRecord(operation, key, record, now);
  const toNewAddress = taken
    ? composeAccountMessage(deps, taken.value, "registration_notice", {})
    : composeAccountMessage(
      deps,
      { ...account, accountId: target.value, channel: target.channel },
      "account_id_change_code",
      { code },
    );
  recordSecurityEvent(
    operation,
    accountUuid,
    securityEvent(deps, "account_id_change_requested", origin),
  );
  enqueueMessage(operation, notice);
  enqueueMessage(operation, toNewAddress);
  if (!(await operation.commit()).ok) throw new Error("storing failed");
  return [notice.id, toNewAddress.id];
}

/**
 * Redeems the code sent to the new address and moves the account there, announcing it
 * to both addresses. `409 conflict` when the address was registered meanwhile.
 */
export async function verifyAccountIdChange(
  deps: Deps,
  session: Session,
  code: string,
  origin: RequestOrigin,
): Promise<string[]> {
  const accountUuid = session.accountUuid;
  const key = accountIdChangeKey(accountUuid);
  const others = signOut(deps, { keep: session.id });
  const messageIds = await withRetry(async (retry) => {
    const [entry, current] = await Promise.all([
      findAccount(deps.kv, accountUuid),
      findSession(deps.kv, session.id),
    ]);
    if (!entry || !current) throw new ApiError("session_revoked");
    let ids: string[] = [];
    const result = await redeemCode<PendingAccountIdChange>(deps.kv, key, {
      nowMs: deps.clock.now(),
      matches: (record) =>
        codeRecordMatches<PendingAccountIdChange>(
          deps,
          codeContext(accountUuid, record.data.accountId),
          code,
        )(record),
      onRedeem(operation, record) {
        const next = { ...entry.value, ...record.data };
        const parameters = {
          previousAccountId: entry.value.accountId,
          newAccountId: next.accountId,
        };
        ids = addAccountChange(deps, operation, entry, {
          next,
          eventType: "account_id_changed",
          messages: [
            composeAccountMessage(
              deps,
              entry.value,
              "account_id_changed",
              parameters,
            ),
            composeAccountMessage(deps, next, "account_id_changed", parameters),
          ],
          holdWithdrawals: true,
          signOut: others,
        }, origin);
        // The other sessions end; this one stays and shows the new ID.
        updateSession(operation, current, {
          ...current.value,
          accountId: next.accountId,
        }, deps.clock.now());
        return operation;
      },
    });
    if (result.ok) return ids;
    if (result.reason !== "precondition") {
      throw new ApiError("invalid_code", undefined, { status: 400 });
    }
    const pending = await deps.kv.get<{ data: PendingAccountIdChange }>(key);
    if (
      pending.value &&
      await findAccountByAccountId(deps.kv, pending.value.data.accountId)
    ) {
      await deps.kv.delete(key);
      throw new ApiError(
        "conflict",
        "That address was registered meanwhile; choose another.",
      );
    }
    return retry;
  });
  await finishSignOut(deps, accountUuid, others);
  return messageIds;
}
