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

/**
 * The guard's refusal as things stand, from one read and no write; null when it would
 * let the request through. An early, cheap answer before costlier checks.
 */
export async function currentRefusal<T>(
  kv: Deno.Kv,
  guard: Guard<T>,
): Promise<T | null> {
  const decision = guard.decide(await kv.get(guard.key));
  return decision.write ? null : decision.outcome;
}

/** Decides the guards in order and commits what they let through, as one operation. */
export async function commitGuards<const G extends readonly Guard<unknown>[]>(
  kv: Deno.Kv,
  guards: G,
): Promise<GuardOutcomes<G>> {
  return await withRetry(async (retry) => {
    const entries = await kv.getMany(guards.map((guard) => guard.key));
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
    if (writes > 0 && !(await operation.commit()).ok) return retry;
    return outcomes as GuardOutcomes<G>;
  });
}
