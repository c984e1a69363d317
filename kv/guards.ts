/**
 * Guards: each reads one record, decides from it, and writes it back under a check of
 * what it read. Several guards commit as one atomic operation, so an admission that
 * needs three of them (a login's per-IP count, CAPTCHA use and lockout reservation)
 * costs one read and one commit instead of three of each.
 *
 * Guards decide in order. The first that refuses stops the ones after it, and the
 * writes of the ones before it still commit: a request refused for a used CAPTCHA has
 * still been counted against its network's budget. A conflict on any record decides
 * them all again.
 */
import { readEntries } from "./entries.ts";
import { withRetry } from "./retry.ts";

/** What a guard makes of its record: an outcome, and the write when it lets through. */
export interface GuardDecision<T> {
  outcome: T;
  /** Absent when the guard refuses. */
  write?(operation: Deno.AtomicOperation): void;
}

/** One record and the decision it feeds. */
export interface Guard<T> {
  key: Deno.KvKey;
  decide(entry: Deno.KvEntryMaybe<unknown>): GuardDecision<T>;
}

/** A guard handed to the code that commits it, with what to do with its outcome. */
export interface PendingGuard<T> {
  guard: Guard<T>;
  apply(outcome: T): void;
}

/** The outcomes of guards, in their order; undefined after a refusal. */
export type GuardOutcomes<G extends readonly Guard<unknown>[]> = {
  [K in keyof G]: G[K] extends Guard<infer T> ? T | undefined : never;
};

/** What committing guards did: their outcomes, and the commit's versionstamp. */
export interface CommittedGuards<G extends readonly Guard<unknown>[]> {
  outcomes: GuardOutcomes<G>;
  /** The versionstamp of the records written; null when nothing was written. */
  versionstamp: string | null;
}

/**
 * The guard's refusal as things stand, from one read and no write (null when it would
 * let the request through), and the entry it read, for {@link commitGuards} to check
 * instead of reading it again. An early, cheap answer before costlier checks.
 */
export async function currentRefusal<T>(
  kv: Deno.Kv,
  guard: Guard<T>,
): Promise<{ refusal: T | null; entry: Deno.KvEntryMaybe<unknown> }> {
  const entry = await kv.get(guard.key);
  const decision = guard.decide(entry);
  return { refusal: decision.write ? null : decision.outcome, entry };
}

/**
 * Decides the guards in order and commits what they let through, as one operation.
 * Records in `read` (read earlier in this request) are decided on as read and checked
 * by the commit, not read again; a conflict decides every guard afresh.
 */
export async function commitGuards<const G extends readonly Guard<unknown>[]>(
  kv: Deno.Kv,
  guards: G,
  read: readonly Deno.KvEntryMaybe<unknown>[] = [],
): Promise<CommittedGuards<G>> {
  let known = read;
  return await withRetry(async (retry) => {
    const entries = await readEntries(
      kv,
      guards.map((guard) => guard.key),
      known,
    );
    known = [];
    const operation = kv.atomic();
    const outcomes: unknown[] = guards.map(() => undefined);
    let writes = 0;
    for (const [i, guard] of guards.entries()) {
      const decision = guard.decide(entries[i]);
      outcomes[i] = decision.outcome;
      if (!decision.write) break;
      decision.write(operation.check(entries[i]));
      writes++;
    }
    const result = writes > 0 ? await operation.commit() : null;
    if (result && !result.ok) return retry;
    return {
      outcomes: outcomes as GuardOutcomes<G>,
      versionstamp: result?.versionstamp ?? null,
    };
  });
}
