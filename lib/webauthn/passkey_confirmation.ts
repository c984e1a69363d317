/**
 * Confirming a security change with a passkey instead of a code: the only way for an
 * account that accepts passkeys alone, and the way to switch that off again. The
 * session asks for options, the browser answers the single-use challenge; wrong answers
 * count toward the same confirmation lockout as wrong codes.
 */
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  type PublicKeyCredentialRequestOptionsJSON,
} from "@simplewebauthn/server";
import { confirmationFailuresKey } from "../../kv/keys.ts";
import {
  clearLoginFailures,
  refundLoginAttempt,
  reserveLoginAttempt,
} from "../../kv/login_failures.ts";
import {
  findPasskeyChallenge,
  putPasskeyChallenge,
  spendPasskeyChallenge,
} from "../../kv/passkey_challenges.ts";
import { recordSecurityEvent } from "../../kv/security_events.ts";
import type { Session } from "../../kv/sessions.ts";
import { listWebauthnCredentials } from "../../kv/webauthn_credentials.ts";
import type { Deps, RequestOrigin } from "../deps.ts";
import { ApiError } from "../runtime/errors.ts";
import { lockedError, loginLockout } from "../safeguards/lockout.ts";
import {
  confirmSecurityChange,
  type SecondFactorProof,
} from "../safeguards/second_factor.ts";
import { securityEvent } from "../security_event.ts";
import { addPasskeyUse, verifyPasskeyAssertion } from "./passkey_assertion.ts";
import {
  webauthnChallenge,
  webauthnChallengeTtlSeconds,
} from "./webauthn_registration.ts";

/** A second factor in a request body: a code, or a passkey's assertion. */
export interface ChangeProof extends SecondFactorProof {
  webauthn?: AuthenticationResponseJSON;
}

/** Request options to confirm a change with one of the account's passkeys. */
export async function passkeyConfirmationOptions(
  deps: Deps,
  session: Pick<Session, "id" | "accountUuid">,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const credentials = await listWebauthnCredentials(
    deps.kv,
    session.accountUuid,
  );
  if (credentials.length === 0) {
    throw new ApiError("conflict", "This account has no passkey.");
  }
  const options = await generateAuthenticationOptions({
    rpID: deps.config.rpId,
    challenge: webauthnChallenge(deps),
    timeout: webauthnChallengeTtlSeconds * 1000,
    allowCredentials: credentials.map((credential) => ({
      id: credential.id,
      transports: credential.transports as never,
    })),
    userVerification: deps.config.webauthnUserVerification,
  });
  const now = deps.clock.now();
  await putPasskeyChallenge(deps.kv, session.id, "confirmation", {
    challenge: options.challenge,
    expiresAt: now + webauthnChallengeTtlSeconds * 1000,
  }, now);
  return options;
}

/**
 * Confirms a change with a passkey's answer to this session's challenge. No challenge:
 * `409 conflict`; a wrong answer: `400 invalid_code`, counted like a wrong code.
 */
async function confirmWithPasskey(
  deps: Deps,
  session: Pick<Session, "id" | "accountUuid">,
  response: AuthenticationResponseJSON,
  origin: RequestOrigin,
): Promise<void> {
  const { accountUuid } = session;
  const key = confirmationFailuresKey(accountUuid);
  const now = deps.clock.now();
  const reservation = await reserveLoginAttempt(
    deps.kv,
    key,
    loginLockout,
    now,
  );
  if (!reservation.granted) {
    throw lockedError(
      "account_locked",
      "Too many wrong passcodes or codes: security changes are locked for a while.",
      reservation.lockedUntil,
      now,
    );
  }
  const found = await findPasskeyChallenge(
    deps.kv,
    session.id,
    "confirmation",
    now,
  );
  if (!found || !(await spendPasskeyChallenge(deps.kv, found))) {
    await refundLoginAttempt(deps.kv, key, loginLockout, deps.clock.now());
    throw new ApiError("conflict", "Ask for confirmation options first.");
  }
  const verified = await verifyPasskeyAssertion(
    deps,
    accountUuid,
    response,
    found.value.challenge,
    origin,
  );
  const operation = deps.kv.atomic();
  if (verified) await addPasskeyUse(deps, operation, accountUuid, verified);
  else {
    recordSecurityEvent(
      operation,
      accountUuid,
      securityEvent(deps, "confirmation_failed", origin),
    );
  }
  await operation.commit();
  if (!verified) {
    throw new ApiError(
      "invalid_code",
      "The passkey's answer was not accepted.",
      {
        status: 400,
      },
    );
  }
  await clearLoginFailures(deps.kv, key);
}

/** Confirms a change with whichever factor the body offers; returns which it was. */
export async function confirmChange(
  deps: Deps,
  session: Pick<Session, "id" | "accountUuid">,
  proof: ChangeProof,
  origin: RequestOrigin,
): Promise<"totp" | "backup_code" | "webauthn"> {
  if (proof.webauthn) {
    await confirmWithPasskey(deps, session, proof.webauthn, origin);
    return "webauthn";
  }
  return await confirmSecurityChange(
    deps,
    session.accountUuid,
    proof,
    origin,
  );
}
