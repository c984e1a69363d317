/**
 * `@simplewebauthn/server`, loaded with the first ceremony: it is the largest import of
 * the service (about a quarter of a second at start-up), and a session check, a
 * passcode sign-in or a health check never needs it. Same functions, same types.
 */
import type {
  generateAuthenticationOptions as GenerateAuthenticationOptions,
  generateRegistrationOptions as GenerateRegistrationOptions,
  verifyAuthenticationResponse as VerifyAuthenticationResponse,
  verifyRegistrationResponse as VerifyRegistrationResponse,
} from "@simplewebauthn/server";
import { lazy } from "../runtime/lazy.ts";

export type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from "@simplewebauthn/server";

const library = lazy(() => import("@simplewebauthn/server"));

/** As `@simplewebauthn/server`'s. */
export const generateRegistrationOptions: typeof GenerateRegistrationOptions =
  async (options) => (await library()).generateRegistrationOptions(options);

/** As `@simplewebauthn/server`'s. */
export const verifyRegistrationResponse: typeof VerifyRegistrationResponse =
  async (options) => (await library()).verifyRegistrationResponse(options);

/** As `@simplewebauthn/server`'s. */
export const generateAuthenticationOptions:
  typeof GenerateAuthenticationOptions = async (options) =>
    (await library()).generateAuthenticationOptions(options);

/** As `@simplewebauthn/server`'s. */
export const verifyAuthenticationResponse: typeof VerifyAuthenticationResponse =
  async (options) => (await library()).verifyAuthenticationResponse(options);
