/** Action tokens (step-up): issued records, redeemed at most once. */
import { actionTokenKey, withdrawalHoldKey } from "./keys.ts";
import { cleanupAfterMs } from "./retry.ts";

/** An issued action token's redemption state. */
export interface ActionTokenRecord {
  accountUuid: string;
  action: string;
  expiresAt: number;
  redeemedAt: number | null;
}

/** Records an issued action token. */
export async function putActionToken(
  kv: Deno.Kv,
  jti: string,
  record: ActionTokenRecord,
  nowMs: number,
): Promise<void> {
  await kv.set(actionTokenKey(jti), record, {
    expireIn: cleanupAfterMs(record.expiresAt, nowMs),
  });
}

/**
 * Redeems an action token once: the record read is checked by versionstamp when it is
 * marked redeemed, so of many racing redemptions exactly one succeeds.
 */
export async function redeemActionToken(
  kv: Deno.Kv,
  jti: string,
  nowMs: number,
): Promise<"redeemed" | "used" | "unknown"> {
  const entry = await kv.get<ActionTokenRecord>(actionTokenKey(jti));
  if (entry.versionstamp === null || entry.value.expiresAt <= nowMs) {
    return "unknown";
  }
  if (entry.value.redeemedAt !== null) return "used";
  const result = await kv.atomic().check(entry).set(entry.key, {
    ...entry.value,
    redeemedAt: nowMs,
  }, { expireIn: cleanupAfterMs(entry.value.expiresAt, nowMs) }).commit();
  return result.ok ? "redeemed" : "used";
}

/** Adds "withdrawals are held until `untilMs`" to the operation of a security change. */
export function putWithdrawalHold(
  operation: Deno.AtomicOperation,
  accountUuid: string,
  untilMs: number,
  nowMs: number,
): Deno.AtomicOperation {
  return operation.set(withdrawalHoldKey(accountUuid), { until: untilMs }, {
    expireIn: cleanupAfterMs(untilMs, nowMs),
  });
}

/** Until when withdrawals are held, or null. */
export async function findWithdrawalHold(
  kv: Deno.Kv,
  accountUuid: string,
  nowMs: number,
): Promise<number | null> {
  const hold = (await kv.get<{ until: number }>(withdrawalHoldKey(accountUuid)))
    .value;
  return hold && hold.until > nowMs ? hold.until : null;
}
