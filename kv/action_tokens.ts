/** Action tokens (step-up): issued records, redeemed at most once. */
import { readEntries } from "./entries.ts";
import { actionTokenKey, sessionKey, withdrawalHoldKey } from "./keys.ts";
import { cleanupAfterMs } from "./retry.ts";
import type { Session } from "./sessions.ts";

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

/** The withdrawal hold of an account after a security change. */
export interface WithdrawalHold {
  until: number;
}

/**
 * What a redemption decides on, read together: the token's record, the session that
 * asked for it, and the account's withdrawal hold.
 */
export interface RedemptionRead {
  token: Deno.KvEntryMaybe<ActionTokenRecord>;
  session: Deno.KvEntryMaybe<Session>;
  hold: Deno.KvEntryMaybe<WithdrawalHold>;
}

/** Reads a redemption's three records in one call. */
export async function readRedemption(
  kv: Deno.Kv,
  jti: string,
  sessionId: string,
  accountUuid: string,
): Promise<RedemptionRead> {
  const [token, session, hold] = await kv.getMany<
    [ActionTokenRecord, Session, WithdrawalHold]
  >([
    actionTokenKey(jti),
    sessionKey(sessionId),
    withdrawalHoldKey(accountUuid),
  ]);
  return { token, session, hold };
}

/**
 * Marks a read token redeemed, unless the token, the session or the hold changed since
 * the read: of racing redemptions exactly one wins, and none wins against a revocation
 * or a new hold that landed in between.
 */
export async function commitRedemption(
  kv: Deno.Kv,
  read: RedemptionRead & { token: Deno.KvEntry<ActionTokenRecord> },
  nowMs: number,
): Promise<boolean> {
  const { token } = read;
  const result = await kv.atomic()
    .check(token, read.session, read.hold)
    .set(token.key, { ...token.value, redeemedAt: nowMs }, {
      expireIn: cleanupAfterMs(token.value.expiresAt, nowMs),
    })
    .commit();
  return result.ok;
}

/** Adds "withdrawals are held until `untilMs`" to the operation of a security change. */
export function putWithdrawalHold(
  operation: Deno.AtomicOperation,
  accountUuid: string,
  untilMs: number,
  nowMs: number,
): Deno.AtomicOperation {
  const hold: WithdrawalHold = { until: untilMs };
  return operation.set(withdrawalHoldKey(accountUuid), hold, {
    expireIn: cleanupAfterMs(untilMs, nowMs),
  });
}

/** Until when withdrawals are held, or null; from `read` when read already. */
export async function findWithdrawalHold(
  kv: Deno.Kv,
  accountUuid: string,
  nowMs: number,
  read: readonly Deno.KvEntryMaybe<unknown>[] = [],
): Promise<number | null> {
  const [hold] = await readEntries(kv, [withdrawalHoldKey(accountUuid)], read);
  return heldUntil(hold.value as WithdrawalHold | null, nowMs);
}

/** The end of a hold still in force at `nowMs`, or null. */
export function heldUntil(
  hold: WithdrawalHold | null,
  nowMs: number,
): number | null {
  return hold && hold.until > nowMs ? hold.until : null;
}
