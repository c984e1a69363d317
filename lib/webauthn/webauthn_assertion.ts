/**
 * Verifying an assertion by one of an account's passkeys or security keys, for every
 * ceremony that takes one: a login's second factor, a sign-in with a passkey alone, and
 * the confirmation of a session. Phishing-resistant: the assertion is bound to our RP
 * ID and origin, which a relaying site cannot fake.
 */
import {
  type AuthenticationResponseJSON,
  verifyAuthenticationResponse,
} from "./simplewebauthn.ts";
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
import { composeAccountMessage } from "../messages/account_message.ts";
import { securityEvent } from "../security_event.ts";

/** Whether a counter went backwards (WebAuthn L3 §6.1.1: a cloned authenticator). */
function counterRegressed(stored: number, presented: number): boolean {
  return (stored !== 0 || presented !== 0) && presented <= stored;
}

/**
 * Verifies `response` against `challenge` with the account's credential of that id.
 * Null for a credential the account does not have and for a failed verification. A
 * signed assertion whose counter did not move on means two copies of one key exist:
 * recorded, announced to the owner, and null too. The counter is judged only after
 * the signature verified, so an assertion forged with a known credential id is a plain
 * failure, not a clone alarm.
 */
export async function verifyAssertion(
  deps: Deps,
  accountUuid: string,
  response: AuthenticationResponseJSON,
  challenge: string,
  origin: RequestOrigin,
  options: { requireUserVerification: boolean },
): Promise<{ newCounter: number } | null> {
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
      expectedChallenge: challenge,
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
      requireUserVerification: options.requireUserVerification,
    });
    if (!result.verified) return null;
    newCounter = result.authenticationInfo.newCounter;
  } catch {
    return null;
  }
  if (counterRegressed(credential.value.counter, newCounter)) {
    await reportClone(deps, credential.value, origin);
    return null;
  }
  return { newCounter };
}

/**
 * The write of a verified assertion's use (new counter, last used), read afresh for the
 * operation that commits it and guarded by the credential's versionstamp. Null when the
 * credential was removed meanwhile, or a racing use moved its counter past this one.
 */
export async function assertionUse(
  deps: Deps,
  accountUuid: string,
  credentialId: string,
  newCounter: number,
): Promise<
  ((operation: Deno.AtomicOperation) => Deno.AtomicOperation) | null
> {
  const current = await findWebauthnCredential(
    deps.kv,
    accountUuid,
    credentialId,
  );
  if (!current) return null;
  if (counterRegressed(current.value.counter, newCounter) && newCounter !== 0) {
    return null;
  }
  const now = deps.clock.now();
  return (operation) => recordWebauthnUse(operation, current, newCounter, now);
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
