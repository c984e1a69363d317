import { assert, assertEquals } from "../helpers/assert.ts";
import { accountWithPasskey, addPasskey, authed } from "../helpers/passkeys.ts";
import {
  createTestService,
  enrollAndLogIn,
  eventTypes,
  freshTotp,
  json,
  lastCodeSentTo,
  registerAccount,
  requestRecovery,
  solveCaptcha,
  type TestService,
} from "../helpers/service.ts";
import {
  type CeremonyOptions,
  createSoftwareAuthenticator,
  type SoftwareAuthenticator,
} from "../helpers/software_authenticator.ts";

/** `POST /v1/login/passkey/options`: the request options, as the browser gets them. */
async function passkeyOptions(service: TestService, ip?: string) {
  const response = await service.request(
    "/v1/login/passkey/options",
    { method: "POST" },
    ip,
  );
  assertEquals(response.status, 200);
  return await response.json();
}

/** A whole passkey sign-in: options, the authenticator's assertion, the answer. */
async function signInWithPasskey(
  service: TestService,
  authenticator: SoftwareAuthenticator,
  options: {
    ceremony?: CeremonyOptions;
    transport?: "token" | "cookie";
    ip?: string;
    cookie?: string | null;
  } = {},
): Promise<Response> {
  const requestOptions = await passkeyOptions(service, options.ip);
  return await service.request(
    "/v1/login/passkey",
    json(
      {
        response: await authenticator.assert(requestOptions, options.ceremony),
        transport: options.transport ?? "token",
      },
      "POST",
      options.cookie ? { cookie: `__Host-device=${options.cookie}` } : {},
    ),
    options.ip,
  );
}

Deno.test("a passkey alone signs in: discoverable options, amr hwk user mfa, tokens or cookies", async () => {
  using service = await createTestService();
  const { accountId, authenticator } = await accountWithPasskey(service);

  const options = await passkeyOptions(service);
  assertEquals(options.rpId, "localhost");
  assertEquals(options.userVerification, "required");
  assertEquals(options.allowCredentials, undefined, "discoverable");
  assertEquals(options.timeout, 5 * 60 * 1000);
  assert(/^[A-Za-z0-9_-]{43}$/.test(options.challenge));

  const response = await signInWithPasskey(service, authenticator);
  assertEquals(response.status, 200);
  const body = await response.json();
  assertEquals(body.status, "authenticated");
  assertEquals(body.amr, ["hwk", "user", "mfa"]);
  const session = await (await service.request("/v1/session", {
    headers: { authorization: `Bearer ${body.accessToken}` },
  })).json();
  assertEquals(session.accountId, accountId);
  assertEquals(session.amr, ["hwk", "user", "mfa"]);
  const events = await eventTypes(service, accountId);
  assertEquals(events.slice(0, 2), ["login_succeeded", "webauthn_used"]);

  const withCookies = await signInWithPasskey(service, authenticator, {
    transport: "cookie",
  });
  assertEquals(withCookies.status, 200);
  const cookieBody = await withCookies.json();
  assertEquals(cookieBody.accessToken, undefined);
  const cookies = withCookies.headers.getSetCookie();
  for (const name of ["__Host-session", "__Host-refresh"]) {
    assert(cookies.some((line) => line.startsWith(`${name}=`)), name);
  }
});

Deno.test("an RS256 passkey (COSE -257) is offered, registered and signs in", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  const { secret, body } = await enrollAndLogIn(service, accountId);
  const token = String(body.accessToken);
  const options = await (await service.request(
    "/v1/devices/webauthn/options",
    authed(token, { totp: freshTotp(service, secret) }),
  )).json();
  assertEquals(
    options.pubKeyCredParams.map((param: { alg: number }) => param.alg),
    [-8, -7, -257],
  );
  const { authenticator, response } = await addPasskey(
    service,
    token,
    secret,
    {},
    await createSoftwareAuthenticator({ algorithm: "RS256" }),
  );
  assertEquals(response.status, 201);
  assertEquals((await signInWithPasskey(service, authenticator)).status, 200);
});

Deno.test("a challenge answers once, within 5 minutes, and only if it was issued", async () => {
  using service = await createTestService();
  const { authenticator } = await accountWithPasskey(service);
  const options = await passkeyOptions(service);
  const assertion = await authenticator.assert(options);
  const answer = () =>
    service.request(
      "/v1/login/passkey",
      json({ response: assertion, transport: "token" }),
    );
  assertEquals((await answer()).status, 200);
  const replayed = await answer();
  assertEquals(replayed.status, 401);
  assertEquals((await replayed.json()).code, "invalid_code");

  const never = await service.request(
    "/v1/login/passkey",
    json({
      response: await authenticator.assert({
        challenge: "A".repeat(43),
      }),
    }),
  );
  assertEquals(never.status, 401);

  const late = await passkeyOptions(service);
  service.clock.advanceSeconds(5 * 60);
  const expired = await service.request(
    "/v1/login/passkey",
    json({ response: await authenticator.assert(late) }),
  );
  assertEquals(expired.status, 401);
  assertEquals((await expired.json()).code, "invalid_code");
});

Deno.test("unanswered challenges expire and the sweep removes them", async () => {
  using service = await createTestService();
  const count = async () =>
    (await Array.fromAsync(
      service.kv.list({ prefix: ["passkey_login_challenges"] }),
    )).length;
  for (let i = 0; i < 5; i++) await passkeyOptions(service);
  assertEquals(await count(), 5);
  await service.sweepCounters();
  assertEquals(await count(), 5, "nothing expired yet");
  service.clock.advanceSeconds(5 * 60);
  await service.sweepCounters();
  assertEquals(await count(), 0);
});

Deno.test("a removed passkey, a missing user verification, a wrong user handle and a forged signature fail plainly", async () => {
  using service = await createTestService();
  const { accountId, secret, token, authenticator } = await accountWithPasskey(
    service,
  );
  const sentBefore = service.sent.length;
  for (
    const ceremony of [
      { userVerified: false },
      { userHandle: null },
      { userHandle: "c29tZWJvZHkgZWxzZQ" },
      { forgedSignature: true },
      { origin: "https://evil.example" },
    ] satisfies CeremonyOptions[]
  ) {
    const response = await signInWithPasskey(service, authenticator, {
      ceremony,
    });
    assertEquals(response.status, 401, JSON.stringify(ceremony));
    assertEquals((await response.json()).code, "invalid_code");
  }
  await service.deps.deliverer.settled();
  assertEquals(
    service.sent.slice(sentBefore).map((message) => message.kind),
    ["account_locked"],
    "the fifth failure locks; no clone alarm, no alert",
  );
  const events = await eventTypes(service, accountId);
  assert(!events.includes("webauthn_counter_regression"));
  assertEquals(events.filter((type) => type === "login_failed").length, 5);
  const stranger = await createSoftwareAuthenticator();
  await stranger.register({ challenge: "x", user: { id: "eA" } });
  assertEquals((await signInWithPasskey(service, stranger)).status, 401);

  const removed = await service.request(
    `/v1/devices/${authenticator.credentialId}`,
    json({ totp: freshTotp(service, secret) }, "DELETE", {
      authorization: `Bearer ${token}`,
    }),
  );
  assertEquals(removed.status, 204);
  const gone = await signInWithPasskey(service, authenticator);
  assertEquals(gone.status, 401);
  assertEquals((await gone.json()).code, "invalid_code");
});

Deno.test("a signature counter that went backwards is a clone alarm", async () => {
  using service = await createTestService();
  const { authenticator } = await accountWithPasskey(service);
  authenticator.counter = 10;
  assertEquals((await signInWithPasskey(service, authenticator)).status, 200);
  authenticator.counter = 5;
  assertEquals((await signInWithPasskey(service, authenticator)).status, 401);
  assertEquals(service.sent.at(-1)!.kind, "webauthn_clone_suspected");
});

Deno.test("a new browser or network gets the new-login alert and a device cookie; a known one does not", async () => {
  using service = await createTestService();
  const { accountId, authenticator } = await accountWithPasskey(service);
  const owner = service.browser.deviceCookie;

  const fresh = await signInWithPasskey(service, authenticator, {
    ip: "203.0.113.50",
  });
  assertEquals(fresh.status, 200);
  const alert = service.sent.at(-1)!;
  assertEquals(alert.kind, "new_login_alert");
  assertEquals(alert.to, accountId);
  assert(alert.text.includes("203.0.113.50"));
  assert(
    fresh.headers.getSetCookie().some((line) =>
      line.startsWith("__Host-device=")
    ),
  );

  const sent = service.sent.length;
  const known = await signInWithPasskey(service, authenticator, {
    cookie: owner,
  });
  assertEquals(known.status, 200);
  await service.deps.deliverer.settled();
  assertEquals(service.sent.length, sent, "no alert for a known browser");
});

Deno.test("a locked account is refused with 423; the owner's recognised browser keeps its own budget", async () => {
  using service = await createTestService();
  const { accountId, authenticator } = await accountWithPasskey(service);
  const owner = service.browser.deviceCookie;
  for (let i = 0; i < 5; i++) {
    await service.request(
      "/v1/login",
      json({
        accountId,
        passcode: "a stranger's wrong guess",
        captcha: await solveCaptcha(service),
      }),
    );
  }
  const locked = await signInWithPasskey(service, authenticator);
  assertEquals(locked.status, 423);
  const problem = await locked.json();
  assertEquals(problem.code, "account_locked");
  assert(locked.headers.get("retry-after"));
  assert(problem.lockedUntil);

  const trusted = await signInWithPasskey(service, authenticator, {
    cookie: owner,
  });
  assertEquals(trusted.status, 200);
});

Deno.test("failed passkey sign-ins count toward the lockout and the per-IP code budget", async () => {
  using service = await createTestService({
    env: { RATE_LIMIT_CODE: "6/60s" },
  });
  const { authenticator } = await accountWithPasskey(service);
  // A network of its own (setting the account up spent codes of the test's), where
  // each try is two requests of the budget: the options and the answer.
  const ip = "203.0.113.77";
  for (let i = 0; i < 2; i++) {
    const failed = await signInWithPasskey(service, authenticator, {
      ceremony: { forgedSignature: true },
      ip,
    });
    assertEquals(failed.status, 401);
    assertEquals(failed.headers.get("ratelimit-policy"), '"code";q=6;w=60');
  }
  assertEquals(
    (await signInWithPasskey(service, authenticator, { ip })).status,
    200,
  );
  const spent = await service.request(
    "/v1/login/passkey/options",
    { method: "POST" },
    ip,
  );
  assertEquals(spent.status, 429);
  assertEquals((await spent.json()).code, "rate_limited");
  assert(spent.headers.get("retry-after"));

  using other = await createTestService();
  const victim = await accountWithPasskey(other);
  for (let i = 0; i < 5; i++) {
    const failed = await signInWithPasskey(other, victim.authenticator, {
      ceremony: { forgedSignature: true },
    });
    assertEquals(failed.status, 401);
  }
  assertEquals(
    (await signInWithPasskey(other, victim.authenticator)).status,
    423,
    "5 failures lock, as at every login step",
  );
});

Deno.test("a passkey sign-in cancels a pending MFA reset", async () => {
  using service = await createTestService();
  const { accountId, authenticator } = await accountWithPasskey(service);
  await (await requestRecovery(service, accountId)).body?.cancel();
  const started = await service.request(
    "/v1/recovery/mfa-reset",
    json({
      accountId,
      code: lastCodeSentTo(service, accountId),
      newPasscode: "amber glacier folds 7 quiet maps",
    }),
  );
  assertEquals(started.status, 202);
  assertEquals((await signInWithPasskey(service, authenticator)).status, 200);
  await service.deps.deliverer.settled();
  assert(
    service.sent.some((message) => message.kind === "mfa_reset_cancelled"),
  );
  assert(
    (await eventTypes(service, accountId)).includes("mfa_reset_cancelled"),
  );
  service.clock.advanceSeconds(48 * 60 * 60);
  assertEquals(await service.sweepMfaResets(), 0, "nothing left to apply");
});
