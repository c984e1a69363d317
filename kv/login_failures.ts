/**
 * Lockout counters (API.md: 5 consecutive failures lock for 2 hours), for logins and for
 * step-up alike; the caller names the counter's key (`kv/keys.ts`).
 *
 * An attempt is reserved, by a check-and-set that counts it as a failure, before the
 * passcode or code is checked; success then clears the counter. However many requests
 * race, only as many checks run as there are failures left. Expiry lives in the value:
 * `sum` cannot carry a TTL, and `expireIn` is only a clean-up (DESIGN.md).
 */
import { recentFailureFromClientKey } from "./keys.ts";
import { commitGuards, type Guard } from "./guards.ts";
import { cleanupAfterMs, withRetry } from "./retry.ts";

/** Whose budget: an account ID, or a recognised browser of it. */
export interface LockoutSubject {
  accountId: string;
  deviceId: string | null;
}

/** A failure counter (of a login subject, or of step-up). */
export interface LoginFailures {
  failures: number;
  /** Set when the last allowed attempt is reserved; the lock lasts until then. */
  lockedUntil: number | null;
  /** Failures are forgotten after a quiet day, so the key space stays bounded. */
  expiresAt: number;
}

/** Lockout policy. */
export interface LockoutPolicy {
  maxFailures: number;
  lockSeconds: number;
  /** How long unlocked failures are remembered. */
  memorySeconds: number;
}

/** The result of a reservation. */
export type Reservation =
  /**
   * `lockedUntil`: the lock this reservation set, when it took the last attempt;
   * `failures`: the count with this attempt in it.
   */
  | { granted: true; lockedUntil: number | null; failures: number }
  | { granted: false; lockedUntil: number };

function current(
  entry: Deno.KvEntry<LoginFailures> | Deno.KvEntryMaybe<LoginFailures>,
  nowMs: number,
): LoginFailures | null {
  const value = entry.value;
  if (!value) return null;
  if (value.lockedUntil !== null && value.lockedUntil <= nowMs) return null;
  if (value.lockedUntil === null && value.expiresAt <= nowMs) return null;
  return value;
}

/** When the account ID is locked now, until when; null otherwise. A read, no write. */
export async function findLock(
  kv: Deno.Kv,
  key: Deno.KvKey,
  policy: LockoutPolicy,
  nowMs: number,
): Promise<number | null> {
  const value = current(
    await kv.get<LoginFailures>(
      key,
    ),
    nowMs,
  );
  return value && value.failures >= policy.maxFailures
    ? value.lockedUntil
    : null;
}

/** Reserves one attempt, counted as a failure until it succeeds; a refusal when locked. */
export function loginAttemptGuard(
  key: Deno.KvKey,
  policy: LockoutPolicy,
  nowMs: number,
): Guard<Reservation> {
  return {
    key,
    decide(entry) {
      const value = current(entry as Deno.KvEntryMaybe<LoginFailures>, nowMs);
      const failures = value?.failures ?? 0;
      if (failures >= policy.maxFailures) {
        return {
          outcome: { granted: false, lockedUntil: value!.lockedUntil! },
        };
      }
      const attempt = failures + 1;
      const lockedUntil = attempt >= policy.maxFailures
        ? nowMs + policy.lockSeconds * 1000
        : null;
      const next: LoginFailures = {
        failures: attempt,
        lockedUntil,
        expiresAt: lockedUntil ?? nowMs + policy.memorySeconds * 1000,
      };
      return {
        outcome: { granted: true, lockedUntil, failures: attempt },
        write: (operation) =>
          operation.set(key, next, {
            expireIn: cleanupAfterMs(next.expiresAt, nowMs),
          }),
      };
    },
  };
}

/** Reserves one attempt on its own, or reports the lock. */
export async function reserveLoginAttempt(
  kv: Deno.Kv,
  key: Deno.KvKey,
  policy: LockoutPolicy,
  nowMs: number,
): Promise<Reservation> {
  const [reservation] = await commitGuards(kv, [
    loginAttemptGuard(key, policy, nowMs),
  ]);
  return reservation!;
}

/** Clears the counter after a successful check. */
export async function clearLoginFailures(
  kv: Deno.Kv,
  key: Deno.KvKey,
): Promise<void> {
  await kv.delete(key);
}

/**
 * Gives back a reserved attempt whose check succeeded at an intermediate step (the
 * passcode before MFA): the failures stay consecutive across steps, but a right
 * passcode is not a failure. Only the completed login clears the counter.
 */
export async function refundLoginAttempt(
  kv: Deno.Kv,
  key: Deno.KvKey,
  policy: LockoutPolicy,
  nowMs: number,
): Promise<void> {
  await withRetry(async (retry) => {
    const entry = await kv.get<LoginFailures>(key);
    const value = current(entry, nowMs);
    if (!value || value.failures === 0) return true;
    const failures = value.failures - 1;
    const next: LoginFailures = {
      failures,
      lockedUntil: failures >= policy.maxFailures ? value.lockedUntil : null,
      expiresAt: nowMs + policy.memorySeconds * 1000,
    };
    const result = await kv.atomic().check(entry).set(key, next, {
      expireIn: cleanupAfterMs(next.expiresAt, nowMs),
    }).commit();
    return result.ok ? true : retry;
  });
}

/** Whether the subject has failures on record (adaptive CAPTCHA). */
export async function hasFailures(
  kv: Deno.Kv,
  key: Deno.KvKey,
  nowMs: number,
): Promise<boolean> {
  const value = current(
    await kv.get<LoginFailures>(
      key,
    ),
    nowMs,
  );
  return (value?.failures ?? 0) > 0;
}

/** Adds the note that a client failed a login, for `ttlSeconds`, to `operation`. */
export function markClientFailure(
  operation: Deno.AtomicOperation,
  client: string,
  nowMs: number,
  ttlSeconds: number,
): Deno.AtomicOperation {
  const expiresAt = nowMs + ttlSeconds * 1000;
  return operation.set(recentFailureFromClientKey(client), { expiresAt }, {
    expireIn: cleanupAfterMs(expiresAt, nowMs),
  });
}

/** Whether a client failed a login recently. */
export async function hasClientFailure(
  kv: Deno.Kv,
  client: string,
  nowMs: number,
): Promise<boolean> {
  const entry = await kv.get<{ expiresAt: number }>(
    recentFailureFromClientKey(client),
  );
  return entry.value !== null && entry.value.expiresAt > nowMs;
}
