/**
 * Everything the app's capabilities are given, passed in so tests control each piece,
 * and the ports among them: the interfaces of services the capabilities use and other
 * parts implement (outbox delivery, the token cache, the passcode policy), so that this
 * file needs nothing above the runtime and crypto layers. routes/app.ts composes them.
 */
import type { AccessClaims } from "./crypto/access_token.ts";
import type { AccountId } from "./account_id.ts";
import type { Language } from "./i18n/languages.ts";
import type { Clock } from "./runtime/clock.ts";
import type { Config } from "./runtime/config.ts";
import type { Keyring } from "./crypto/keyring.ts";
import type { Log } from "./runtime/log_writer.ts";
import type { PasscodeHasher } from "./crypto/passcode_hash.ts";
import type { RandomSource } from "./runtime/random.ts";

/** The running service's dependencies. */
export interface Deps {
  kv: Deno.Kv;
  clock: Clock;
  random: RandomSource;
  config: Config;
  keyring: Keyring;
  hasher: PasscodeHasher;
  /**
   * A hash of a random passcode: verified against when an account does not exist.
   * Made by the first passcode check of the process, whichever account it is for, so
   * the isolate's first answer does not pay a hash it may never need, and a known
   * and an unknown ID wait for it alike.
   */
  dummyPasscodeHash(): Promise<string>;
  /**
   * A TOTP secret sealed for an account nobody has: checked against when an account
   * has no authenticator, so the check costs the same either way. Made on first use;
   * every code check awaits it, so the first one of a known ID waits like a stranger's.
   */
  dummySealedTotpSecret(): Promise<string>;
  /** Judges new passcodes; run only after a request's cheap gates passed. */
  passcodePolicy: PasscodePolicy;
  deliverer: OutboxDeliverer;
  /** Access tokens already verified in this process. */
  verifiedTokens: VerifiedTokenCache;
  log: Log;
}

/** Who made a request, for security events and messages. */
export interface RequestOrigin {
  ip: string | null;
  userAgent: string | null;
  /**
   * The language the request asks for (`Accept-Language`): messages to an address
   * without an account yet are written in it, and a new account keeps it.
   */
  language?: Language;
}

/** Delivers messages through one transport. */
export interface OutboxDeliverer {
  /** Tries each of these entries once, now; failures are left for the sweep. */
  deliver(messageIds: string[]): Promise<void>;
  /**
   * Starts {@link deliver} without holding up the caller: for answers whose timing must
   * not tell whether a message was sent at all. Failures stay for the sweep.
   */
  deliverInBackground(messageIds: string[]): void;
  /** Resolves when every background delivery has ended (shutdown, tests). */
  settled(): Promise<void>;
  /** Tries every due entry; returns how many were delivered. */
  sweep(): Promise<{ delivered: number; failed: number }>;
}

/** The cache: verifies through it, or through `verifyFresh` on a miss. */
export interface VerifiedTokenCache {
  verify(
    token: string,
    nowMs: number,
    verifyFresh: () => Promise<AccessClaims | null>,
  ): Promise<AccessClaims | null>;
  readonly size: number;
}

/** The outcome of a policy check; `feedback` holds the estimator's suggestions. */
export type PasscodeVerdict =
  | { accepted: true }
  | { accepted: false; feedback: string[] };

/** Checks new passcodes for an account. */
export interface PasscodePolicy {
  /** The verdict; the breach corpus is asked only when everything else passed. */
  check(passcode: string, accountId: AccountId): Promise<PasscodeVerdict>;
}
