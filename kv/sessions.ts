/**
 * Sessions: a record per session (revocation is deleting it), an index per account, and
 * refresh tokens by hash. A spent refresh token stays behind, marked, so presenting it
 * again is recognised as theft and ends the session (OAuth 2.0 Security BCP §4.14).
 */
import { findEntry } from "./entries.ts";
import {
  refreshTokenKey,
  sessionByAccountKey,
  sessionKey,
  sessionsByAccountPrefix,
} from "./keys.ts";
import { cleanupAfterMs } from "./retry.ts";
import { recordSecurityEvent, type SecurityEvent } from "./security_events.ts";

/** A session. */
export interface Session {
  id: string;
  accountUuid: string;
  /**
   * The account's ID (e-mail or phone), kept current by an account-ID change, so a
   * session check reads this record alone.
   */
  accountId: string;
  createdAt: number;
  lastSeenAt: number;
  /** The session ends here, however active (NIST SP 800-63B AAL2: 12 hours). */
  absoluteExpiresAt: number;
  ip: string | null;
  userAgent: string | null;
  amr: string[];
  /** The recognised browser the session was started in (removing it ends the session). */
  browserId: string;
  /** Hash of the refresh token that is valid now. */
  refreshTokenHash: string;
  /**
   * The end of the session's confirmation window (API.md, Session): until then its
   * security changes take no second factor. Absent or past: no window is open.
   */
  confirmedUntil?: number | null;
}

/** A refresh token's record: which session, and whether it was already used. */
export interface RefreshTokenRecord {
  sessionId: string;
  spent: boolean;
}

/** Adds a new session with its index and refresh token to an atomic operation. */
export function insertSession(
  operation: Deno.AtomicOperation,
  session: Session,
  nowMs: number,
): Deno.AtomicOperation {
  const expireIn = cleanupAfterMs(session.absoluteExpiresAt, nowMs);
  return operation
    .check({ key: sessionKey(session.id), versionstamp: null })
    .set(sessionKey(session.id), session, { expireIn })
    .set(sessionByAccountKey(session.accountUuid, session.id), true, {
      expireIn,
    })
    .set(
      refreshTokenKey(session.refreshTokenHash),
      {
        sessionId: session.id,
        spent: false,
      } satisfies RefreshTokenRecord,
      { expireIn },
    );
}

/** The session with this id, or null. */
export function findSession(
  kv: Deno.Kv,
  sessionId: string,
): Promise<Deno.KvEntry<Session> | null> {
  return findEntry<Session>(kv, sessionKey(sessionId));
}

/** Every live session record of an account (expired ones filtered by the caller). */
export async function listAccountSessions(
  kv: Deno.Kv,
  accountUuid: string,
): Promise<Session[]> {
  const ids = await Array.fromAsync(
    kv.list({ prefix: sessionsByAccountPrefix(accountUuid) }),
    (entry) => String(entry.key[2]),
  );
  const sessions: Session[] = [];
  // getMany takes at most 10 keys.
  for (let i = 0; i < ids.length; i += 10) {
    const entries = await kv.getMany<Session[]>(
      ids.slice(i, i + 10).map((id) => sessionKey(id)),
    );
    for (const entry of entries) if (entry.value) sessions.push(entry.value);
  }
  return sessions;
}

/** Adds a rewrite of a session record to an operation, unless it changed meanwhile. */
export function updateSession(
  operation: Deno.AtomicOperation,
  entry: Deno.KvEntry<Session>,
  next: Session,
  nowMs: number,
): Deno.AtomicOperation {
  return operation.check(entry).set(entry.key, next, {
    expireIn: cleanupAfterMs(next.absoluteExpiresAt, nowMs),
  });
}

/** Writes `lastSeenAt` unless the session changed or ended meanwhile. */
export async function touchSession(
  kv: Deno.Kv,
  entry: Deno.KvEntry<Session>,
  nowMs: number,
): Promise<void> {
  await updateSession(kv.atomic(), entry, {
    ...entry.value,
    lastSeenAt: nowMs,
  }, nowMs).commit();
}

/** Deletes sessions and records an event for each, in one atomic operation. */
export async function revokeSessions(
  kv: Deno.Kv,
  sessions: Pick<Session, "id" | "accountUuid" | "refreshTokenHash">[],
  eventFor: (session: Pick<Session, "id">) => SecurityEvent,
): Promise<void> {
  // Chunks keep each operation far below the 1000-mutation limit.
  for (let i = 0; i < sessions.length; i += 100) {
    const operation = kv.atomic();
    for (const session of sessions.slice(i, i + 100)) {
      operation
        .delete(sessionKey(session.id))
        .delete(sessionByAccountKey(session.accountUuid, session.id))
        .delete(refreshTokenKey(session.refreshTokenHash));
      recordSecurityEvent(operation, session.accountUuid, eventFor(session));
    }
    const result = await operation.commit();
    if (!result.ok) throw new Error("revoking sessions failed");
  }
}

/** The record of a refresh token, or null. */
export function findRefreshToken(
  kv: Deno.Kv,
  tokenHash: string,
): Promise<Deno.KvEntry<RefreshTokenRecord> | null> {
  return findEntry<RefreshTokenRecord>(kv, refreshTokenKey(tokenHash));
}

/**
 * Rotates a refresh token: the presented one is marked spent and the new one becomes
 * current, guarded by checks on both records. False when a racing refresh won.
 */
export async function rotateRefreshToken(
  kv: Deno.Kv,
  presented: Deno.KvEntry<RefreshTokenRecord>,
  session: Deno.KvEntry<Session>,
  newTokenHash: string,
  nowMs: number,
): Promise<boolean> {
  const expireIn = cleanupAfterMs(session.value.absoluteExpiresAt, nowMs);
  const result = await kv.atomic()
    .check(presented)
    .check(session)
    .set(presented.key, { ...presented.value, spent: true }, { expireIn })
    .set(
      refreshTokenKey(newTokenHash),
      {
        sessionId: session.value.id,
        spent: false,
      } satisfies RefreshTokenRecord,
      { expireIn },
    )
    .set(session.key, {
      ...session.value,
      refreshTokenHash: newTokenHash,
      lastSeenAt: nowMs,
    }, { expireIn })
    .commit();
  return result.ok;
}
