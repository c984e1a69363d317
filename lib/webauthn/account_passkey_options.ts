/**
 * Request options naming the account's own passkeys and security keys, for every
 * ceremony that asks a known account for one: a login's second factor, the
 * confirmation of a session, and a step-up. `409 conflict` for an account without one.
 */
import { listWebauthnCredentials } from "../../kv/webauthn_credentials.ts";
import type { Deps } from "../deps.ts";
import { ApiError } from "../runtime/errors.ts";
import { webauthnChallengeTtlSeconds } from "./webauthn_registration.ts";
import {
  generateAuthenticationOptions,
  type PublicKeyCredentialRequestOptionsJSON,
} from "./simplewebauthn.ts";

/** Options for `challenge` (raw bytes, or what the caller made of them). */
export async function accountPasskeyOptions(
  deps: Deps,
  accountUuid: string,
  challenge: Uint8Array<ArrayBuffer> | string,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const credentials = await listWebauthnCredentials(deps.kv, accountUuid);
  if (credentials.length === 0) {
    throw new ApiError(
      "conflict",
      "This account has no passkey or security key.",
    );
  }
  return await generateAuthenticationOptions({
    rpID: deps.config.rpId,
    challenge,
    timeout: webauthnChallengeTtlSeconds * 1000,
    allowCredentials: credentials.map((credential) => ({
      id: credential.id,
      transports: credential.transports as never,
    })),
    userVerification: deps.config.webauthnUserVerification,
  });
}
