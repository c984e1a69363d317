/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="esnext" />
/**
 * What went wrong with a passkey, in plain words: the browser's own messages name
 * specifications and link to them, which helps nobody at a sign-in.
 */
import { WebAuthnError } from "@simplewebauthn/browser";

/** The sentence for a failed passkey ceremony, or null when it was no WebAuthn error. */
export function passkeyProblem(error: unknown): string | null {
  const code = error instanceof WebAuthnError ? error.code : null;
  const name = error instanceof Error ? error.name : "";
  if (code === "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED") {
    return "This passkey is already registered to your account.";
  }
  if (code === "ERROR_INVALID_DOMAIN" || code === "ERROR_INVALID_RP_ID") {
    return "Passkeys work only on the official address. Open it from your bookmark and try again.";
  }
  if (
    code === "ERROR_AUTHENTICATOR_NO_SUPPORTED_PUBKEYCREDPARAMS_ALG" ||
    code === "ERROR_AUTHENTICATOR_MISSING_USER_VERIFICATION_SUPPORT" ||
    code === "ERROR_AUTHENTICATOR_MISSING_DISCOVERABLE_CREDENTIAL_SUPPORT"
  ) {
    return "This device or security key cannot make a passkey we accept. Try another one, or your phone.";
  }
  if (code === "ERROR_CEREMONY_ABORTED" || name === "NotAllowedError") {
    return "The passkey prompt was closed or timed out. Try again.";
  }
  if (name === "NotSupportedError" || name === "SecurityError") {
    return "This browser cannot use passkeys here. Try another browser, or use a code from your app.";
  }
  if (error instanceof WebAuthnError || name === "AbortError") {
    return "The passkey did not work. Try again, or use a code from your app.";
  }
  return null;
}
