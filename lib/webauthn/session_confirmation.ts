/**
 * Confirming a session (API.md, Session: `POST /v1/session/confirm`) with any second
 * factor, a TOTP code, a backup code or a passkey: one confirmation opens the session's
 * confirmation window (lib/safeguards/second_factor.ts). It lives here, above the
 * passkey ceremonies, because the layers below cannot check an assertion.
 */
import {
  type AuthenticationResponseJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from "./simplewebauthn.ts";
import {
  findPasskeyChallenge,
  putPasskeyChallenge,
  spendPasskeyChallenge,
} from "../../kv/passkey_challenges.ts";
import { accountPasskeyOptions } from "./account_passkey_options.ts";
import type { Deps, RequestOrigin } from "../deps.ts";
import { ApiError } from "../runtime/errors.ts";
import {
  checkSecondFactor,
  type ConfirmingSession,
  type FactorCheck,
  openConfirmationWindow,
  type SecondFactorProof,
} from "../safeguards/second_factor.ts";
import { assertionUse, verifyAssertion } from "./webauthn_assertion.ts";
import { webauthnChallengeTtlSeconds } from "./webauthn_registration.ts";

/**
 * Request options for the account's passkeys, to confirm this session with one; the
 * challenge is kept for this session (single-use, 5 minutes, replaced by the next).
 * `409 conflict` for an account without a passkey.
 */
export async function confirmationOptions(
  deps: Deps,
  session: ConfirmingSession,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const options = await accountPasskeyOptions(
    deps,
    session.accountUuid,
    deps.random(32),
  );
  const now = deps.clock.now();
  await putPasskeyChallenge(deps.kv, session.id, "confirmation", {
    challenge: options.challenge,
    expiresAt: now + webauthnChallengeTtlSeconds * 1000,
  }, now);
  return options;
}

/** What `POST /v1/session/confirm` takes: exactly one factor. */
export interface ConfirmationProof extends SecondFactorProof {
  webauthn?: AuthenticationResponseJSON;
}

/**
 * Confirms the session with one factor and opens its window; returns the window's
 * end. `400 invalid_request` unless exactly one factor is offered.
 */
export async function confirmSession(
  deps: Deps,
  session: ConfirmingSession,
  proof: ConfirmationProof,
  origin: RequestOrigin,
): Promise<number> {
  const offered = [proof.totp, proof.backupCode, proof.webauthn]
    .filter((factor) => factor !== undefined).length;
  if (offered !== 1) {
    throw new ApiError("invalid_request", "Confirm with exactly one factor.", {
      extensions: {
        errors: [{
          path: "(body)",
          message: "exactly one of totp, backupCode, webauthn",
        }],
      },
    });
  }
  const check: FactorCheck = proof.webauthn
    ? passkeyCheck(deps, session, proof.webauthn, origin)
    : () => checkSecondFactor(deps, session.accountUuid, proof);
  return await openConfirmationWindow(deps, session, check, origin);
}

/**
 * The check of a passkey's assertion to the session's confirmation challenge, for a
 * confirmation and for a change that takes a passkey in its body: the challenge is taken and the
 * assertion verified once (`409 conflict` when no options were asked for, or their
 * challenge was answered already); every try of the commit then reads the credential
 * afresh for the use it writes.
 */
export function passkeyCheck(
  deps: Deps,
  session: ConfirmingSession,
  response: AuthenticationResponseJSON,
  origin: RequestOrigin,
): FactorCheck {
  let verified: Promise<{ newCounter: number } | null> | undefined;
  return async () => {
    verified ??= (async () => {
      const found = await findPasskeyChallenge(
        deps.kv,
        session.id,
        "confirmation",
        deps.clock.now(),
      );
      const challenge = found && await spendPasskeyChallenge(deps.kv, found)
        ? found.value.challenge
        : null;
      if (!challenge) {
        throw new ApiError(
          "conflict",
          "Ask for confirmation options for this session first.",
        );
      }
      return await verifyAssertion(
        deps,
        session.accountUuid,
        response,
        challenge,
        origin,
        {
          requireUserVerification:
            deps.config.webauthnUserVerification === "required",
        },
      );
    })();
    const result = await verified;
    if (!result) return null;
    const use = await assertionUse(
      deps,
      session.accountUuid,
      response.id,
      result.newCounter,
    );
    return use ? { method: "webauthn", spend: use } : null;
  };
}
