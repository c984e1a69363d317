/**
 * Setting the trading passcode: 6 digits that authorise withdrawals, API keys and trades
 * (step-up), hashed with Argon2id like the login passcode.
 */
import { findAccount } from "../kv/accounts.ts";
import { enqueueMessage } from "../kv/outbox.ts";
import { recordSecurityEvent } from "../kv/security_events.ts";
import { putTradingPasscode } from "../kv/trading_passcodes.ts";
import type { Deps, RequestOrigin } from "./deps.ts";
import { ApiError } from "./errors.ts";
import { composeAccountMessage } from "./account_message.ts";
import {
  confirmSecurityChange,
  type SecondFactorProof,
} from "./second_factor.ts";
import { securityEvent } from "./sessions.ts";
import { tradingPasscodeProblem } from "./trading_passcode_policy.ts";
import { weakPasscode } from "./passcode_policy.ts";

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
  const now = deps.clock.now();
  const message = composeAccountMessage(
    deps,
    account,
    "trading_passcode_set",
    {},
  );
  const operation = putTradingPasscode(deps.kv.atomic(), accountUuid, {
    hash: await deps.hasher.hash(tradingPasscode),
    setAt: now,
  });
  recordSecurityEvent(
    operation,
    accountUuid,
    securityEvent(deps, "trading_passcode_set", origin),
  );
  enqueueMessage(operation, message);
  if (!(await operation.commit()).ok) throw new Error("storing failed");
  return message.id;
}
