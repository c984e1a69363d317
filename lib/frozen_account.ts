/**
 * A frozen account (API.md, Freeze): once the owner said "this wasn't me", every login
 * step, step-up and authenticated call answers `423 account_frozen` until a recovery
 * reset, which proves the address and the second factor, clears it.
 */
import { type Account, findAccount } from "../kv/accounts.ts";
import type { Deps } from "./deps.ts";
import { ApiError } from "./runtime/errors.ts";

/** `423 account_frozen`. */
export function accountFrozen(): ApiError {
  return new ApiError(
    "account_frozen",
    "The account is frozen. Recover it with a code sent to its address and your second factor.",
  );
}

/** Whether the account is frozen. */
export function isFrozen(account: Pick<Account, "frozenAt">): boolean {
  return account.frozenAt != null;
}

/** Refuses a frozen account with `423 account_frozen`. */
export function assertNotFrozen(account: Pick<Account, "frozenAt">): void {
  if (isFrozen(account)) throw accountFrozen();
}

/** Reads the account and refuses it when frozen (a missing one is left to the caller). */
export async function refuseFrozenAccount(
  deps: Deps,
  accountUuid: string,
): Promise<void> {
  const account = await findAccount(deps.kv, accountUuid);
  if (account) assertNotFrozen(account.value);
}
