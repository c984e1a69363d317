/**
 * Completing a login with a passkey or security key: phishing-resistant, because the
 * assertion is bound to our RP ID and origin, which a relaying site cannot fake.
 */
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  type PublicKeyCredentialRequestOptionsJSON,
  verifyAuthenticationResponse,
} from "@simplewebauthn/server";
import { findAccount } from "../../kv/accounts.ts";
import { updateLoginTicket } from "../../kv/login_tickets.ts";
import { enqueueMessage } from "../../kv/outbox.ts";
import { withRetry } from "../../kv/retry.ts";
import { recordSecurityEvent } from "../../kv/security_events.ts";
import {
  findWebauthnCredential,
  listWebauthnCredentials,
  recordWebauthnUse,
  type WebauthnCredential,
} from "../../kv/webauthn_credentials.ts";
import type { Deps, RequestOrigin } from "../deps.ts";
import { fromBase64Url } from "../runtime/encoding.ts";
import { ApiError } from "../runtime/errors.ts";
import {
  beginCompletion,
  commitLogin,
  type CompletedLogin,
} from "../login/login_completion.ts";
import {
  currentTicket,
  liveTicket,
  requireOnlyMfaLeft,
  wrongCode,
} from "../login/login_ticket.ts";
import { composeAccountMessage } from "../messages/account_message.ts";
import { securityEvent } from "../security_event.ts";
import {
  webauthnChallenge,
  webauthnChallengeTtlSeconds,
} from "./webauthn_registration.ts";

/** RFC 8176: password plus a hardware-bound key. */
const webauthnAmr = ["pwd", "hwk", "mfa"];

/** Request options for this login's account; the challenge goes into the ticket. */
export async function webauthnLoginOptions(
  deps: Deps,
  ticket: string,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return await withRetry(async (retry) => {
    const { entry } = await liveTicket(deps, ticket);
    requireOnlyMfaLeft(entry.value);
    const credentials = await listWebauthnCredentials(
      deps.kv,
      entry.value.accountUuid,
    );
    if (credentials.length === 0) {
      throw new ApiError(
        "conflict",
        "This account has no passkey or security key.",
      );
    }
    const challenge = webauthnChallenge(deps);
    const options = await generateAuthenticationOptions({
      rpID: deps.config.rpId,
      challenge,
      timeout: webauthnChallengeTtlSeconds * 1000,
      allowCredentials: credentials.map((credential) => ({
        id: credential.id,
        transports: credential.transports as never,
      })),
      userVerification: deps.config.webauthnUserVerification,
    });
    const stored = await updateLoginTicket(deps.kv, entry, {
      ...entry.value,
      webauthnChallenge: options.challenge,
    }, deps.clock.now());
    return stored ? options : retry;
  });
}

/** Whether a counter went backwards (WebAuthn L3 §6.1.1: a cloned authenticator). */
function counterRegressed(stored: number, presented: number): boolean {
  return (stored !== 0 || presented !== 0) && presented <= stored;
}

/** Completes MFA with an assertion from one of the account's credentials. */
export async function completeWithWebauthn(
  deps: Deps,
  ticket: string,
  response: AuthenticationResponseJSON,
  origin: RequestOrigin,
): Promise<CompletedLogin> {
  const pending = await beginCompletion(deps, ticket, origin, webauthnAmr);
  const { reserved } = pending;
  const accountUuid = reserved.ticket.accountUuid;
  // Single use: the challenge leaves the ticket before the answer is checked.
  const challenge = await withRetry(async (retry) => {
    const entry = await currentTicket(deps, reserved.hash);
    const value = entry.value.webauthnChallenge ?? null;
    if (value === null) return null;
    const cleared = await updateLoginTicket(deps.kv, entry, {
      ...entry.value,
      webauthnChallenge: null,
    }, deps.clock.now());
    return cleared ? value : retry;
  });
  if (!challenge) {
    await reserved.attempt.passed();
    throw new ApiError(
      "conflict",
      "Ask for WebAuthn options for this login first.",
    );
  }

  const credential = await findWebauthnCredential(
    deps.kv,
    accountUuid,
    response.id,
  );
  if (!credential) return await wrongCode(reserved.attempt, origin);
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
      requireUserVerification:
        deps.config.webauthnUserVerification === "required",
    });
    if (!result.verified) throw new Error("not verified");
    newCounter = result.authenticationInfo.newCounter;
  } catch {
    return await wrongCode(reserved.attempt, origin);
  }
  // A signed assertion whose counter did not move on: two copies of one key exist.
  if (counterRegressed(credential.value.counter, newCounter)) {
    await reportClone(deps, credential.value, origin);
    return await wrongCode(reserved.attempt, origin);
  }

  await commitLogin(
    deps,
    pending,
    origin,
    ["webauthn_used"],
    async (operation) => {
      const current = await findWebauthnCredential(
        deps.kv,
        accountUuid,
        response.id,
      );
      if (!current) throw new ApiError("invalid_code", "The key was removed.");
      if (
        counterRegressed(current.value.counter, newCounter) && newCounter !== 0
      ) {
        throw new ApiError("invalid_code");
      }
      recordWebauthnUse(operation, current, newCounter, deps.clock.now());
    },
  );
  return pending.completed;
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
