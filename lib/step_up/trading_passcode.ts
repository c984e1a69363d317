/**
 * Setting the trading passcode: 6 digits that authorise withdrawals, API keys and trades
 * (step-up), hashed with Argon2id like the login passcode. Replacing one holds
 * withdrawals for 24 hours, as a passcode change does: a thief with a session and the
 * second factor would otherwise set their own and withdraw at once.
 */
import { findAccount } from "../../kv/accounts.ts";
import { enqueueMessage } from "../../kv/outbox.ts";
import { recordSecurityEvent } from "../../kv/security_events.ts";
import {
  putTradingPasscode,
  readTradingPasscode,
} from "../../kv/trading_passcodes.ts";
import { withRetry } from "../../kv/retry.ts";
import type { Deps, RequestOrigin } from "../deps.ts";
import { ApiError } from "../runtime/errors.ts";
import { composeAccountMessage } from "../messages/account_message.ts";
import {
  confirmSecurityChange,
  type SecondFactorProof,
} from "../safeguards/second_factor.ts";
import { securityEvent } from "../security_event.ts";
import { holdWithdrawals } from "../safeguards/withdrawal_hold.ts";
import { tradingPasscodeProblem } from "./trading_passcode_policy.ts";
import { weakPasscode } from "../account/passcode_policy.ts";

/** Sets (or replaces) the trading passcode; returns the notice's message id. */
export async function setTradingPasscode(
  deps: Deps,
  accountUuid: string,
  tradingPasscode: string,
  proof: SecondFactorProof,
  origin: RequestOrigin,
): Promise<string> {
  const entry = await findAccount(deps.kv, accountUuid);
  if (!entry) throw new ApiError("session_revoked");
  const account = entry.value;
  const problem = tradingPasscodeProblem(
    tradingPasscode,
    account.channel === "sms" ? account.accountId.replace(/\D/g, "") : null,
  );
  if (problem) throw weakPasscode([problem]);
  await confirmSecurityChange(deps, accountUuid, proof, origin);
  const hash = await deps.hasher.hash(tradingPasscode);
  return await withRetry(async (retry) => {
    const current = await readTradingPasscode(deps.kv, accountUuid);
    const replaced = current.versionstamp !== null;
    const message = composeAccountMessage(
      deps,
      account,
      "trading_passcode_set",
      { replaced },
    );
    const operation = putTradingPasscode(
      deps.kv.atomic().check(current),
      accountUuid,
      { hash, setAt: deps.clock.now() },
    );
    if (replaced) holdWithdrawals(deps, operation, accountUuid);
    recordSecurityEvent(
      operation,
      accountUuid,
      securityEvent(deps, "trading_passcode_set", origin),
    );
    enqueueMessage(operation, message);
    return (await operation.commit()).ok ? message.id : retry;
  });
}
