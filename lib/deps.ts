/** Everything the app needs from outside, passed in so tests control each piece. */
import type { Clock } from "./clock.ts";
import type { Config } from "./config.ts";
import type { Keyring } from "./keyring.ts";
import type { OutboxDeliverer } from "./outbox_delivery.ts";
import type { PasscodeHasher } from "./passcode_hash.ts";
import type { PasscodePolicy } from "./passcode_policy.ts";
import type { RandomSource } from "./random.ts";
import type { VerifiedTokenCache } from "./verified_token_cache.ts";

/** A structured log sink; records are flat JSON objects. */
export type Log = (record: Record<string, unknown>) => void;

/** The running service's dependencies. */
export interface Deps {
  kv: Deno.Kv;
  clock: Clock;
  random: RandomSource;
  config: Config;
  keyring: Keyring;
  hasher: PasscodeHasher;
  /** A hash of a random passcode: verified against when an account does not exist. */
  dummyPasscodeHash: string;
  /**
   * A TOTP secret sealed for an account nobody has: checked against when an account
   * has no authenticator, so the check costs the same either way.
   */
  dummySealedTotpSecret: string;
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
}
