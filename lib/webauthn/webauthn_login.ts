/**
 * Completing a login with a passkey or security key as its second factor (the
 * assertion's checks are in `webauthn_assertion.ts`).
 */
import {
  type AuthenticationResponseJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from "./simplewebauthn.ts";
import { updateLoginTicket } from "../../kv/login_tickets.ts";
import { withRetry } from "../../kv/retry.ts";
import { accountPasskeyOptions } from "./account_passkey_options.ts";
import type { Deps, RequestOrigin } from "../deps.ts";
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
import { assertionUse, verifyAssertion } from "./webauthn_assertion.ts";
import { webauthnChallenge } from "./webauthn_registration.ts";

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
    const options = await accountPasskeyOptions(
      deps,
      entry.value.accountUuid,
      webauthnChallenge(deps),
    );
    const stored = await updateLoginTicket(deps.kv, entry, {
      ...entry.value,
      webauthnChallenge: options.challenge,
    }, deps.clock.now());
    return stored ? options : retry;
  });
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
  // Single use: the challenge leaves the ticket before the answer is checked. The
  // ticket as this leaves it is what the completion then checks.
  let read = pending.read;
  const taken = await withRetry(async (retry) => {
    const entry = await currentTicket(deps, reserved.hash, read);
    read = [];
    const challenge = entry.value.webauthnChallenge ?? null;
    if (challenge === null) return { challenge, ticket: entry };
    const value = { ...entry.value, webauthnChallenge: null };
    const versionstamp = await updateLoginTicket(
      deps.kv,
      entry,
      value,
      deps.clock.now(),
    );
    return versionstamp
      ? { challenge, ticket: { key: entry.key, value, versionstamp } }
      : retry;
  });
  const { challenge } = taken;
  if (!challenge) {
    await reserved.attempt.passed();
    throw new ApiError(
      "conflict",
      "Ask for WebAuthn options for this login first.",
    );
  }
  const verified = await verifyAssertion(
    deps,
    accountUuid,
    response,
    challenge,
    origin,
    {
      requireUserVerification:
        deps.config.webauthnUserVerification === "required",
    },
  );
  if (!verified) {
    return await wrongCode(reserved.attempt, reserved.account.value, origin);
  }

  await commitLogin(
    deps,
    { ...pending, read: [taken.ticket, ...pending.read] },
    origin,
    ["webauthn_used"],
    async (operation) => {
      const use = await assertionUse(
        deps,
        accountUuid,
        response.id,
        verified.newCounter,
      );
      if (!use) throw new ApiError("invalid_code", "The key was removed.");
      use(operation);
    },
  );
  return pending.completed;
}
