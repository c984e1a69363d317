/**
 * Signing in with a passkey alone (API.md, Login): a discoverable credential names its
 * account, and user verification (a PIN or biometric on the authenticator) makes it two
 * factors in one, so no passcode, CAPTCHA or device code is asked. The rest is any
 * sign-in's: the account's lockout, recognition of the browser and network with the
 * alert for a new one, and a pending MFA reset cancelled.
 */
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  type PublicKeyCredentialRequestOptionsJSON,
} from "./simplewebauthn.ts";
import { findAccount } from "../../kv/accounts.ts";
import {
  consumePasskeyLoginChallenge,
  putPasskeyLoginChallenge,
} from "../../kv/passkey_login_challenges.ts";
import { findWebauthnCredentialOwner } from "../../kv/webauthn_credentials.ts";
import type { Deps, RequestOrigin } from "../deps.ts";
import {
  assessLoginContext,
  readDeviceCookie,
} from "../devices/device_recognition.ts";
import { fromBase64Url, toBase64Url, utf8 } from "../runtime/encoding.ts";
import { ApiError } from "../runtime/errors.ts";
import { assertNotLocked, reserveAttempt } from "../safeguards/lockout.ts";
import {
  commitCompletion,
  type CompletedLogin,
  prepareCompletion,
} from "../login/login_completion.ts";
import { assertionUse, verifyAssertion } from "./webauthn_assertion.ts";
import { webauthnChallengeTtlSeconds } from "./webauthn_registration.ts";

/**
 * RFC 8176 as API.md fixes it: a hardware-bound key (`hwk`) whose user verified
 * themselves to it (`user`), together multi-factor.
 */
const passkeyAmr = ["hwk", "user", "mfa"];

/** The challenges this service issues: 32 random bytes, base64url. */
const challengePattern = /^[A-Za-z0-9_-]{43}$/;

/**
 * Request options for a discoverable passkey: no `allowCredentials` (nobody is named
 * yet; the authenticator offers what it holds for this RP ID), user verification
 * required whatever `WEBAUTHN_USER_VERIFICATION` says, since it stands in for the
 * passcode. The challenge is stored, single-use, for 5 minutes.
 */
export async function passkeyLoginOptions(
  deps: Deps,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const options = await generateAuthenticationOptions({
    rpID: deps.config.rpId,
    challenge: deps.random(32),
    timeout: webauthnChallengeTtlSeconds * 1000,
    userVerification: "required",
  });
  const now = deps.clock.now();
  await putPasskeyLoginChallenge(deps.kv, options.challenge, {
    expiresAt: now + webauthnChallengeTtlSeconds * 1000,
  }, now);
  return options;
}

/** The challenge the client data of an assertion answers, if it can be one of ours. */
function answeredChallenge(
  response: AuthenticationResponseJSON,
): string | null {
  try {
    const bytes = fromBase64Url(response.response.clientDataJSON);
    const clientData = bytes && JSON.parse(new TextDecoder().decode(bytes));
    const challenge = clientData?.challenge;
    return typeof challenge === "string" && challengePattern.test(challenge)
      ? challenge
      : null;
  } catch {
    return null;
  }
}

/**
 * Signs in with a passkey alone. The challenge is consumed before anything else is
 * looked at, so an answer is tried once; the credential names the account, whose lock
 * is checked (`423`) and whose failure budget the attempt spends, as at every login
 * step. Failures are `401 invalid_code`.
 */
export async function signInWithPasskey(
  deps: Deps,
  input: {
    response: AuthenticationResponseJSON;
    deviceCookie: string | undefined;
  },
  origin: RequestOrigin,
): Promise<CompletedLogin> {
  const { response } = input;
  const challenge = answeredChallenge(response);
  if (
    !challenge ||
    !await consumePasskeyLoginChallenge(deps.kv, challenge, deps.clock.now())
  ) {
    throw new ApiError("invalid_code", "Ask for new passkey options.");
  }
  const accountUuid = await findWebauthnCredentialOwner(deps.kv, response.id);
  const account = accountUuid ? await findAccount(deps.kv, accountUuid) : null;
  if (!account) throw new ApiError("invalid_code");

  const context = await assessLoginContext(
    deps,
    account.value.id,
    await readDeviceCookie(deps, input.deviceCookie),
    origin.ip,
  );
  const subject = {
    accountId: account.value.accountId,
    deviceId: context.deviceId,
  };
  const counter = await assertNotLocked(deps, subject);
  const attempt = await reserveAttempt(deps, subject, counter);
  // WebAuthn L3 §7.2 step 6: with nobody named beforehand, the user handle must be
  // present and be the credential owner's (registration's `userID`).
  const ownersHandle = toBase64Url(utf8(account.value.id));
  const verified = response.response.userHandle === ownersHandle
    ? await verifyAssertion(
      deps,
      account.value.id,
      response,
      challenge,
      origin,
      { requireUserVerification: true },
    )
    : null;
  if (!verified) {
    await attempt.failed(origin, account.value);
    throw new ApiError("invalid_code");
  }

  const pending = await prepareCompletion(
    deps,
    { accountUuid: account.value.id, context, attempt },
    origin,
    passkeyAmr,
  );
  await commitCompletion(
    deps,
    pending,
    origin,
    ["webauthn_used"],
    async (operation) => {
      const use = await assertionUse(
        deps,
        account.value.id,
        response.id,
        verified.newCounter,
      );
      if (!use) throw new ApiError("invalid_code", "The key was removed.");
      use(operation);
    },
  );
  return pending.completed;
}
