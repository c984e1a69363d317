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
  | {
    granted: true;
    lockedUntil: number | null;
    failures: number;
    /** The counter as the reservation writes it (what a refund then checks). */
    counter: LoginFailures;
  }
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

/**
 * The counter under `key` as stored: to decide on, and to hand to the reservation,
 * which checks it instead of reading it again.
 */
export function readLoginFailures(
  kv: Deno.Kv,
  key: Deno.KvKey,
): Promise<Deno.KvEntryMaybe<LoginFailures>> {
  return kv.get<LoginFailures>(key);
}

/** Until when the counter `entry` locks at `nowMs`; null when it does not. */
export function lockOf(
  entry: Deno.KvEntryMaybe<LoginFailures>,
  policy: LockoutPolicy,
  nowMs: number,
): number | null {
  const value = current(entry, nowMs);
  return value && value.failures >= policy.maxFailures
    ? value.lockedUntil
    : null;
}

/** When the account ID is locked now, until when; null otherwise. A read, no write. */
export async function findLock(
  kv: Deno.Kv,
  key: Deno.KvKey,
  policy: LockoutPolicy,
  nowMs: number,
): Promise<number | null> {
  return lockOf(await readLoginFailures(kv, key), policy, nowMs);
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
        outcome: {
          granted: true,
          lockedUntil,
          failures: attempt,
          counter: next,
        },
        write: (operation) =>
          operation.set(key, next, {
            expireIn: cleanupAfterMs(next.expiresAt, nowMs),
          }),
      };
    },
  };
}

/**
 * Reserves one attempt on its own, or reports the lock; `read` is the counter when this
 * request read it already. The versionstamp is the reservation's, for a refund.
 */
export async function reserveLoginAttempt(
  kv: Deno.Kv,
  key: Deno.KvKey,
  policy: LockoutPolicy,
  nowMs: number,
  read?: Deno.KvEntryMaybe<LoginFailures>,
): Promise<{ reservation: Reservation; versionstamp: string | null }> {
  const { outcomes: [reservation], versionstamp } = await commitGuards(
    kv,
    [loginAttemptGuard(key, policy, nowMs)],
    read ? [read] : [],
  );
  return { reservation: reservation!, versionstamp };
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
 * passcode is not a failure. Only the completed login clears the counter. `reserved`
 * is the counter as the reservation left it: checked, not read again.
 */
export async function refundLoginAttempt(
  kv: Deno.Kv,
  key: Deno.KvKey,
  policy: LockoutPolicy,
  nowMs: number,
  reserved?: Deno.KvEntryMaybe<LoginFailures>,
): Promise<void> {
  let known = reserved;
  await withRetry(async (retry) => {
    const entry = known ?? await readLoginFailures(kv, key);
    known = undefined;
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

/** Whether the counter `entry` holds failures (adaptive CAPTCHA). */
export function hasFailures(
  entry: Deno.KvEntryMaybe<LoginFailures>,
  nowMs: number,
): boolean {
  return (current(entry, nowMs)?.failures ?? 0) > 0;
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
