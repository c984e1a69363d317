/**
 * Step-up (the guide's trading passcode): the 6-digit trading passcode is exchanged for
 * a 5-minute, single-use action token for one action. The token is a JWT any service
 * can verify offline with the JWKS, and redeems online exactly once.
 */
import { decodeProtectedHeader, jwtVerify, SignJWT } from "jose";
import {
  commitRedemption,
  findWithdrawalHold,
  heldUntil,
  putActionToken,
  readRedemption,
} from "../../kv/action_tokens.ts";
import { type Account, findAccount } from "../../kv/accounts.ts";
import { readEntries } from "../../kv/entries.ts";
import {
  accountKey,
  stepUpFailuresKey,
  tradingPasscodeKey,
  withdrawalHoldKey,
} from "../../kv/keys.ts";
import {
  clearLoginFailures,
  lockOf,
  type LoginFailures,
  reserveLoginAttempt,
} from "../../kv/login_failures.ts";
import { withRetry } from "../../kv/retry.ts";
import type { Session } from "../../kv/sessions.ts";
import { findTradingPasscode } from "../../kv/trading_passcodes.ts";
import { assertNotFrozen, refuseFrozenAccount } from "../frozen_account.ts";
import {
  type ActionDetails,
  detailsDigest,
  detailsMismatch,
} from "./action_details.ts";
import type { Deps, RequestOrigin } from "../deps.ts";
import { ApiError } from "../runtime/errors.ts";
import { utcMinute } from "../messages/messages.ts";
import { randomId } from "../runtime/ids.ts";
import {
  lockedError,
  loginLockout,
  recordFailure,
  retryAfterSeconds,
} from "../safeguards/lockout.ts";
import { isSessionLive } from "../sessions/sessions.ts";

/** The actions a token can authorise (API.md). */
export const stepUpActions = ["withdrawal", "api_key.create", "trade"] as const;
export type StepUpAction = typeof stepUpActions[number];

/** Action tokens live 5 minutes. */
export const actionTokenTtlSeconds = 5 * 60;
/** The audience of action tokens: distinct from access tokens, so neither passes as the other. */
export function actionAudience(deps: Deps): string {
  return `${deps.config.appOrigins[0]}/actions`;
}

/**
 * How a step-up is proven: the trading passcode, or a passkey's assertion to a
 * challenge that commits to the action and its details (lib/webauthn/).
 */
export interface StepUpProof {
  /** The records `prepare` decides on, read with the step-up's own in one round trip. */
  keys: Deno.KvKey[];
  /**
   * Checks that need no secret; throws the refusal, and nothing is counted. `read`
   * holds the records of `keys`.
   */
  prepare(read: readonly Deno.KvEntryMaybe<unknown>[]): Promise<void>;
  /** Whether the proof holds; runs with an attempt of the step-up lockout reserved. */
  verify(): Promise<boolean>;
  /** What `401 invalid_code` says when it does not. */
  wrong: string;
}

/** The trading passcode as a step-up's proof (`409 conflict` while none is set). */
export function tradingPasscodeProof(
  deps: Deps,
  accountUuid: string,
  tradingPasscode: string,
): StepUpProof {
  let hash = "";
  return {
    keys: [tradingPasscodeKey(accountUuid)],
    async prepare(read) {
      const stored = await findTradingPasscode(deps.kv, accountUuid, read);
      if (!stored) {
        throw new ApiError("conflict", "Set a trading passcode first.");
      }
      hash = stored.hash;
    },
    async verify() {
      return (await deps.hasher.verify(hash, tradingPasscode)).valid;
    },
    wrong: "The trading passcode is wrong.",
  };
}

/**
 * Exchanges a proof for an action token bound to the action and, when given, to the
 * digest of its details (`dtl`). The token names the session that asked for it
 * (`sid`): it is redeemable only while that session lasts. Wrong proofs, of either kind,
 * count toward the step-up lockout.
 */
export async function stepUp(
  deps: Deps,
  session: Pick<Session, "id" | "accountUuid">,
  request: { action: StepUpAction; dtl: string | null },
  proof: StepUpProof,
  origin: RequestOrigin,
): Promise<{ actionToken: string; expiresIn: number }> {
  const { accountUuid } = session;
  const { action, dtl } = request;
  const now = deps.clock.now();
  const key = stepUpFailuresKey(accountUuid);
  // Everything the refusals below decide on, in one round trip; the reservation then
  // checks the counter as read.
  const read = await readEntries(deps.kv, [
    accountKey(accountUuid),
    key,
    ...action === "withdrawal" ? [withdrawalHoldKey(accountUuid)] : [],
    ...proof.keys,
  ]);
  const [{ value: account }, counter] = read as [
    Deno.KvEntryMaybe<Account>,
    Deno.KvEntryMaybe<LoginFailures>,
  ];
  if (account) assertNotFrozen(account);
  const lockedUntil = lockOf(counter, loginLockout, now);
  if (lockedUntil !== null) throw stepUpLocked(lockedUntil, now);
  if (action === "withdrawal") {
    const holdUntil = await findWithdrawalHold(
      deps.kv,
      accountUuid,
      now,
      read,
    );
    if (holdUntil !== null) throw withdrawalsHeld(holdUntil, now);
  }
  await proof.prepare(read);

  const { reservation } = await reserveLoginAttempt(
    deps.kv,
    key,
    loginLockout,
    now,
    counter,
  );
  if (!reservation.granted) throw stepUpLocked(reservation.lockedUntil, now);
  if (!(await proof.verify())) {
    await recordStepUpFailure(
      deps,
      account,
      reservation.lockedUntil,
      origin,
    );
    throw new ApiError("invalid_code", proof.wrong);
  }
  await clearLoginFailures(deps.kv, key);

  const jti = randomId(deps.random);
  const iat = Math.floor(now / 1000);
  const actionToken = await new SignJWT({
    act: action,
    sid: session.id,
    ...(dtl === null ? {} : { dtl }),
  })
    .setProtectedHeader({
      alg: deps.keyring.signing.alg,
      kid: deps.keyring.signing.kid,
      typ: "JWT",
    })
    .setIssuer(deps.config.appOrigins[0])
    .setAudience(actionAudience(deps))
    .setSubject(accountUuid)
    .setJti(jti)
    .setIssuedAt(iat)
    .setExpirationTime(iat + actionTokenTtlSeconds)
    .sign(deps.keyring.signing.privateKey);
  await putActionToken(deps.kv, jti, {
    accountUuid,
    action,
    expiresAt: now + actionTokenTtlSeconds * 1000,
    redeemedAt: null,
  }, now);
  return { actionToken, expiresIn: actionTokenTtlSeconds };
}

/**
 * Records a wrong trading passcode. The one that locks step-up also tells the owner: a
 * signed-in session guessing the trading passcode is most likely not theirs.
 */
async function recordStepUpFailure(
  deps: Deps,
  account: Account | null,
  lockedUntil: number | null,
  origin: RequestOrigin,
): Promise<void> {
  if (!account) return;
  await recordFailure(
    deps,
    account,
    {
      failed: "step_up_failed",
      locked: "step_up_locked",
    },
    lockedUntil,
    origin,
  );
}

/** `403 security_hold` with `Retry-After` and `holdUntil`. */
export function withdrawalsHeld(holdUntil: number, nowMs: number): ApiError {
  return new ApiError(
    "security_hold",
    `Withdrawals are paused until ${
      utcMinute(holdUntil, "up")
    } after a security change.`,
    {
      headers: { "Retry-After": retryAfterSeconds(holdUntil, nowMs) },
      extensions: { holdUntil: new Date(holdUntil).toISOString() },
    },
  );
}

/** `423 step_up_locked` with `Retry-After` and `lockedUntil`. */
export function stepUpLocked(lockedUntil: number, nowMs: number): ApiError {
  return lockedError(
    "step_up_locked",
    "Too many wrong trading passcodes. Step-up is locked for a while.",
    lockedUntil,
    nowMs,
  );
}

/**
 * Redeems an action token once: `409 token_used` the second time, also when raced. A
 * token whose session has ended since (logout, revocation, a passcode reset) is refused,
 * and so is a withdrawal once a security change has put withdrawals on hold: a token
 * taken just before the owner secured the account must not outlive that. A token bound
 * to details redeems only with the same details (`409 details_mismatch`, spending
 * nothing), and the answer repeats them.
 */
export async function consumeActionToken(
  deps: Deps,
  actionToken: string,
  details: ActionDetails | undefined,
): Promise<{ action: string; accountId: string; details?: ActionDetails }> {
  const now = deps.clock.now();
  let claims;
  try {
    const { kid } = decodeProtectedHeader(actionToken);
    const key = kid ? deps.keyring.verificationKeys.get(kid) : undefined;
    if (!key) throw new Error("unknown key");
    const { payload } = await jwtVerify(actionToken, key.key, {
      algorithms: [key.alg],
      issuer: deps.config.appOrigins[0],
      audience: actionAudience(deps),
      currentDate: new Date(now),
      requiredClaims: ["jti", "sub", "exp", "sid"],
    });
    claims = {
      jti: payload.jti!,
      sub: payload.sub!,
      sid: String(payload.sid),
      dtl: typeof payload.dtl === "string" ? payload.dtl : null,
    };
  } catch {
    throw invalidActionToken();
  }
  const presented = details === undefined ? null : await detailsDigest(details);
  if (presented !== claims.dtl) throw detailsMismatch();
  await refuseFrozenAccount(deps, claims.sub);
  const action = await withRetry(async (retry) => {
    const read = await readRedemption(
      deps.kv,
      claims.jti,
      claims.sid,
      claims.sub,
    );
    const { token } = read;
    if (
      token.versionstamp === null || token.value.expiresAt <= now ||
      token.value.accountUuid !== claims.sub
    ) {
      throw invalidActionToken();
    }
    if (token.value.redeemedAt !== null) throw new ApiError("token_used");
    const session = read.session.value;
    if (
      !session || session.accountUuid !== claims.sub ||
      !isSessionLive(deps, session)
    ) {
      throw new ApiError(
        "unauthenticated",
        "The session that asked for this action has ended.",
      );
    }
    const holdUntil = heldUntil(read.hold.value, now);
    if (token.value.action === "withdrawal" && holdUntil !== null) {
      throw withdrawalsHeld(holdUntil, now);
    }
    const redeemed = await commitRedemption(deps.kv, { ...read, token }, now);
    return redeemed ? token.value.action : retry;
  });
  const account = await findAccount(deps.kv, claims.sub);
  if (!account) throw new ApiError("unauthenticated", "The account is gone.");
  return {
    action,
    accountId: account.value.accountId,
    ...(claims.dtl === null ? {} : { details }),
  };
}

function invalidActionToken(): ApiError {
  return new ApiError("unauthenticated", "The action token is not valid.");
}
