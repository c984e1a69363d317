/**
 * Checking a passkey's assertion (WebAuthn L3 §7.2) against a challenge the service
 * made, for every ceremony that asks for one: completing a sign-in, confirming a
 * change, stepping up. Phishing-resistant, because the assertion is bound to our RP ID
 * and origin, which a relaying site cannot fake.
 */
import {
  type AuthenticationResponseJSON,
  verifyAuthenticationResponse,
} from "@simplewebauthn/server";
import { findAccount } from "../../kv/accounts.ts";
import { enqueueMessage } from "../../kv/outbox.ts";
import { recordSecurityEvent } from "../../kv/security_events.ts";
import {
  findWebauthnCredential,
  recordWebauthnUse,
  type WebauthnCredential,
} from "../../kv/webauthn_credentials.ts";
import type { Deps, RequestOrigin } from "../deps.ts";
import { fromBase64Url } from "../runtime/encoding.ts";
import { ApiError } from "../runtime/errors.ts";
import { composeAccountMessage } from "../messages/account_message.ts";
import { securityEvent } from "../security_event.ts";

/** An assertion whose signature holds: which credential, and its new counter. */
export interface VerifiedAssertion {
  credentialId: string;
  newCounter: number;
}

/** Whether a counter went backwards (WebAuthn L3 §6.1.1: a cloned authenticator). */
function counterRegressed(stored: number, presented: number): boolean {
  return (stored !== 0 || presented !== 0) && presented <= stored;
}

/**
 * Verifies an assertion by one of the account's credentials to `expectedChallenge`;
 * null when the credential is unknown, the assertion does not verify, or its counter
 * went backwards (then reported to the owner as a suspected clone).
 */
export async function verifyPasskeyAssertion(
  deps: Deps,
  accountUuid: string,
  response: AuthenticationResponseJSON,
  expectedChallenge: string,
  origin: RequestOrigin,
): Promise<VerifiedAssertion | null> {
  const credential = await findWebauthnCredential(
    deps.kv,
    accountUuid,
    response.id,
  );
  if (!credential) return null;
  let newCounter: number;
  try {
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge,
      expectedOrigin: deps.config.appOrigins,
      expectedRPID: deps.config.rpId,
      credential: {
        id: credential.value.id,
        publicKey: fromBase64Url(credential.value.publicKey)!,
        // The library compares counters before it checks the signature; a counter is
        // judged here, after, so that only the key's holder can raise a clone alarm.
        counter: 0,
        transports: credential.value.transports as never,
      },
      requireUserVerification:
        deps.config.webauthnUserVerification === "required",
    });
    if (!result.verified) throw new Error("not verified");
    newCounter = result.authenticationInfo.newCounter;
  } catch {
    return null;
  }
  // A signed assertion whose counter did not move on: two copies of one key exist.
  if (counterRegressed(credential.value.counter, newCounter)) {
    await reportClone(deps, credential.value, origin);
    return null;
  }
  return { credentialId: credential.value.id, newCounter };
}

/**
 * Adds the use of a verified assertion (its counter, its time) to an operation, read
 * afresh: `invalid_code` when the key was removed or a racing use moved the counter on.
 */
export async function addPasskeyUse(
  deps: Deps,
  operation: Deno.AtomicOperation,
  accountUuid: string,
  verified: VerifiedAssertion,
): Promise<void> {
  const current = await findWebauthnCredential(
    deps.kv,
    accountUuid,
    verified.credentialId,
  );
  if (!current) throw new ApiError("invalid_code", "The key was removed.");
  if (
    counterRegressed(current.value.counter, verified.newCounter) &&
    verified.newCounter !== 0
  ) {
    throw new ApiError("invalid_code");
  }
  recordWebauthnUse(operation, current, verified.newCounter, deps.clock.now());
}

/** Records a suspected clone and tells the owner, in one operation. */
async function reportClone(
  deps: Deps,
  credential: WebauthnCredential,
  origin: RequestOrigin,
): Promise<void> {
  const account = await findAccount(deps.kv, credential.accountUuid);
  if (!account) return;
  const message = composeAccountMessage(
    deps,
    account.value,
    "webauthn_clone_suspected",
    { device: { kind: "webauthn", addedAt: credential.createdAt } },
  );
  const operation = deps.kv.atomic();
  recordSecurityEvent(
    operation,
    credential.accountUuid,
    securityEvent(deps, "webauthn_counter_regression", origin),
  );
  enqueueMessage(operation, message);
  await operation.commit();
  await deps.deliverer.deliver([message.id]);
}
