/**
 * Adding a passkey or security key (WebAuthn L3 registration) from a signed-in session.
 * A new credential is a new way in, so the options request needs a current second
 * factor; the challenge is 32 random bytes, kept server-side, single-use, 5 minutes.
 */
import {
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type RegistrationResponseJSON,
  verifyRegistrationResponse,
} from "./simplewebauthn.ts";
import type { Account } from "../../kv/accounts.ts";
import { enqueueMessage } from "../../kv/outbox.ts";
import { recordSecurityEvent } from "../../kv/security_events.ts";
import {
  findRegistrationChallenge,
  insertWebauthnCredential,
  listWebauthnCredentials,
  putRegistrationChallenge,
  type WebauthnCredential,
} from "../../kv/webauthn_credentials.ts";
import type { Deps, RequestOrigin } from "../deps.ts";
import { fromBase64Url, toBase64Url, utf8 } from "../runtime/encoding.ts";
import { ApiError } from "../runtime/errors.ts";
import { composeAccountMessage } from "../messages/account_message.ts";
import {
  type ConfirmingSession,
  confirmSecurityChange,
  type SecondFactorProof,
} from "../safeguards/second_factor.ts";
import { securityEvent } from "../security_event.ts";
import {
  holdWithdrawals,
  withdrawalHoldEnd,
} from "../safeguards/withdrawal_hold.ts";

/** A WebAuthn ceremony's challenge lives 5 minutes (the options' timeout too). */
export const webauthnChallengeTtlSeconds = 5 * 60;
/**
 * EdDSA, ES256 and RS256 (COSE -8, -7, -257): what current authenticators offer; some
 * Windows Hello authenticators have RS256 only (WebAuthn L3 §5.4.3 recommends listing it).
 */
export const webauthnAlgorithms = [-8, -7, -257];

/**
 * The longest credential id a ceremony may produce (WebAuthn L3 §7.1, "Verify that the
 * credentialId is ≤ 1023 bytes"): it becomes part of KV keys, which end at 2 KiB.
 */
const maxCredentialIdBytes = 1023;

/** A fresh 32-byte challenge, base64url. */
export function webauthnChallenge(deps: Deps): string {
  return toBase64Url(deps.random(32));
}

/**
 * Creation options for a new credential; the second factor is consumed first (or the
 * session's confirmation window stands in for it).
 */
export async function startPasskeyRegistration(
  deps: Deps,
  session: ConfirmingSession,
  account: Account,
  proof: SecondFactorProof,
  origin: RequestOrigin,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  await confirmSecurityChange(deps, session, proof, origin);
  const existing = await listWebauthnCredentials(deps.kv, account.id);
  const challenge = webauthnChallenge(deps);
  const options = await generateRegistrationOptions({
    rpName: deps.config.rpName,
    rpID: deps.config.rpId,
    userName: account.accountId,
    userID: utf8(account.id),
    challenge,
    timeout: webauthnChallengeTtlSeconds * 1000,
    attestationType: "none",
    excludeCredentials: existing.map((credential) => ({
      id: credential.id,
      transports: credential.transports,
    })),
    authenticatorSelection: {
      residentKey: "preferred",
      userVerification: deps.config.webauthnUserVerification,
    },
    supportedAlgorithmIDs: webauthnAlgorithms,
  });
  const now = deps.clock.now();
  await putRegistrationChallenge(deps.kv, account.id, {
    challenge: options.challenge,
    expiresAt: now + webauthnChallengeTtlSeconds * 1000,
  }, now);
  return options;
}

/**
 * Verifies the browser's registration response and stores the credential, consuming the
 * challenge in the same operation (a failed verification consumes it too). A new way
 * in holds withdrawals; `holdUntil` is when that hold ends.
 */
export async function finishPasskeyRegistration(
  deps: Deps,
  account: Account,
  response: RegistrationResponseJSON,
  name: string,
  origin: RequestOrigin,
): Promise<
  { credential: WebauthnCredential; messageId: string; holdUntil: number }
> {
  const now = deps.clock.now();
  const challenge = await findRegistrationChallenge(deps.kv, account.id, now);
  if (!challenge) {
    throw new ApiError("conflict", "Ask for registration options first.");
  }
  const consumed = await deps.kv.atomic().check(challenge).delete(challenge.key)
    .commit();
  if (!consumed.ok) {
    throw new ApiError("conflict", "This challenge was already answered.");
  }
  let info;
  try {
    const result = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge.value.challenge,
      expectedOrigin: deps.config.appOrigins,
      expectedRPID: deps.config.rpId,
      requireUserVerification: deps.config.webauthnUserVerification ===
        "required",
      supportedAlgorithmIDs: webauthnAlgorithms,
    });
    if (!result.verified) throw new Error("not verified");
    info = result.registrationInfo;
    // The id stored is the one in the authenticator data, which the authenticator chose.
    const idBytes = fromBase64Url(info.credential.id)?.length ?? Infinity;
    if (idBytes > maxCredentialIdBytes) {
      throw new Error(
        `Credential ID of ${idBytes} bytes, expected at most ${maxCredentialIdBytes}`,
      );
    }
  } catch (error) {
    throw new ApiError(
      "invalid_request",
      `The authenticator's response was not accepted: ${
        error instanceof Error ? error.message : "invalid"
      }`,
    );
  }
  const credential: WebauthnCredential = {
    id: info.credential.id,
    accountUuid: account.id,
    publicKey: toBase64Url(info.credential.publicKey),
    counter: info.credential.counter,
    transports: info.credential.transports ?? [],
    aaguid: info.aaguid,
    backupEligible: info.credentialDeviceType === "multiDevice",
    backedUp: info.credentialBackedUp,
    name,
    createdAt: now,
    lastUsedAt: null,
  };
  const holdUntil = withdrawalHoldEnd(deps);
  const message = composeAccountMessage(deps, account, "webauthn_added", {
    device: { kind: "webauthn", addedAt: now },
    holdUntil,
  });
  const operation = insertWebauthnCredential(deps.kv.atomic(), credential);
  recordSecurityEvent(
    operation,
    account.id,
    securityEvent(deps, "webauthn_added", origin),
  );
  enqueueMessage(operation, message);
  holdWithdrawals(deps, operation, account.id, holdUntil);
  if (!(await operation.commit()).ok) {
    throw new ApiError("conflict", "This authenticator is registered already.");
  }
  return { credential, messageId: message.id, holdUntil };
}
