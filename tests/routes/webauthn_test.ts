import { totpCodeAt } from "../../lib/crypto/totp.ts";
import { assert, assertEquals } from "../helpers/assert.ts";
import {
  createTestService,
  enrollAndLogIn,
  eventTypes,
  json,
  passcodeStep,
  registerAccount,
  solveCaptcha,
  strongPasscode,
  type TestService,
} from "../helpers/service.ts";
import {
  type CeremonyOptions,
  createSoftwareAuthenticator,
  type SoftwareAuthenticator,
} from "../helpers/software_authenticator.ts";
import { addPasskey, authed, webauthnStep } from "../helpers/passkeys.ts";

/** An enrolled account with a signed-in session and a passkey registered. */
async function accountWithPasskey(
  service: TestService,
  ceremony: CeremonyOptions = {},
): Promise<{
  accountId: string;
  secret: string;
  token: string;
  authenticator: SoftwareAuthenticator;
  response: Response;
}> {
  const accountId = await registerAccount(service);
  const { secret, body } = await enrollAndLogIn(service, accountId);
  const token = body.accessToken as string;
  return {
    accountId,
    secret,
    token,
    ...await addPasskey(service, token, secret, ceremony),
  };
}

Deno.test("a passkey is registered with a second factor and then completes login with amr hwk", async () => {
  using service = await createTestService();
  const { accountId, token, authenticator, response } =
    await accountWithPasskey(service);
  assertEquals(response.status, 201);
  const device = await response.json();
  assertEquals(device.id, authenticator.credentialId);
  assertEquals(device.name, "Laptop passkey");
  assertEquals(service.sent.at(-1)!.kind, "webauthn_added");
  const mfa = await (await service.request("/v1/mfa", {
    headers: { authorization: `Bearer ${token}` },
  })).json();
  assertEquals(mfa.webauthnDevices, 1);

  const { ticket, options } = await webauthnStep(service, accountId);
  assertEquals(options.rpId, "localhost");
  assertEquals(options.allowCredentials.map((c: { id: string }) => c.id), [
    authenticator.credentialId,
  ]);
  const login = await service.request(
    "/v1/login/webauthn",
    json({
      ticket,
      response: await authenticator.assert(options),
      transport: "token",
    }),
  );
  assertEquals(login.status, 200);
  const body = await login.json();
  assertEquals(body.amr, ["pwd", "hwk", "mfa"]);
  const session = await (await service.request("/v1/session", {
    headers: { authorization: `Bearer ${body.accessToken}` },
  })).json();
  assertEquals(session.amr, ["pwd", "hwk", "mfa"]);
});

Deno.test("registration options need a valid second factor and exclude known credentials", async () => {
  using service = await createTestService();
  const { secret, token, authenticator } = await accountWithPasskey(service);
  const refused = await service.request(
    "/v1/devices/webauthn/options",
    authed(token, { totp: "000000" }),
  );
  assertEquals(refused.status, 400);
  service.clock.advanceSeconds(30);
  const options = await (await service.request(
    "/v1/devices/webauthn/options",
    authed(token, { totp: totpCodeAt(secret, service.clock.now()) }),
  )).json();
  assertEquals(options.excludeCredentials.map((c: { id: string }) => c.id), [
    authenticator.credentialId,
  ]);
  assertEquals(options.attestation, "none");
  assertEquals(options.authenticatorSelection.residentKey, "preferred");
  assertEquals(options.authenticatorSelection.userVerification, "required");
});

Deno.test("registration from a wrong origin, a wrong RP ID, or without user verification is refused", async () => {
  for (
    const ceremony of [{ origin: "https://evil.example" }, {
      rpId: "evil.example",
    }, { userVerified: false }]
  ) {
    using service = await createTestService();
    const { response } = await accountWithPasskey(service, ceremony);
    assertEquals(response.status, 400, JSON.stringify(ceremony));
    assertEquals((await response.json()).code, "invalid_request");
  }
});

Deno.test("assertions from a wrong origin or RP ID, without UV, or replayed are refused", async () => {
  using service = await createTestService();
  const { accountId, authenticator } = await accountWithPasskey(service);
  for (
    const ceremony of [{ origin: "https://evil.example" }, {
      rpId: "evil.example",
    }, { userVerified: false }]
  ) {
    const { ticket, options } = await webauthnStep(service, accountId);
    const response = await service.request(
      "/v1/login/webauthn",
      json({ ticket, response: await authenticator.assert(options, ceremony) }),
    );
    assertEquals(response.status, 401, JSON.stringify(ceremony));
    assertEquals((await response.json()).code, "invalid_code");
  }
  // An assertion made for one ticket's challenge does not work on another ticket.
  const first = await webauthnStep(service, accountId);
  const second = await webauthnStep(service, accountId);
  const forFirst = await authenticator.assert(first.options);
  const crossed = await service.request(
    "/v1/login/webauthn",
    json({ ticket: second.ticket, response: forFirst }),
  );
  assertEquals(crossed.status, 401);
  // And a challenge answers once.
  const used = await service.request(
    "/v1/login/webauthn",
    json({ ticket: first.ticket, response: forFirst }),
  );
  assertEquals(used.status, 200);
});

Deno.test("an unknown credential and another account's credential are refused", async () => {
  using service = await createTestService();
  const alice = await accountWithPasskey(service);
  service.browser.deviceCookie = null;
  const bob = await accountWithPasskey(service);
  const stranger = await createSoftwareAuthenticator();
  for (const authenticator of [stranger, bob.authenticator]) {
    const { ticket, options } = await webauthnStep(service, alice.accountId);
    const response = await service.request(
      "/v1/login/webauthn",
      json({ ticket, response: await authenticator.assert(options) }),
    );
    assertEquals(response.status, 401);
  }
});

Deno.test("a signature counter that goes backwards is refused, recorded and announced", async () => {
  using service = await createTestService();
  const { accountId, authenticator } = await accountWithPasskey(service);
  authenticator.counter = 10;
  const { ticket, options } = await webauthnStep(service, accountId);
  const ok = await service.request(
    "/v1/login/webauthn",
    json({ ticket, response: await authenticator.assert(options) }),
  );
  assertEquals(ok.status, 200);

  authenticator.counter = 5;
  const cloned = await webauthnStep(service, accountId);
  const response = await service.request(
    "/v1/login/webauthn",
    json({
      ticket: cloned.ticket,
      response: await authenticator.assert(cloned.options),
    }),
  );
  assertEquals(response.status, 401);
  assertEquals(service.sent.at(-1)!.kind, "webauthn_clone_suspected");
  const events = await Array.fromAsync(
    service.kv.list<{ type: string }>({ prefix: ["security_events"] }),
    (entry) => entry.value.type,
  );
  assert(events.includes("webauthn_counter_regression"));
});

Deno.test("a forged assertion with a lower counter is a failed sign-in, not a clone alarm", async () => {
  using service = await createTestService();
  const { accountId, authenticator } = await accountWithPasskey(service);
  authenticator.counter = 10;
  const { ticket, options } = await webauthnStep(service, accountId);
  const ok = await service.request(
    "/v1/login/webauthn",
    json({ ticket, response: await authenticator.assert(options) }),
  );
  assertEquals(ok.status, 200);
  const sentBefore = service.sent.length;

  // Somebody who knows only the credential id: junk signature, counter 0.
  authenticator.counter = 0;
  const forged = await webauthnStep(service, accountId);
  const response = await service.request(
    "/v1/login/webauthn",
    json({
      ticket: forged.ticket,
      response: await authenticator.assert(forged.options, {
        forgedSignature: true,
      }),
    }),
  );
  assertEquals(response.status, 401);
  assertEquals((await response.json()).code, "invalid_code");
  await service.deps.deliverer.settled();
  assertEquals(
    service.sent.slice(sentBefore).map((message) => message.kind),
    [],
    "no message about a forgery",
  );
  const events = await eventTypes(service, accountId);
  assert(!events.includes("webauthn_counter_regression"));
  assertEquals(events[0], "login_failed");

  // The owner's key, signing properly, still signs in.
  authenticator.counter = 11;
  const owner = await webauthnStep(service, accountId);
  const signed = await service.request(
    "/v1/login/webauthn",
    json({
      ticket: owner.ticket,
      response: await authenticator.assert(owner.options),
    }),
  );
  assertEquals(signed.status, 200);
});

Deno.test("registration responses to a consumed or missing challenge are refused", async () => {
  using service = await createTestService();
  const { token, authenticator } = await accountWithPasskey(service);
  const again = await service.request(
    "/v1/devices/webauthn",
    authed(token, {
      response: await authenticator.register({
        challenge: "x",
        user: { id: "y" },
      }),
      name: "Again",
    }),
  );
  assertEquals(again.status, 409);
});

Deno.test("GET /v1/devices lists passkeys and browsers; PATCH renames with a notice", async () => {
  using service = await createTestService();
  const { token, authenticator } = await accountWithPasskey(service);
  const bearer = { headers: { authorization: `Bearer ${token}` } };
  const devices = await (await service.request("/v1/devices", bearer)).json();
  assertEquals(devices.map((d: { kind: string }) => d.kind).sort(), [
    "browser",
    "webauthn",
  ]);
  for (const device of devices) {
    for (const field of ["id", "name", "kind", "createdAt", "lastUsedAt"]) {
      assert(field in device);
    }
  }
  const renamed = await service.request(
    `/v1/devices/${authenticator.credentialId}`,
    {
      ...json({ name: "YubiKey 5" }, "PATCH", {
        authorization: `Bearer ${token}`,
      }),
    },
  );
  assertEquals(renamed.status, 200);
  assertEquals((await renamed.json()).name, "YubiKey 5");
  assertEquals(service.sent.at(-1)!.kind, "device_changed");
  const missing = await service.request(
    "/v1/devices/nope",
    json({ name: "x" }, "PATCH", { authorization: `Bearer ${token}` }),
  );
  assertEquals(missing.status, 404);
});

Deno.test("device names are trimmed, 1 to 64 characters, without control characters or line breaks", async () => {
  using service = await createTestService();
  const { token, authenticator } = await accountWithPasskey(service);
  const rename = (name: string) =>
    service.request(
      `/v1/devices/${authenticator.credentialId}`,
      json({ name }, "PATCH", { authorization: `Bearer ${token}` }),
    );
  for (
    const name of [
      "",
      "   ",
      "a".repeat(65),
      "Laptop\nURGENT: verify now at https://evil.example/x",
      "Laptop\rURGENT",
      "tab\there",
      "nul\u0000here",
      "right-to-left \u202Eexe.pdf",
      "zero\u200Bwidth",
      "line\u2028separator",
      "paragraph\u2029separator",
      "lone \ud800 surrogate",
    ]
  ) {
    const refused = await rename(name);
    assertEquals(refused.status, 400, JSON.stringify(name));
    const problem = await refused.json();
    assertEquals(problem.code, "invalid_request");
    assertEquals(problem.errors[0].path, "name");
  }
  for (
    const [name, kept] of [
      ["  YubiKey 5  ", "YubiKey 5"],
      ["Clé de Zoë 🔑", "Clé de Zoë 🔑"],
      ["a".repeat(64), "a".repeat(64)],
    ]
  ) {
    const renamed = await rename(name);
    assertEquals(renamed.status, 200, name);
    assertEquals((await renamed.json()).name, kept);
  }
});

Deno.test("deleting a passkey needs a second factor and stops it working", async () => {
  using service = await createTestService();
  const { accountId, secret, token, authenticator } = await accountWithPasskey(
    service,
  );
  const headers = { authorization: `Bearer ${token}` };
  const refused = await service.request(
    `/v1/devices/${authenticator.credentialId}`,
    json({ totp: "000000" }, "DELETE", headers),
  );
  assertEquals(refused.status, 400);
  const { ticket, options } = await webauthnStep(service, accountId);
  service.clock.advanceSeconds(30);
  const removed = await service.request(
    `/v1/devices/${authenticator.credentialId}`,
    json({ totp: totpCodeAt(secret, service.clock.now()) }, "DELETE", headers),
  );
  assertEquals(removed.status, 204);
  const late = await service.request(
    "/v1/login/webauthn",
    json({ ticket, response: await authenticator.assert(options) }),
  );
  assertEquals(late.status, 401);
  const next = await passcodeStep(service, accountId);
  assert(!next.methods.includes("webauthn"));
});

Deno.test("removing a browser ends its sessions and it is no longer recognised", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  const { secret, body } = await enrollAndLogIn(service, accountId);
  const token = body.accessToken as string;
  const headers = { authorization: `Bearer ${token}` };
  const [browser] = await (await service.request("/v1/devices", { headers }))
    .json();
  assertEquals(browser.kind, "browser");
  service.clock.advanceSeconds(30);
  const removed = await service.request(
    `/v1/devices/${browser.id}`,
    json({ totp: totpCodeAt(secret, service.clock.now()) }, "DELETE", headers),
  );
  assertEquals(removed.status, 204);
  assertEquals((await service.request("/v1/session", { headers })).status, 401);
  const login = await service.request(
    "/v1/login",
    json(
      {
        accountId,
        passcode: strongPasscode,
        captcha: await solveCaptcha(service),
      },
      "POST",
      { cookie: `__Host-device=${service.browser.deviceCookie}` },
    ),
  );
  assertEquals((await login.json()).requires[0], "device_verification");
});
