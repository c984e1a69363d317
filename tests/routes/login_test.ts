import { base64url, createLocalJWKSet, jwtVerify, SignJWT } from "jose";
import {
  beginCompletion,
  commitLogin,
} from "../../lib/login/login_completion.ts";
import { totpCodeAt } from "../../lib/crypto/totp.ts";
import { assert, assertEquals } from "../helpers/assert.ts";
import {
  createTestService,
  enrollAndLogIn,
  json,
  passcodeStep,
  registerAccount,
  solveCaptcha,
  strongPasscode,
  type TestService,
} from "../helpers/service.ts";

const bearer = (token: string) => ({
  headers: { authorization: `Bearer ${token}` },
});

/** Moves the clock to the next TOTP step, so a fresh code is not a replay. */
function nextStep(service: TestService) {
  service.clock.advanceSeconds(30);
}

Deno.test("first login enrolls TOTP, returns backup codes once, and the JWT verifies with the JWKS", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  const ticket = await passcodeStep(service, accountId);
  assertEquals(ticket.requires, ["mfa_enrollment"]);
  assertEquals(ticket.methods, []);

  const enrollResponse = await service.request(
    "/v1/login/totp/enroll",
    json({ ticket: ticket.ticket }),
  );
  assertEquals(enrollResponse.status, 200);
  const enrollment = await enrollResponse.json();
  assert(/^[A-Z2-7]{32}$/.test(enrollment.secret), "160-bit base32 secret");
  assert(enrollment.otpauthUri.startsWith("otpauth://totp/"));
  assert(enrollment.otpauthUri.includes(`secret=${enrollment.secret}`));
  assert(enrollment.qrSvg.startsWith("<svg"));

  const response = await service.request(
    "/v1/login/totp",
    json({
      ticket: ticket.ticket,
      code: totpCodeAt(enrollment.secret, service.clock.now()),
      transport: "token",
    }),
  );
  assertEquals(response.status, 200);
  const body = await response.json();
  assertEquals(body.status, "authenticated");
  assertEquals(body.amr, ["pwd", "otp", "mfa"]);
  assertEquals(body.backupCodes.length, 10);
  assertEquals(new Set(body.backupCodes).size, 10);
  assertEquals(response.headers.get("set-cookie"), null);

  const jwks = createLocalJWKSet(
    await (await service.request("/.well-known/jwks.json")).json(),
  );
  const { payload, protectedHeader } = await jwtVerify(body.accessToken, jwks, {
    issuer: "http://localhost:8000",
    audience: "http://localhost:8000/v1",
    currentDate: new Date(service.clock.now()),
  });
  assertEquals(protectedHeader.alg, "EdDSA");
  assertEquals(payload.sid, body.session.id);
  assertEquals(payload.exp! - payload.iat!, 15 * 60);
  assertEquals(payload.amr, ["pwd", "otp", "mfa"]);

  const session = await service.request(
    "/v1/session",
    bearer(body.accessToken),
  );
  assertEquals(session.status, 200);
  const sessionBody = await session.json();
  assertEquals(sessionBody.accountId, accountId);
  assertEquals(sessionBody.sessionId, body.session.id);

  const mfa = await (await service.request("/v1/mfa", bearer(body.accessToken)))
    .json();
  assertEquals(mfa.totp.enabled, true);
  assertEquals(mfa.backupCodesRemaining, 10);

  // The ticket is spent.
  nextStep(service);
  const again = await service.request(
    "/v1/login/totp",
    json({
      ticket: ticket.ticket,
      code: totpCodeAt(enrollment.secret, service.clock.now()),
    }),
  );
  assertEquals(again.status, 401);
  assertEquals((await again.json()).code, "invalid_ticket");
});

Deno.test("later logins require the TOTP code; the same code is refused afterwards", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  const { secret } = await enrollAndLogIn(service, accountId);

  const ticket = await passcodeStep(service, accountId);
  assertEquals(ticket.requires, ["mfa"]);
  assertEquals(ticket.methods, ["totp", "backup_code"]);
  const usedCode = totpCodeAt(secret, service.clock.now());
  const replay = await service.request(
    "/v1/login/totp",
    json({ ticket: ticket.ticket, code: usedCode }),
  );
  assertEquals(replay.status, 401);
  assertEquals((await replay.json()).code, "invalid_code");

  nextStep(service);
  const fresh = await service.request(
    "/v1/login/totp",
    json({
      ticket: ticket.ticket,
      code: totpCodeAt(secret, service.clock.now()),
    }),
  );
  assertEquals(fresh.status, 200);
  const cookies = fresh.headers.getSetCookie();
  assert(cookies.some((cookie) => cookie.startsWith("__Host-session=")));
  assert(cookies.some((cookie) => cookie.startsWith("__Host-refresh=")));
  for (const cookie of cookies) {
    for (const attribute of ["HttpOnly", "Secure", "SameSite=Lax", "Path=/"]) {
      assert(cookie.includes(attribute), `${cookie} lacks ${attribute}`);
    }
  }
});

Deno.test("TOTP accepts one step of drift either side, not two", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  const { secret } = await enrollAndLogIn(service, accountId);
  for (
    const [offsetSeconds, accepted] of [
      [-60, false],
      [60, false],
      [-30, true],
      [30, true],
    ] as const
  ) {
    service.clock.advanceSeconds(120);
    const ticket = await passcodeStep(service, accountId);
    const code = totpCodeAt(secret, service.clock.now() + offsetSeconds * 1000);
    const response = await service.request(
      "/v1/login/totp",
      json({ ticket: ticket.ticket, code }),
    );
    assertEquals(
      response.status,
      accepted ? 200 : 401,
      `offset ${offsetSeconds}`,
    );
  }
});

Deno.test("the same TOTP code on two racing tickets gives exactly one session", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  const { secret } = await enrollAndLogIn(service, accountId);
  nextStep(service);
  const tickets = await Promise.all(
    Array.from({ length: 4 }, () => passcodeStep(service, accountId)),
  );
  const code = totpCodeAt(secret, service.clock.now());
  const responses = await Promise.all(
    tickets.map((ticket) =>
      service.request("/v1/login/totp", json({ ticket: ticket.ticket, code }))
    ),
  );
  assertEquals(responses.map((response) => response.status).sort(), [
    200,
    401,
    401,
    401,
  ]);
});

Deno.test("wrong and unknown credentials give the same 401 body", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  const attempt = async (id: string, passcode: string) => {
    const response = await service.request(
      "/v1/login",
      json({ accountId: id, passcode, captcha: await solveCaptcha(service) }),
    );
    assertEquals(response.status, 401);
    return await response.json();
  };
  const wrong = await attempt(accountId, "not the right passcode at all");
  const unknown = await attempt("nobody@example.com", strongPasscode);
  const malformed = await attempt("not-an-account-id", strongPasscode);
  assertEquals(wrong, unknown);
  assertEquals(wrong, malformed);
  assertEquals(wrong.code, "invalid_credentials");
});

Deno.test("a ticket dies after 5 minutes and after 5 wrong codes", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  const { secret } = await enrollAndLogIn(service, accountId);

  const stale = await passcodeStep(service, accountId);
  service.clock.advanceSeconds(5 * 60);
  const late = await service.request(
    "/v1/login/totp",
    json({
      ticket: stale.ticket,
      code: totpCodeAt(secret, service.clock.now()),
    }),
  );
  assertEquals((await late.json()).code, "invalid_ticket");

  const ticket = await passcodeStep(service, accountId);
  const right = totpCodeAt(secret, service.clock.now());
  const wrong = right === "000000" ? "111111" : "000000";
  for (let i = 0; i < 5; i++) {
    const response = await service.request(
      "/v1/login/totp",
      json({ ticket: ticket.ticket, code: wrong }),
    );
    assertEquals((await response.json()).code, "invalid_code");
  }
  const dead = await service.request(
    "/v1/login/totp",
    json({ ticket: ticket.ticket, code: right }),
  );
  assertEquals(dead.status, 401);
  assertEquals((await dead.json()).code, "invalid_ticket");
});

const newPasscode = "a completely different passcode 77?";

/** The owner changes the passcode from a session, with the next step's TOTP code. */
function changePasscode(
  service: TestService,
  secret: string,
  accessToken: string,
) {
  nextStep(service);
  return service.request(
    "/v1/passcode",
    json(
      {
        currentPasscode: strongPasscode,
        newPasscode,
        totp: totpCodeAt(secret, service.clock.now()),
      },
      "PUT",
      { authorization: `Bearer ${accessToken}` },
    ),
  );
}

/** Presents the next step's TOTP code for a ticket. */
function presentTotp(service: TestService, ticket: string, secret: string) {
  nextStep(service);
  return service.request(
    "/v1/login/totp",
    json({ ticket, code: totpCodeAt(secret, service.clock.now()) }),
  );
}

Deno.test("a ticket begun before the passcode changed cannot complete", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  const { secret, body } = await enrollAndLogIn(service, accountId);
  // A login that got past the passcode step, waiting for its second factor...
  const stale = await passcodeStep(service, accountId);
  // ...when the owner changes the passcode from their session.
  assertEquals(
    (await changePasscode(service, secret, String(body.accessToken))).status,
    204,
  );
  // Refused however often it is tried, and never counted as a failed sign-in.
  for (let i = 0; i < 5; i++) {
    const refused = await presentTotp(service, stale.ticket, secret);
    assertEquals(refused.status, 401);
    assertEquals((await refused.json()).code, "invalid_ticket");
  }
  // A login with the new passcode completes: the account is not locked.
  const fresh = await passcodeStep(service, accountId, undefined, newPasscode);
  assertEquals((await presentTotp(service, fresh.ticket, secret)).status, 200);
});

Deno.test("a passcode change landing inside a login's commit ends that login", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  const { secret, body } = await enrollAndLogIn(service, accountId);
  const { ticket } = await passcodeStep(service, accountId);
  // The change commits between the completion's read of the account and its commit.
  const origin = { ip: "192.0.2.1", userAgent: "test" };
  const pending = await beginCompletion(service.deps, ticket, origin, ["pwd"]);
  let changed: Response | undefined;
  const completion = await commitLogin(
    service.deps,
    pending,
    origin,
    [],
    async () => {
      changed ??= await changePasscode(
        service,
        secret,
        String(body.accessToken),
      );
    },
  ).then(() => "committed", (error) => error.code);
  assertEquals(changed?.status, 204);
  assertEquals(completion, "invalid_ticket");
  const session = await service.request(
    "/v1/session",
    bearer(pending.completed.accessToken),
  );
  assertEquals(session.status, 401);
});

Deno.test("a backup code logs in once, even when raced 10 times", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  const { backupCodes } = await enrollAndLogIn(service, accountId);
  const tickets = [];
  for (let i = 0; i < 10; i++) {
    tickets.push(await passcodeStep(service, accountId));
  }
  const responses = await Promise.all(
    tickets.map((ticket) =>
      service.request(
        "/v1/login/backup-code",
        json({
          ticket: ticket.ticket,
          code: backupCodes[0].toUpperCase(),
          transport: "token",
        }),
      )
    ),
  );
  const ok = responses.filter((response) => response.status === 200);
  assertEquals(ok.length, 1);
  assertEquals((await ok[0].json()).backupCodesRemaining, 9);
  // The rest lost the race (401) or found the lockout budget in use (423).
  for (const response of responses) {
    assert([200, 401, 423].includes(response.status), String(response.status));
  }
});

Deno.test("regenerating backup codes needs a TOTP code and kills the old ones", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  const { secret, backupCodes, body } = await enrollAndLogIn(
    service,
    accountId,
  );
  const token = body.accessToken as string;
  const refused = await service.request(
    "/v1/mfa/backup-codes",
    json({ totp: "000000" }, "POST", { authorization: `Bearer ${token}` }),
  );
  assertEquals(refused.status, 400);
  nextStep(service);
  const response = await service.request("/v1/mfa/backup-codes", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({ totp: totpCodeAt(secret, service.clock.now()) }),
  });
  assertEquals(response.status, 200);
  const fresh = (await response.json()).backupCodes;
  assertEquals(fresh.length, 10);
  const ticket = await passcodeStep(service, accountId);
  const old = await service.request(
    "/v1/login/backup-code",
    json({ ticket: ticket.ticket, code: backupCodes[1] }),
  );
  assertEquals(old.status, 401);
  const current = await service.request(
    "/v1/login/backup-code",
    json({ ticket: ticket.ticket, code: fresh[0] }),
  );
  assertEquals(current.status, 200);
});

Deno.test("forged, expired, alg:none, HS256, unknown-kid and wrong-aud tokens are refused", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  const { body } = await enrollAndLogIn(service, accountId);
  const token = body.accessToken as string;
  const [header, payload, signature] = token.split(".");
  const claims = JSON.parse(
    new TextDecoder().decode(base64url.decode(payload)),
  );
  const encode = (value: unknown) => base64url.encode(JSON.stringify(value));
  const jwk =
    (await (await service.request("/.well-known/jwks.json")).json()).keys[0];

  const tampered = `${header}.${
    encode({ ...claims, sub: "someone-else" })
  }.${signature}`;
  const none = `${encode({ alg: "none", typ: "JWT" })}.${payload}.`;
  const hs256 = await new SignJWT(claims)
    .setProtectedHeader({ alg: "HS256", kid: jwk.kid })
    .sign(new TextEncoder().encode(JSON.stringify(jwk)));
  const unknownKid = `${
    encode({
      ...JSON.parse(new TextDecoder().decode(base64url.decode(header))),
      kid: "nope",
    })
  }.${payload}.${signature}`;
  const wrongAud = `${header}.${
    encode({ ...claims, aud: "https://other.example" })
  }.${signature}`;
  for (const bad of [tampered, none, hs256, unknownKid, wrongAud, "garbage"]) {
    const response = await service.request("/v1/session", bearer(bad));
    assertEquals(response.status, 401, bad);
    assertEquals((await response.json()).code, "unauthenticated");
  }
  service.clock.advanceSeconds(15 * 60);
  const expired = await service.request("/v1/session", bearer(token));
  assertEquals(expired.status, 401);
});

Deno.test("refresh rotates tokens; reusing a spent refresh token revokes the session", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  const { body } = await enrollAndLogIn(service, accountId);
  const first = body.refreshToken as string;
  const rotated = await service.request(
    "/v1/session/refresh",
    json({ refreshToken: first }),
  );
  assertEquals(rotated.status, 200);
  const next = await rotated.json();
  assert(next.refreshToken !== first && typeof next.accessToken === "string");
  assertEquals(
    (await service.request("/v1/session", bearer(next.accessToken))).status,
    200,
  );

  const reuse = await service.request(
    "/v1/session/refresh",
    json({ refreshToken: first }),
  );
  assertEquals(reuse.status, 401);
  assertEquals((await reuse.json()).code, "session_revoked");
  const after = await service.request("/v1/session", bearer(next.accessToken));
  assertEquals(after.status, 401);
  assertEquals((await after.json()).code, "session_revoked");
  const thief = await service.request(
    "/v1/session/refresh",
    json({ refreshToken: next.refreshToken }),
  );
  assertEquals(thief.status, 401);
  const events = await Array.fromAsync(
    service.kv.list<{ type: string }>({ prefix: ["security_events"] }),
  );
  assert(events.some((event) => event.value.type === "refresh_reuse_detected"));
});

Deno.test("a session ends after 30 idle minutes, on check and on refresh", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  const { body } = await enrollAndLogIn(service, accountId);
  service.clock.advanceSeconds(29 * 60);
  assertEquals(
    (await service.request("/v1/session", bearer(body.accessToken as string)))
      .status,
    401,
    "the 15-minute JWT is gone by now",
  );
  const kept = await service.request(
    "/v1/session/refresh",
    json({ refreshToken: body.refreshToken }),
  );
  assertEquals(kept.status, 200, "29 minutes idle is still within the bound");
  const next = await kept.json();
  service.clock.advanceSeconds(30 * 60);
  const idle = await service.request(
    "/v1/session/refresh",
    json({ refreshToken: next.refreshToken }),
  );
  assertEquals(idle.status, 401);
});

Deno.test("a session ends 12 hours after login however active it is", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  const { body } = await enrollAndLogIn(service, accountId);
  let refreshToken = body.refreshToken as string;
  let accessToken = body.accessToken as string;
  for (
    let elapsedMinutes = 0;
    elapsedMinutes < 12 * 60 - 10;
    elapsedMinutes += 10
  ) {
    service.clock.advanceSeconds(10 * 60);
    const response = await service.request(
      "/v1/session/refresh",
      json({ refreshToken }),
    );
    assertEquals(
      response.status,
      200,
      `refresh at ${elapsedMinutes + 10} minutes`,
    );
    ({ refreshToken, accessToken } = await response.json());
  }
  assertEquals(
    (await service.request("/v1/session", bearer(accessToken))).status,
    200,
  );
  service.clock.advanceSeconds(10 * 60);
  assertEquals(
    (await service.request("/v1/session", bearer(accessToken))).status,
    401,
  );
  const late = await service.request(
    "/v1/session/refresh",
    json({ refreshToken }),
  );
  assertEquals(late.status, 401);
});

Deno.test("sessions can be listed and revoked; logout ends the current one", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  const { secret, body: first } = await enrollAndLogIn(service, accountId, {
    ip: "203.0.113.1",
  });
  const login = async (ip: string) => {
    nextStep(service);
    const ticket = await passcodeStep(service, accountId, ip);
    const response = await service.request(
      "/v1/login/totp",
      json({
        ticket: ticket.ticket,
        code: totpCodeAt(secret, service.clock.now()),
        transport: "token",
      }),
      ip,
    );
    return await response.json();
  };
  const second = await login("203.0.113.2");
  const third = await login("203.0.113.3");
  const token = first.accessToken as string;
  const listed = await (await service.request("/v1/sessions", bearer(token)))
    .json();
  assertEquals(listed.length, 3);
  assertEquals(
    listed.filter((session: { current: boolean }) => session.current).length,
    1,
  );
  assertEquals(
    new Set(listed.map((session: { ip: string }) => session.ip)),
    new Set(["203.0.113.1", "203.0.113.2", "203.0.113.3"]),
  );

  const revoke = await service.request(`/v1/sessions/${second.session.id}`, {
    method: "DELETE",
    ...bearer(token),
  });
  assertEquals(revoke.status, 204);
  assertEquals(
    (await service.request("/v1/session", bearer(second.accessToken))).status,
    401,
  );
  const foreign = await service.request("/v1/sessions/not-a-session", {
    method: "DELETE",
    ...bearer(token),
  });
  assertEquals(foreign.status, 404);

  const others = await service.request("/v1/sessions", {
    method: "DELETE",
    ...bearer(token),
  });
  assertEquals(others.status, 204);
  assertEquals(
    (await service.request("/v1/session", bearer(third.accessToken))).status,
    401,
  );
  assertEquals(
    (await service.request("/v1/session", bearer(token))).status,
    200,
  );

  const logout = await service.request("/v1/logout", {
    method: "POST",
    ...bearer(token),
  });
  assertEquals(logout.status, 204);
  assertEquals(
    (await service.request("/v1/session", bearer(token))).status,
    401,
  );
});

Deno.test("a cross-origin cookie write is refused and changes nothing; same-origin works", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  const { response } = await enrollAndLogIn(service, accountId, {
    transport: "cookie",
  });
  const cookie = response.headers.getSetCookie().map((line) =>
    line.split(";")[0]
  ).join("; ");
  const evil = await service.request("/v1/logout", {
    method: "POST",
    headers: {
      cookie,
      origin: "https://evil.example",
      "content-type": "text/plain",
    },
  });
  assertEquals(evil.status, 403);
  assertEquals((await evil.json()).code, "csrf_rejected");
  const noOrigin = await service.request("/v1/sessions", {
    method: "DELETE",
    headers: { cookie },
  });
  assertEquals(noOrigin.status, 403);
  assertEquals(
    (await service.request("/v1/session", { headers: { cookie } })).status,
    200,
  );

  const same = await service.request("/v1/logout", {
    method: "POST",
    headers: { cookie, origin: "http://localhost:8000" },
  });
  assertEquals(same.status, 204);
  assertEquals(
    (await service.request("/v1/session", { headers: { cookie } })).status,
    401,
  );
});

Deno.test("the TOTP secret is stored only encrypted: a copy of KV holds no seed", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  const { secret, backupCodes } = await enrollAndLogIn(service, accountId);
  const everything = JSON.stringify(
    await Array.fromAsync(
      service.kv.list({ prefix: [] }),
      (entry) => [entry.key, entry.value],
    ),
  );
  assert(!everything.includes(secret), "the base32 seed is in KV");
  for (const code of backupCodes) {
    assert(!everything.includes(code), "a backup code is in KV");
  }
});

Deno.test("security events record logins, failures, enrollment and revocations with IP and user agent", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  const headers = { "user-agent": "TestBrowser/1.0" };
  await service.request(
    "/v1/login",
    {
      ...json({
        accountId,
        passcode: "wrong wrong wrong 1",
        captcha: await solveCaptcha(service),
      }),
      headers: { ...headers, "content-type": "application/json" },
    },
    "203.0.113.50",
  );
  const { body } = await enrollAndLogIn(service, accountId, {
    ip: "203.0.113.51",
  });
  await service.request("/v1/logout", {
    method: "POST",
    ...bearer(body.accessToken as string),
  });
  const events = await Array.fromAsync(
    service.kv.list<
      { type: string; ip: string | null; userAgent: string | null }
    >({ prefix: ["security_events"] }),
    (entry) => entry.value,
  );
  assertEquals(events.map((event) => event.type), [
    "account_created",
    "login_failed",
    "mfa_enrolled",
    "login_succeeded",
    "session_revoked",
  ]);
  const failed = events[1];
  assertEquals([failed.ip, failed.userAgent], [
    "203.0.113.50",
    "TestBrowser/1.0",
  ]);
  assertEquals(events[3].ip, "203.0.113.51");
});

Deno.test("an unknown account costs one passcode verification, like a known one", async () => {
  let verifications = 0;
  const { createPasscodeHasher } = await import(
    "../../lib/crypto/passcode_hash.ts"
  );
  const { wasmArgon2idEngine } = await import("../../lib/crypto/argon2id.ts");
  const { cryptoRandom } = await import("../../lib/runtime/random.ts");
  const real = createPasscodeHasher({
    engine: wasmArgon2idEngine,
    random: cryptoRandom,
  });
  using service = await createTestService({
    overrides: {
      hasher: {
        hash: real.hash,
        verify: (phc, passcode) => {
          verifications++;
          return real.verify(phc, passcode);
        },
      },
    },
  });
  const accountId = await registerAccount(service);
  for (const id of [accountId, "stranger@example.com"]) {
    verifications = 0;
    await service.request(
      "/v1/login",
      json({
        accountId: id,
        passcode: "some wrong passcode 1",
        captcha: await solveCaptcha(service),
      }),
    );
    assertEquals(verifications, 1, id);
  }
});

Deno.test("JWT_ALG=ES256 signs with P-256 and publishes it", async () => {
  const { generateSecrets } = await import("../../lib/crypto/keyring.ts");
  const { cryptoRandom } = await import("../../lib/runtime/random.ts");
  using service = await createTestService({
    env: { JWT_ALG: "ES256" },
    overrides: { secrets: await generateSecrets("ES256", cryptoRandom) },
  });
  const accountId = await registerAccount(service);
  const { body } = await enrollAndLogIn(service, accountId);
  const jwks = await (await service.request("/.well-known/jwks.json")).json();
  assertEquals(jwks.keys[0].alg, "ES256");
  assertEquals(jwks.keys[0].crv, "P-256");
  await jwtVerify(body.accessToken as string, createLocalJWKSet(jwks), {
    currentDate: new Date(service.clock.now()),
  });
  assertEquals(
    (await service.request("/v1/session", bearer(body.accessToken as string)))
      .status,
    200,
  );
});

Deno.test("a token already verified (and cached) is refused at once when its session is revoked", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  const { body } = await enrollAndLogIn(service, accountId);
  const token = body.accessToken as string;
  for (let i = 0; i < 3; i++) {
    const ok = await service.request("/v1/session", bearer(token));
    assertEquals(ok.status, 200);
    await ok.body?.cancel();
  }
  assertEquals(service.deps.verifiedTokens.size, 1);
  const logout = await service.request("/v1/logout", {
    method: "POST",
    ...bearer(token),
  });
  assertEquals(logout.status, 204);
  const after = await service.request("/v1/session", bearer(token));
  assertEquals(after.status, 401);
  assertEquals((await after.json()).code, "session_revoked");
});
