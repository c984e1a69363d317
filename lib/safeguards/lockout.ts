/**
 * The login lockout (API.md): 5 consecutive failures of passcode or MFA for one account
 * ID, known or not, lock it for 2 hours. The lock is checked before any hashing or
 * CAPTCHA work, so a locked account costs the service one KV read per guess.
 */
import type { Account } from "../../kv/accounts.ts";
import {
  clearLoginFailures,
  hasClientFailure,
  hasFailures,
  lockOf,
  type LockoutPolicy,
  type LockoutSubject,
  loginAttemptGuard,
  type LoginFailures,
  markClientFailure,
  readLoginFailures,
  refundLoginAttempt,
  type Reservation,
  reserveLoginAttempt,
} from "../../kv/login_failures.ts";
import type { Guard } from "../../kv/guards.ts";
import { loginFailuresKey } from "../../kv/keys.ts";
import { enqueueMessage } from "../../kv/outbox.ts";
import {
  recordSecurityEvent,
  recordSecurityEventOrStandIn,
} from "../../kv/security_events.ts";
import { clientKey } from "../runtime/client_address.ts";
import type { Deps, RequestOrigin } from "../deps.ts";
import { ApiError } from "../runtime/errors.ts";
import { lockouts } from "../runtime/telemetry.ts";
import { composeAccountMessage } from "../messages/account_message.ts";
import { securityEvent } from "../security_event.ts";

/** API.md: 5 failures, 2 hours; failures short of a lock are forgotten after a day. */
export const loginLockout: LockoutPolicy = {
  maxFailures: 5,
  lockSeconds: 2 * 60 * 60,
  memorySeconds: 24 * 60 * 60,
};

/** Adaptive CAPTCHA: a client that failed a login is asked for one for an hour. */
const clientFailureMemorySeconds = 60 * 60;

/**
 * Whether `CAPTCHA_MODE=adaptive` asks this login for a CAPTCHA: after a failure for
 * the account (or this browser's budget of it: `counter`, its lockout counter as
 * {@link assertNotLocked} read it) or from this client, or when the browser is not
 * recognised.
 */
export async function isRiskyLogin(
  deps: Deps,
  subject: LockoutSubject,
  counter: Deno.KvEntryMaybe<LoginFailures>,
  ip: string | null,
): Promise<boolean> {
  if (subject.deviceId === null) return true;
  const now = deps.clock.now();
  return hasFailures(counter, now) ||
    await hasClientFailure(deps.kv, clientKey(ip), now);
}

/** The counter key of a login subject. */
export function lockoutKey(subject: LockoutSubject): Deno.KvKey {
  return loginFailuresKey(subject.accountId, subject.deviceId);
}

/** `423 account_locked` with `Retry-After` and `lockedUntil`. */
export function accountLocked(lockedUntil: number, nowMs: number): ApiError {
  return lockedError(
    "account_locked",
    "Too many failed attempts. Sign-in is locked for a while.",
    lockedUntil,
    nowMs,
  );
}

/** Whole seconds until `untilMs`, at least one, for `Retry-After`. */
export function retryAfterSeconds(untilMs: number, nowMs: number): string {
  return String(Math.max(1, Math.ceil((untilMs - nowMs) / 1000)));
}

/** A `423` lock with `Retry-After` and `lockedUntil` (login and step-up alike). */
export function lockedError(
  code: "account_locked" | "step_up_locked",
  detail: string,
  lockedUntil: number,
  nowMs: number,
): ApiError {
  return new ApiError(code, detail, {
    headers: { "Retry-After": retryAfterSeconds(lockedUntil, nowMs) },
    extensions: { lockedUntil: new Date(lockedUntil).toISOString() },
  });
}

/**
 * Refuses at once when the account ID is locked; else returns its lockout counter as
 * read, for the reservation to check instead of reading it again.
 */
export async function assertNotLocked(
  deps: Deps,
  subject: LockoutSubject,
): Promise<Deno.KvEntryMaybe<LoginFailures>> {
  const counter = await readLoginFailures(deps.kv, lockoutKey(subject));
  refuseLocked(deps, counter);
  return counter;
}

/** `423 account_locked` when the lockout counter `counter` locks now. */
export function refuseLocked(
  deps: Deps,
  counter: Deno.KvEntryMaybe<LoginFailures>,
): void {
  const now = deps.clock.now();
  const lockedUntil = lockOf(counter, loginLockout, now);
  if (lockedUntil !== null) throw accountLocked(lockedUntil, now);
}

/**
 * Records a failed attempt in one commit with `operation`'s writes; for an unknown
 * account ID (null) a stand-in event takes the event's place, so a failure costs the
 * same commit whether the ID has an account or not. The failure that set a lock also
 * records the lock and tells the owner, delivered at once: the request ends in an
 * error, with no delivery after it.
 */
export async function recordFailure(
  deps: Deps,
  account: Account | null,
  events: { failed: string; locked: "account_locked" | "step_up_locked" },
  lockedUntil: number | null,
  origin: RequestOrigin,
  operation: Deno.AtomicOperation = deps.kv.atomic(),
): Promise<void> {
  recordSecurityEventOrStandIn(
    operation,
    account?.id ?? null,
    securityEvent(deps, events.failed, origin),
  );
  if (lockedUntil !== null) {
    lockouts.add(1, {
      kind: events.locked === "account_locked" ? "sign_in" : "step_up",
    });
  }
  if (account === null || lockedUntil === null) {
    await operation.commit();
    return;
  }
  recordSecurityEvent(
    operation,
    account.id,
    securityEvent(deps, events.locked, origin),
  );
  const notice = composeAccountMessage(deps, account, events.locked, {
    lockedUntil,
    ip: origin.ip,
  });
  enqueueMessage(operation, notice);
  await operation.commit();
  await deps.deliverer.deliver([notice.id]);
}

/** A reserved attempt; exactly one of its outcomes must be reported. */
export interface LoginAttempt {
  /**
   * Failures left before the lock once this attempt has failed (API.md: the login
   * `401` carries it as `attemptsRemaining`, so a page can warn before the last try).
   */
  remainingAfterFailure: number;
  /**
   * The check failed: counts, and at the last attempt locks and tells `account` (the
   * account as the request read it; null for an ID without one).
   */
  failed(origin: RequestOrigin, account: Account | null): Promise<void>;
  /** An intermediate step passed: the attempt is given back. */
  passed(): Promise<void>;
  /** The login completed: the counter is cleared. */
  completed(): Promise<void>;
}

/**
 * Reserves an attempt before a passcode or code is checked; `423` when locked. `counter`
 * is the subject's lockout counter when the request read it already.
 */
export async function reserveAttempt(
  deps: Deps,
  subject: LockoutSubject,
  counter?: Deno.KvEntryMaybe<LoginFailures>,
): Promise<LoginAttempt> {
  const { reservation, versionstamp } = await reserveLoginAttempt(
    deps.kv,
    lockoutKey(subject),
    loginLockout,
    deps.clock.now(),
    counter,
  );
  return admittedAttempt(deps, subject, reservation, versionstamp);
}

/** The guard of {@link reserveAttempt}, to commit with others (a login's admission). */
export function attemptGuard(
  deps: Deps,
  subject: LockoutSubject,
): Guard<Reservation> {
  return loginAttemptGuard(lockoutKey(subject), loginLockout, deps.clock.now());
}

/**
 * The attempt a granted reservation holds; `423` when it was refused. `versionstamp` is
 * the reservation's commit: a refund checks the counter as the reservation left it.
 */
export function admittedAttempt(
  deps: Deps,
  subject: LockoutSubject,
  reservation: Reservation,
  versionstamp: string | null,
): LoginAttempt {
  const now = deps.clock.now();
  if (!reservation.granted) throw accountLocked(reservation.lockedUntil, now);
  const key = lockoutKey(subject);
  return {
    remainingAfterFailure: loginLockout.maxFailures - reservation.failures,
    async failed(origin, account) {
      // Only the request holding the last attempt locks: one notice per lock.
      await recordFailure(
        deps,
        account,
        {
          failed: "login_failed",
          locked: "account_locked",
        },
        reservation.lockedUntil,
        origin,
        markClientFailure(
          deps.kv.atomic(),
          clientKey(origin.ip),
          deps.clock.now(),
          clientFailureMemorySeconds,
        ),
      );
    },
    passed: () =>
      refundLoginAttempt(
        deps.kv,
        key,
        loginLockout,
        deps.clock.now(),
        versionstamp === null
          ? undefined
          : { key, value: reservation.counter, versionstamp },
      ),
    completed: () => clearLoginFailures(deps.kv, key),
  };
}
