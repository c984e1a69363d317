/**
 * The 24-hour withdrawal hold (API.md, Trading passcode): after a passcode reset, an
 * account-ID change or a change of a factor, `withdrawal` step-up waits a day, so
 * somebody who took the account over cannot empty it before the owner reads the notice.
 * Shared by every capability that makes such a change, and checked by step-up. The
 * change's message and answer say when the hold ends, so the owner is not surprised.
 */
import { putWithdrawalHold } from "../../kv/action_tokens.ts";
import type { Deps } from "../deps.ts";

/** After a passcode reset or MFA change, withdrawals wait 24 hours. */
const withdrawalHoldSeconds = 24 * 60 * 60;

/** When a hold that starts now ends: for the change's message, then its operation. */
export function withdrawalHoldEnd(deps: Deps): number {
  return deps.clock.now() + withdrawalHoldSeconds * 1000;
}

/** Adds the withdrawal hold, ending at `untilMs`, to the operation of a security change. */
export function holdWithdrawals(
  deps: Deps,
  operation: Deno.AtomicOperation,
  accountUuid: string,
  untilMs: number,
): void {
  putWithdrawalHold(operation, accountUuid, untilMs, deps.clock.now());
}
