/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="esnext" />
/**
 * What went wrong with a passkey, in plain words: the browser's own messages name
 * specifications and link to them, which helps nobody at a sign-in.
 */
import { WebAuthnError } from "@simplewebauthn/browser";
import { t } from "./i18n.ts";

/** The sentence for a failed passkey ceremony, or null when it was no WebAuthn error. */
export function passkeyProblem(error: unknown): string | null {
  const code = error instanceof WebAuthnError ? error.code : null;
  const name = error instanceof Error ? error.name : "";
  if (code === "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED") {
    return t("common.passkey.registered");
  }
  if (code === "ERROR_INVALID_DOMAIN" || code === "ERROR_INVALID_RP_ID") {
    return t("common.passkey.officialAddress");
  }
  if (
    code === "ERROR_AUTHENTICATOR_NO_SUPPORTED_PUBKEYCREDPARAMS_ALG" ||
    code === "ERROR_AUTHENTICATOR_MISSING_USER_VERIFICATION_SUPPORT" ||
    code === "ERROR_AUTHENTICATOR_MISSING_DISCOVERABLE_CREDENTIAL_SUPPORT"
  ) {
    return t("common.passkey.unsupportedAuthenticator");
  }
  if (code === "ERROR_CEREMONY_ABORTED" || name === "NotAllowedError") {
    return t("common.passkey.cancelled");
  }
  if (name === "NotSupportedError" || name === "SecurityError") {
    return t("common.passkey.unsupportedBrowser");
  }
  if (error instanceof WebAuthnError || name === "AbortError") {
    return t("common.passkey.failed");
  }
  return null;
}
