/** Passkey steps through the API, with the software authenticator. */
import { totpCodeAt } from "../../lib/crypto/totp.ts";
import { assert, assertEquals } from "./assert.ts";
import { json, passcodeStep, type TestService } from "./service.ts";
import {
  type CeremonyOptions,
  createSoftwareAuthenticator,
  type SoftwareAuthenticator,
} from "./software_authenticator.ts";

/** A POST with a bearer token. */
export const authed = (token: string, body: unknown) =>
  json(body, "POST", { authorization: `Bearer ${token}` });

/** Registers a new passkey on a signed-in session (the TOTP step moves on first). */
export async function addPasskey(
  service: TestService,
  token: string,
  secret: string,
  ceremony: CeremonyOptions = {},
): Promise<{ authenticator: SoftwareAuthenticator; response: Response }> {
  service.clock.advanceSeconds(30);
  const optionsResponse = await service.request(
    "/v1/devices/webauthn/options",
    authed(token, { totp: totpCodeAt(secret, service.clock.now()) }),
  );
  assertEquals(optionsResponse.status, 200);
  const options = await optionsResponse.json();
  const authenticator = await createSoftwareAuthenticator();
  const registration = await authenticator.register(options, ceremony);
  const response = await service.request(
    "/v1/devices/webauthn",
    authed(token, { response: registration, name: "Laptop passkey" }),
  );
  return { authenticator, response };
}

/** A login up to the WebAuthn step; returns the ticket and the request options. */
export async function webauthnStep(service: TestService, accountId: string) {
  const ticket = await passcodeStep(service, accountId);
  assert(ticket.methods.includes("webauthn"), JSON.stringify(ticket.methods));
  const response = await service.request(
    "/v1/login/webauthn/options",
    json({ ticket: ticket.ticket }),
  );
  assertEquals(response.status, 200);
  return { ticket: ticket.ticket, options: await response.json() };
}
