/**
 * The 24-hour withdrawal hold (API.md, Trading passcode): after a passcode reset, an
 * account-ID change or a change of a factor, `withdrawal` step-up waits a day, so
 * somebody who took the account over cannot empty it before the owner reads the notice.
 * Shared by every capability that makes such a change, and checked by step-up.
 */
import { putWithdrawalHold } from "../../kv/action_tokens.ts";
import type { Deps } from "../deps.ts";

/** After a passcode reset or MFA change, withdrawals wait 24 hours. */
const withdrawalHoldSeconds = 24 * 60 * 60;

/** Adds the 24-hour withdrawal hold to the operation of a security change. */
export function holdWithdrawals(
  deps: Deps,
  operation: Deno.AtomicOperation,
  accountUuid: string,
): void {
  const now = deps.clock.now();
  putWithdrawalHold(
    operation,
    accountUuid,
    now + withdrawalHoldSeconds * 1000,
    now,
  );
}
