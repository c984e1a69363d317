/**
 * Sessions: issuing them at the end of a login, checking them on every request, rotating
 * refresh tokens, revoking. Bounds follow NIST SP 800-63B AAL2 (configurable).
 */
import {
  findRefreshToken,
  findSession,
  insertSession,
  listAccountSessions,
  revokeSessions,
  rotateRefreshToken,
  type Session,
  touchSession,
} from "../../kv/sessions.ts";
import type { Account } from "../../kv/accounts.ts";
import {
  type AccessClaims,
  signAccessToken,
  type TokenAudience,
  verifyAccessToken,
} from "../crypto/access_token.ts";
import type { Deps, RequestOrigin } from "../deps.ts";
import { ApiError } from "../runtime/errors.ts";
import { randomId } from "../runtime/ids.ts";
import { securityEvent } from "../security_event.ts";
import {
  generateOpaqueToken,
  hashOpaqueToken,
} from "../crypto/opaque_token.ts";
import { withRetry } from "../../kv/retry.ts";
import { refuseFrozenAccount } from "../frozen_account.ts";

/** Last-seen is written at most once a minute, so a session check stays one KV read. */
const lastSeenResolutionMs = 60 * 1000;

/** What the client receives when a session starts or its tokens rotate. */
export interface IssuedTokens {
  session: Pick<Session, "id" | "absoluteExpiresAt">;
  accessToken: string;
  refreshToken: string;
}

/** Issuer and audience: the public origin, and the API under it. */
export function tokenAudience(deps: Deps): TokenAudience {
  const origin = deps.config.appOrigins[0];
  return { issuer: origin, audience: `${origin}/v1` };
}

/**
 * Prepares a session; `insert` adds it to the atomic operation that completes the login,
 * and the tokens are valid once that operation commits. The operation also checks the
 * account record the session copies its account ID from: an account-ID change racing
 * the login makes it read again, so no session starts with a stale ID.
 */
export async function prepareSession(
  deps: Deps,
  accountUuid: string,
  amr: string[],
  origin: RequestOrigin,
  browserId: string,
): Promise<
  IssuedTokens & {
    insert(
      operation: Deno.AtomicOperation,
      account: Deno.KvEntry<Account>,
    ): void;
  }
> {
  const now = deps.clock.now();
  const refreshToken = generateOpaqueToken(deps.random);
  const session: Omit<Session, "accountId"> = {
    id: randomId(deps.random),
    accountUuid,
    createdAt: now,
    lastSeenAt: now,
    absoluteExpiresAt: now + deps.config.sessionAbsoluteSeconds * 1000,
    ip: origin.ip,
    userAgent: origin.userAgent,
    amr,
    browserId,
    refreshTokenHash: await hashOpaqueToken(
      deps.keyring.hmac["token-hash"],
      refreshToken,
    ),
  };
  const accessToken = await signAccessToken(
    deps.keyring,
    tokenAudience(deps),
    { sub: accountUuid, sid: session.id, amr },
    now,
  );
  return {
    session,
    accessToken,
    refreshToken,
    insert(operation, account) {
      insertSession(operation.check(account), {
        ...session,
        accountId: account.value.accountId,
      }, now);
    },
  };
}

/** Whether a session is past either bound at `nowMs`. */
function sessionEnded(deps: Deps, session: Session, nowMs: number): boolean {
  return nowMs >= session.absoluteExpiresAt ||
    nowMs - session.lastSeenAt >= deps.config.sessionIdleSeconds * 1000;
}

/** An authenticated request's session. */
export interface Authenticated {
  claims: AccessClaims;
  session: Session;
}

/**
 * Checks an access token and its session: one signature check per token and process
 * (then a cache hit), one KV read of the session record, and a last-seen write at
 * most once a minute. Throws `unauthenticated` or `session_revoked`.
 */
export async function authenticate(
  deps: Deps,
  token: string | undefined,
): Promise<Authenticated> {
  const now = deps.clock.now();
  const claims = token
    ? await deps.verifiedTokens.verify(
      token,
      now,
      () => verifyAccessToken(deps.keyring, tokenAudience(deps), token, now),
    )
    : null;
  if (!claims) throw new ApiError("unauthenticated");
  const entry = await findSession(deps.kv, claims.sid);
  if (!entry || entry.value.accountUuid !== claims.sub) {
    // A freeze ended it: say so (one more read, only on this refusal's path).
    await refuseFrozenAccount(deps, claims.sub);
    throw new ApiError("session_revoked");
  }
  if (sessionEnded(deps, entry.value, now)) {
    throw new ApiError(
      "unauthenticated",
      "The session has ended. Log in again.",
    );
  }
  if (now - entry.value.lastSeenAt >= lastSeenResolutionMs) {
    await touchSession(deps.kv, entry, now);
  }
  return { claims, session: entry.value };
}

/**
 * Rotates a refresh token. A token already spent means it was copied: the session is
 * revoked, a `refresh_reuse_detected` event recorded, and the answer is `session_revoked`.
 */
export async function refreshSession(
  deps: Deps,
  refreshToken: string | undefined,
  origin: RequestOrigin,
): Promise<IssuedTokens> {
  if (!refreshToken || refreshToken.length > 100) {
    throw new ApiError("unauthenticated");
  }
  const presentedHash = await hashOpaqueToken(
    deps.keyring.hmac["token-hash"],
    refreshToken,
  );
  const newRefreshToken = generateOpaqueToken(deps.random);
  const newHash = await hashOpaqueToken(
    deps.keyring.hmac["token-hash"],
    newRefreshToken,
  );
  return await withRetry(async (retry) => {
    const now = deps.clock.now();
    const presented = await findRefreshToken(deps.kv, presentedHash);
    if (!presented) throw new ApiError("unauthenticated");
    const session = await findSession(deps.kv, presented.value.sessionId);
    if (!session) throw new ApiError("session_revoked");
    if (presented.value.spent) {
      await revokeSessions(
        deps.kv,
        [session.value],
        () => securityEvent(deps, "refresh_reuse_detected", origin),
      );
      throw new ApiError(
        "session_revoked",
        "This refresh token was already used; the session has been ended.",
      );
    }
    if (sessionEnded(deps, session.value, now)) {
      throw new ApiError(
        "unauthenticated",
        "The session has ended. Log in again.",
      );
    }
    const rotated = await rotateRefreshToken(
      deps.kv,
      presented,
      session,
      newHash,
      now,
    );
    if (!rotated) return retry;
    return {
      session: { ...session.value, refreshTokenHash: newHash, lastSeenAt: now },
      refreshToken: newRefreshToken,
      accessToken: await signAccessToken(deps.keyring, tokenAudience(deps), {
        sub: session.value.accountUuid,
        sid: session.value.id,
        amr: session.value.amr,
      }, now),
    };
  });
}

/** Ends sessions, recording a `session_revoked` event for each. */
export async function endSessions(
  deps: Deps,
  sessions: Session[],
  origin: RequestOrigin,
): Promise<void> {
  await revokeSessions(
    deps.kv,
    sessions,
    () => securityEvent(deps, "session_revoked", origin),
  );
}

/**
 * Ends every session of an account (but `keep`, the one making the change), after a
 * change that must sign out whoever else holds a session.
 */
export async function endAccountSessions(
  deps: Deps,
  accountUuid: string,
  origin: RequestOrigin,
  keep: string | null = null,
): Promise<void> {
  const sessions = (await listAccountSessions(deps.kv, accountUuid))
    .filter((session) => session.id !== keep);
  await endSessions(deps, sessions, origin);
}

/** Whether the session is still usable (for lists that should hide ended ones). */
export function isSessionLive(deps: Deps, session: Session): boolean {
  return !sessionEnded(deps, session, deps.clock.now());
}

/** Whether the session's confirmation window is open at `nowMs`. */
export function isConfirmed(
  session: Pick<Session, "confirmedUntil">,
  nowMs: number,
): boolean {
  return (session.confirmedUntil ?? 0) > nowMs;
}
