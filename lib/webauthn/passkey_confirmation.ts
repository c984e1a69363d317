/**
 * Confirming a security change with a passkey in its body instead of a code (API.md:
 * the settings lock and the MFA policy take `webauthn`): the only factor an account
 * that accepts passkeys alone still has, and the one that switches that off again. The
 * browser answers the session's confirmation challenge
 * (`POST /v1/session/confirm/options`); wrong answers count toward the same
 * confirmation lockout as wrong codes.
 */
import type { AuthenticationResponseJSON } from "./simplewebauthn.ts";
import type { Deps, RequestOrigin } from "../deps.ts";
import {
  type ConfirmingSession,
  confirmSecurityChange,
  type SecondFactorProof,
} from "../safeguards/second_factor.ts";
import { passkeyCheck } from "./session_confirmation.ts";

/** A second factor in a request body: a code, or a passkey's assertion. */
export interface ChangeProof extends SecondFactorProof {
  webauthn?: AuthenticationResponseJSON;
}

/** Confirms a change with whichever factor the body offers; returns which it was. */
export async function confirmChange(
  deps: Deps,
  session: ConfirmingSession,
  proof: ChangeProof,
  origin: RequestOrigin,
): Promise<"totp" | "backup_code" | "webauthn" | "window"> {
  return await confirmSecurityChange(
    deps,
    session,
    {
      totp: proof.totp,
      backupCode: proof.backupCode,
      passkey: proof.webauthn
        ? passkeyCheck(deps, session, proof.webauthn, origin)
        : undefined,
    },
    origin,
  );
}
