/** Trading passcodes. */
import { readEntries } from "./entries.ts";
import { tradingPasscodeKey } from "./keys.ts";

/** A trading passcode as stored. */
export interface TradingPasscode {
  hash: string;
  setAt: number;
}

/** The account's trading passcode entry, to check when replacing it. */
export function readTradingPasscode(
  kv: Deno.Kv,
  accountUuid: string,
): Promise<Deno.KvEntryMaybe<TradingPasscode>> {
  return kv.get<TradingPasscode>(tradingPasscodeKey(accountUuid));
}

/** The account's trading passcode, or null; from `read` when read already. */
export async function findTradingPasscode(
  kv: Deno.Kv,
  accountUuid: string,
  read: readonly Deno.KvEntryMaybe<unknown>[] = [],
): Promise<TradingPasscode | null> {
  const [entry] = await readEntries(
    kv,
    [tradingPasscodeKey(accountUuid)],
    read,
  );
  return entry.value as TradingPasscode | null;
}

/** Adds the setting of a trading passcode to an operation. */
export function putTradingPasscode(
  operation: Deno.AtomicOperation,
  accountUuid: string,
  value: TradingPasscode,
): Deno.AtomicOperation {
  return operation.set(tradingPasscodeKey(accountUuid), value);
}
