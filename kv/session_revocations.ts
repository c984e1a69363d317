/**
 * Pending session revocations: which sessions of an account a committed change has
 * ended. Written in the change's own atomic operation, so a change that commits always
 * ends the sessions it must, even if the isolate stops before it revokes them.
 */
import { findEntry } from "./entries.ts";
import { sessionRevocationKey, sessionRevocationPrefix } from "./keys.ts";
import type { Session } from "./sessions.ts";

/** The sessions a change ended, and who made the change (for the revocation events). */
export interface SessionRevocation {
  /** Sessions created up to this moment end... */
  before: number;
  /** ...but this one, the session that made the change... */
  keep: string | null;
  /** ...and, when set, only those started in this browser. */
  browserId: string | null;
  ip: string | null;
  userAgent: string | null;
}

/** Adds a pending revocation to a change's operation. */
export function addSessionRevocation(
  operation: Deno.AtomicOperation,
  accountUuid: string,
  id: string,
  revocation: SessionRevocation,
  expireInMs: number,
): Deno.AtomicOperation {
  return operation.set(sessionRevocationKey(accountUuid, id), revocation, {
    expireIn: expireInMs,
  });
}

/** Whether a revocation ends this session. */
export function revocationEnds(
  revocation: SessionRevocation,
  session: Session,
): boolean {
  return session.createdAt <= revocation.before &&
    session.id !== revocation.keep &&
    (revocation.browserId === null ||
      session.browserId === revocation.browserId);
}

/** One pending revocation, or null once it is done. */
export function findSessionRevocation(
  kv: Deno.Kv,
  accountUuid: string,
  id: string,
): Promise<Deno.KvEntry<SessionRevocation> | null> {
  return findEntry<SessionRevocation>(
    kv,
    sessionRevocationKey(accountUuid, id),
  );
}

/** Every pending revocation. */
export async function listSessionRevocations(
  kv: Deno.Kv,
): Promise<Deno.KvEntry<SessionRevocation>[]> {
  return await Array.fromAsync(
    kv.list<SessionRevocation>({ prefix: sessionRevocationPrefix() }),
  );
}

/** The account a pending revocation belongs to. */
export function revocationAccount(
  entry: Deno.KvEntry<SessionRevocation>,
): string {
  return String(entry.key[1]);
}

/** Deletes a revocation once done, unless it was rewritten meanwhile. */
export async function deleteSessionRevocation(
  kv: Deno.Kv,
  entry: Deno.KvEntry<SessionRevocation>,
): Promise<void> {
  await kv.atomic().check(entry).delete(entry.key).commit();
}
