/**
 * Issuing and checking the code records of registration, account-ID changes and
 * recovery: a fresh six-digit code, stored as its HMAC bound to `context`, valid 10
 * minutes, 5 tries (`kv/one_time_codes.ts` redeems them).
 */
import type { CodeRecord } from "../../kv/one_time_codes.ts";
import type { Keyring } from "./keyring.ts";
import type { RandomSource } from "../runtime/random.ts";
import {
  generateOneTimeCode,
  hashOneTimeCode,
  oneTimeCodeMatches,
  oneTimeCodeMaxAttempts,
  oneTimeCodeTtlSeconds,
} from "./one_time_code.ts";

/** A new code to send, and the record that keeps its hash with `data`. */
export async function issueCodeRecord<T>(
  deps: { random: RandomSource; keyring: Keyring },
  context: string,
  data: T,
  nowMs: number,
): Promise<{ code: string; record: CodeRecord<T> }> {
  const code = generateOneTimeCode(deps.random);
  return {
    code,
    record: {
      codeHash: await hashOneTimeCode(
        deps.keyring.hmac["one-time-code"],
        context,
        code,
      ),
      expiresAt: nowMs + oneTimeCodeTtlSeconds * 1000,
      attemptsLeft: oneTimeCodeMaxAttempts,
      data,
    },
  };
}

/** Whether `code` is the one a record was issued with for `context`. */
export function codeRecordMatches<T>(
  deps: { keyring: Keyring },
  context: string,
  code: string,
): (record: CodeRecord<T>) => Promise<boolean> {
  return (record) =>
    oneTimeCodeMatches(
      deps.keyring.hmac["one-time-code"],
      context,
      code,
      record.codeHash,
    );
}
