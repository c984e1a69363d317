/**
 * Records redeemed with a short code: registration verification, new-device codes,
 * recovery codes, account-ID changes. One algorithm serves them all:
 *
 * 1. reserve an attempt (atomic decrement of `attemptsLeft`, checked by versionstamp),
 * 2. only then compare the code, so however many guesses race, at most `maxAttempts`
 *    comparisons ever run,
 * 3. consume with a check on the record's latest versionstamp, together with whatever the
 *    redemption writes, so exactly one of many racing correct submissions wins.
 *
 * Expiry is a field checked on read; `expireIn` only cleans up (DESIGN.md).
 */
import { cleanupAfterMs, withRetry } from "./retry.ts";

/** A code-protected record. `codeHash` is an HMAC of the code, never the code. */
export interface CodeRecord<T> {
  codeHash: string;
  expiresAt: number;
  attemptsLeft: number;
  data: T;
}

/** Why a redemption failed. All look the same to the client (`invalid_code`). */
export type RedeemFailure = "missing" | "expired" | "exhausted" | "wrong";

/** The result of {@link redeemCode}. */
export type RedeemResult<T> =
  | { ok: true; record: CodeRecord<T> }
  | { ok: false; reason: RedeemFailure | "precondition" };

/** Adds the writing of a new code record to an atomic operation (replacing any older). */
export function putCodeRecord<T>(
  operation: Deno.AtomicOperation,
  key: Deno.KvKey,
  record: CodeRecord<T>,
  nowMs: number,
): Deno.AtomicOperation {
  return operation.set(key, record, {
    expireIn: cleanupAfterMs(record.expiresAt, nowMs),
  });
}

/** Options of {@link redeemCode}. */
export interface RedeemOptions<T> {
  nowMs: number;
  /** Whether the stored hash matches the submitted code (constant-time inside). */
  matches(record: CodeRecord<T>): Promise<boolean>;
  /**
   * Work only a right code may cause (a new passcode's policy and hash), run after the
   * match and before the consumption. When it throws, the attempt is given back and
   * the record stays, so its owner can correct the request and use the same code.
   */
  afterMatch?(record: CodeRecord<T>): Promise<void>;
  /**
   * Adds the redemption's own checks and writes to the consuming operation. When those
   * checks fail (and the record itself did not change), the result is `precondition`.
   */
  onRedeem?(
    operation: Deno.AtomicOperation,
    record: CodeRecord<T>,
  ): Deno.AtomicOperation;
}

/** Reserves an attempt, checks the code, and consumes the record on a match. */
export async function redeemCode<T>(
  kv: Deno.Kv,
  key: Deno.KvKey,
  options: RedeemOptions<T>,
): Promise<RedeemResult<T>> {
  const { nowMs } = options;
  const reserved = await withRetry<
    { ok: false; reason: RedeemFailure } | {
      ok: true;
      entry: Deno.KvEntry<CodeRecord<T>>;
    }
  >(async (retry) => {
    const entry = await kv.get<CodeRecord<T>>(key);
    if (entry.versionstamp === null) return { ok: false, reason: "missing" };
    if (entry.value.expiresAt <= nowMs) return { ok: false, reason: "expired" };
    if (entry.value.attemptsLeft <= 0) {
      return { ok: false, reason: "exhausted" };
    }
    const value = {
      ...entry.value,
      attemptsLeft: entry.value.attemptsLeft - 1,
    };
    const committed = await putCodeRecord(
      kv.atomic().check(entry),
      key,
      value,
      nowMs,
    ).commit();
    if (!committed.ok) return retry;
    return {
      ok: true,
      entry: { ...entry, value, versionstamp: committed.versionstamp },
    };
  });
  if (!reserved.ok) return reserved;
  if (!(await options.matches(reserved.entry.value))) {
    return { ok: false, reason: "wrong" };
  }

  const codeHash = reserved.entry.value.codeHash;
  if (options.afterMatch) {
    try {
      await options.afterMatch(reserved.entry.value);
    } catch (error) {
      await returnAttempt(kv, key, codeHash, nowMs);
      throw error;
    }
  }
  return await withRetry<RedeemResult<T>>(async (retry) => {
    const entry = await kv.get<CodeRecord<T>>(key);
    // Gone, or replaced by a newer code: someone else redeemed or reissued it.
    if (entry.versionstamp === null || entry.value.codeHash !== codeHash) {
      return { ok: false, reason: "missing" };
    }
    if (entry.value.expiresAt <= nowMs) return { ok: false, reason: "expired" };
    let operation = kv.atomic().check(entry).delete(key);
    if (options.onRedeem) operation = options.onRedeem(operation, entry.value);
    const committed = await operation.commit();
    if (committed.ok) return { ok: true, record: entry.value };
    const again = await kv.get(key);
    if (again.versionstamp === entry.versionstamp) {
      return { ok: false, reason: "precondition" };
    }
    return retry;
  });
}

/** Gives a reserved attempt back to the record it was taken from, if it is still there. */
async function returnAttempt(
  kv: Deno.Kv,
  key: Deno.KvKey,
  codeHash: string,
  nowMs: number,
): Promise<void> {
  await withRetry(async (retry) => {
    const entry = await kv.get<CodeRecord<unknown>>(key);
    if (entry.versionstamp === null || entry.value.codeHash !== codeHash) {
      return true;
    }
    const value = {
      ...entry.value,
      attemptsLeft: entry.value.attemptsLeft + 1,
    };
    const committed = await putCodeRecord(
      kv.atomic().check(entry),
      key,
      value,
      nowMs,
    ).commit();
    return committed.ok ? true : retry;
  });
}
