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
 * A code may also be redeemed among a few records pending side by side (registrations of
 * one ID): a submission then reserves an attempt of each, is compared with each, and
 * redeeming one deletes them all.
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
export function redeemCode<T>(
  kv: Deno.Kv,
  key: Deno.KvKey,
  options: RedeemOptions<T>,
): Promise<RedeemResult<T>> {
  return redeemCodeAmong(kv, [key], options);
}

/**
 * Redeems a code among the records under `keys`: reserves an attempt of every live one,
 * compares the code with each, and on a match consumes that record and deletes the
 * others in the same atomic operation. A wrong code thus spends a try of every record it
 * was compared with, so more records give a guesser no more tries at any one code.
 */
export async function redeemCodeAmong<T>(
  kv: Deno.Kv,
  keys: readonly Deno.KvKey[],
  options: RedeemOptions<T>,
): Promise<RedeemResult<T>> {
  const { nowMs } = options;
  const reserved = await withRetry<
    { ok: false; reason: RedeemFailure } | {
      ok: true;
      entries: { key: Deno.KvKey; value: CodeRecord<T> }[];
    }
  >(async (retry) => {
    const entries = await kv.getMany<CodeRecord<T>[]>(keys);
    const live = entries.filter(isPresent).filter((entry) =>
      entry.value.expiresAt > nowMs && entry.value.attemptsLeft > 0
    );
    if (live.length === 0) {
      return { ok: false, reason: whyNoneLive(entries, nowMs) };
    }
    const operation = kv.atomic();
    const spent = live.map((entry) => {
      const value = {
        ...entry.value,
        attemptsLeft: entry.value.attemptsLeft - 1,
      };
      putCodeRecord(operation.check(entry), entry.key, value, nowMs);
      return { key: entry.key, value };
    });
    if (!(await operation.commit()).ok) return retry;
    return { ok: true, entries: spent };
  });
  if (!reserved.ok) return reserved;
  // Every reserved record is compared before any result is looked at, so the time taken
  // does not tell which of them matched.
  const matched = await Promise.all(
    reserved.entries.map((entry) => options.matches(entry.value)),
  );
  const matching = reserved.entries.filter((_, i) => matched[i]);
  // Two records with one code (a chance in a million per pair): the code cannot say
  // which it was sent for, so it redeems neither.
  if (matching.length !== 1) return { ok: false, reason: "wrong" };

  const { key, value: { codeHash } } = matching[0];
  if (options.afterMatch) {
    try {
      await options.afterMatch(matching[0].value);
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
    let operation = kv.atomic().check(entry);
    for (const each of keys) operation.delete(each);
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

/** Why none of these entries can take a guess: absent, else used up, else expired. */
function whyNoneLive<T>(
  entries: Deno.KvEntryMaybe<CodeRecord<T>>[],
  nowMs: number,
): RedeemFailure {
  const present = entries.filter(isPresent);
  if (present.length === 0) return "missing";
  return present.some((entry) => entry.value.expiresAt > nowMs)
    ? "exhausted"
    : "expired";
}

function isPresent<T>(entry: Deno.KvEntryMaybe<T>): entry is Deno.KvEntry<T> {
  return entry.versionstamp !== null;
}
