/**
 * A passkey in place of the trading passcode (API.md, Step-up details): the options'
 * challenge is the SHA-256 of a random nonce, the action and the details' digest, kept
 * server-side and single-use, so the signed assertion itself records what the owner
 * approved, and an answer to a challenge made for other details is refused. Phishing-
 * resistant, as NIST SP 800-63B asks of an option at AAL2.
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
import { passkeyChallengeKey } from "../../kv/keys.ts";
import type { Session } from "../../kv/sessions.ts";
import { accountPasskeyOptions } from "./account_passkey_options.ts";
import type { Deps, RequestOrigin } from "../deps.ts";
import { refuseFrozenAccount } from "../frozen_account.ts";
import { toBase64Url, utf8 } from "../runtime/encoding.ts";
import { ApiError } from "../runtime/errors.ts";
import { detailsMismatch } from "../step_up/action_details.ts";
import type { StepUpAction, StepUpProof } from "../step_up/step_up.ts";
import { assertionUse, verifyAssertion } from "./webauthn_assertion.ts";
import { webauthnChallengeTtlSeconds } from "./webauthn_registration.ts";

/** What a step-up challenge commits to. */
interface StepUpRequest {
  action: StepUpAction;
  dtl: string | null;
}

/** The challenge for a nonce, an action and its details' digest. */
async function stepUpChallenge(
  nonce: string,
  { action, dtl }: StepUpRequest,
): Promise<Uint8Array<ArrayBuffer>> {
  const preimage = JSON.stringify(["step-up", nonce, action, dtl]);
  return new Uint8Array(
    await crypto.subtle.digest("SHA-256", utf8(preimage)),
  );
}

/** Request options whose challenge commits to the action and its details. */
export async function passkeyStepUpOptions(
  deps: Deps,
  session: Pick<Session, "id" | "accountUuid">,
  request: StepUpRequest,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  await refuseFrozenAccount(deps, session.accountUuid);
  const nonce = toBase64Url(deps.random(32));
  const options = await accountPasskeyOptions(
    deps,
    session.accountUuid,
    await stepUpChallenge(nonce, request),
  );
  const now = deps.clock.now();
  await putPasskeyChallenge(deps.kv, session.id, "step_up", {
    challenge: options.challenge,
    nonce,
    action: request.action,
    dtl: request.dtl,
    expiresAt: now + webauthnChallengeTtlSeconds * 1000,
  }, now);
  return options;
}

/**
 * A passkey's assertion as a step-up's proof. The session's challenge must have been
 * made for this action and these details (`409 details_mismatch` otherwise, and the
 * challenge stays for the right ones); it is spent before the signature is checked.
 */
export function passkeyStepUpProof(
  deps: Deps,
  session: Pick<Session, "id" | "accountUuid">,
  request: StepUpRequest,
  response: AuthenticationResponseJSON,
  origin: RequestOrigin,
): StepUpProof {
  let nonce = "";
  return {
    keys: [passkeyChallengeKey(session.id, "step_up")],
    async prepare(read) {
      const found = await findPasskeyChallenge(
        deps.kv,
        session.id,
        "step_up",
        deps.clock.now(),
        read,
      );
      if (!found) {
        throw new ApiError("conflict", "Ask for step-up options first.");
      }
      if (
        found.value.action !== request.action ||
        (found.value.dtl ?? null) !== request.dtl
      ) {
        throw detailsMismatch();
      }
      if (!(await spendPasskeyChallenge(deps.kv, found))) {
        throw new ApiError("conflict", "This challenge was already answered.");
      }
      nonce = found.value.nonce!;
    },
    async verify() {
      // Recomputed from this request: the signature holds only for what it names.
      const challenge = toBase64Url(await stepUpChallenge(nonce, request));
      const verified = await verifyAssertion(
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
      if (!verified) return false;
      const use = await assertionUse(
        deps,
        session.accountUuid,
        response.id,
        verified.newCounter,
      );
      return use !== null && (await use(deps.kv.atomic()).commit()).ok;
    },
    wrong: "The passkey's answer was not accepted.",
  };
}
