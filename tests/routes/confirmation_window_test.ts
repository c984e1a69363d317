import { totpCodeAt } from "../../lib/crypto/totp.ts";
import { assert, assertEquals } from "../helpers/assert.ts";
import { accountWithPasskey } from "../helpers/passkeys.ts";
import {
  createTestService,
  eventTypes,
  freshTotp,
  json,
  signedInTwice,
  strongPasscode,
  type TestService,
} from "../helpers/service.ts";

type Headers = { authorization: string };

const confirm = (service: TestService, headers: Headers, body: unknown) =>
  service.request("/v1/session/confirm", json(body, "POST", headers));

const session = async (service: TestService, headers: Headers) =>
  await (await service.request("/v1/session", { headers })).json();

/** Three security changes with no second factor in the body; their statuses. */
async function threeChanges(service: TestService, headers: Headers) {
  const responses = [
    await service.request(
      "/v1/anti-phishing-code",
      json({ code: "Blue-Otter_7" }, "PUT", headers),
    ),
    await service.request(
      "/v1/trading-passcode",
      json({ tradingPasscode: "284915" }, "PUT", headers),
    ),
    await service.request(
      "/v1/mfa/backup-codes",
      json({}, "POST", headers),
    ),
  ];
  return responses.map((response) => response.status);
}

Deno.test("one confirmation opens 5 minutes of changes on this session: three changes without a code", async () => {
  using service = await createTestService();
  const { secret, first } = await signedInTwice(service);
  assertEquals((await session(service, first)).confirmedUntil, null);

  const confirmed = await confirm(service, first, {
    totp: freshTotp(service, secret),
  });
  assertEquals(confirmed.status, 200);
  const { confirmedUntil } = await confirmed.json();
  assertEquals(
    Date.parse(confirmedUntil),
    service.clock.now() + 5 * 60 * 1000,
  );
  assertEquals((await session(service, first)).confirmedUntil, confirmedUntil);

  assertEquals(await threeChanges(service, first), [204, 204, 200]);

  // The current passcode is still asked where a change asks for it.
  const wrong = await service.request(
    "/v1/passcode",
    json(
      {
        currentPasscode: "not my passcode at all",
        newPasscode: "violet harbour lanterns drift 88",
      },
      "PUT",
      first,
    ),
  );
  assertEquals(wrong.status, 400);
  assertEquals((await wrong.json()).code, "invalid_credentials");
  const missing = await service.request(
    "/v1/passcode",
    json({ newPasscode: "violet harbour lanterns drift 88" }, "PUT", first),
  );
  assertEquals(missing.status, 400);
  const changed = await service.request(
    "/v1/passcode",
    json(
      {
        currentPasscode: strongPasscode,
        newPasscode: "violet harbour lanterns drift 88",
      },
      "PUT",
      first,
    ),
  );
  assertEquals(changed.status, 204);
});

Deno.test("the window runs out after 5 minutes; a change then needs a code again", async () => {
  using service = await createTestService();
  const { secret, first } = await signedInTwice(service);
  assertEquals(
    (await confirm(service, first, { totp: freshTotp(service, secret) }))
      .status,
    200,
  );
  service.clock.advanceSeconds(5 * 60);
  assertEquals((await session(service, first)).confirmedUntil, null);
  const refused = await service.request(
    "/v1/anti-phishing-code",
    json({ code: "Blue-Otter_7" }, "PUT", first),
  );
  assertEquals(refused.status, 400);
  assertEquals((await refused.json()).code, "invalid_request");
});

Deno.test("CONFIRMATION_WINDOW_SECONDS sets the window's length", async () => {
  using service = await createTestService({
    env: { CONFIRMATION_WINDOW_SECONDS: "120" },
  });
  const { secret, first } = await signedInTwice(service);
  const confirmed = await confirm(service, first, {
    totp: freshTotp(service, secret),
  });
  assertEquals(
    Date.parse((await confirmed.json()).confirmedUntil),
    service.clock.now() + 120 * 1000,
  );
});

Deno.test("another session of the same account is not confirmed", async () => {
  using service = await createTestService();
  const { secret, first, second } = await signedInTwice(service);
  const code = freshTotp(service, secret);
  assertEquals((await confirm(service, first, { totp: code })).status, 200);
  assertEquals((await session(service, second)).confirmedUntil, null);
  const refused = await service.request(
    "/v1/anti-phishing-code",
    json({ code: "Blue-Otter_7" }, "PUT", second),
  );
  assertEquals(refused.status, 400);
  // The code that opened the window is spent: it confirms nothing else.
  const replayed = await service.request(
    "/v1/anti-phishing-code",
    json({ code: "Blue-Otter_7", totp: code }, "PUT", second),
  );
  assertEquals(replayed.status, 400);
  assertEquals((await replayed.json()).code, "invalid_code");
  assertEquals((await confirm(service, second, { totp: code })).status, 400);
});

Deno.test("the window ends with the session at logout", async () => {
  using service = await createTestService();
  const { secret, first } = await signedInTwice(service);
  assertEquals(
    (await confirm(service, first, { totp: freshTotp(service, secret) }))
      .status,
    200,
  );
  const logout = await service.request("/v1/logout", {
    method: "POST",
    headers: first,
  });
  assertEquals(logout.status, 204);
  const after = await service.request(
    "/v1/anti-phishing-code",
    json({ code: "Blue-Otter_7" }, "PUT", first),
  );
  assertEquals(after.status, 401);
  assertEquals((await session(service, first)).code, "session_revoked");
});

Deno.test("racing confirmations with one TOTP code: exactly one 200", async () => {
  using service = await createTestService();
  const { secret, first, second } = await signedInTwice(service);
  const code = freshTotp(service, secret);
  const responses = await Promise.all(
    [first, second, first, second, first].map((headers) =>
      confirm(service, headers, { totp: code })
    ),
  );
  const statuses = responses.map((response) => response.status);
  assertEquals(statuses.filter((status) => status === 200).length, 1);
  assertEquals(statuses.filter((status) => status === 400).length, 4);
  await Promise.all(responses.map((response) => response.body?.cancel()));
});

Deno.test("wrong factors at confirmation lock it and every security change after 5, also inside an open window", async () => {
  using service = await createTestService();
  const { accountId, secret, first, second } = await signedInTwice(service);
  const right = totpCodeAt(secret, service.clock.now() + 30_000);
  const wrong = right === "000000" ? "111111" : "000000";
  for (let i = 0; i < 5; i++) {
    const refused = await confirm(service, first, { totp: wrong });
    assertEquals(refused.status, 400);
    assertEquals((await refused.json()).code, "invalid_code");
  }
  const locked = await confirm(service, first, {
    totp: freshTotp(service, secret),
  });
  assertEquals(locked.status, 423);
  assertEquals((await locked.json()).code, "account_locked");
  const change = await service.request(
    "/v1/anti-phishing-code",
    json(
      { code: "Blue-Otter_7", totp: freshTotp(service, secret) },
      "PUT",
      second,
    ),
  );
  assertEquals(change.status, 423, "the same lock as security changes");
  const failures = (await eventTypes(service, accountId)).filter((type) =>
    type === "confirmation_failed"
  );
  assertEquals(failures.length, 5);

  // Another account with a window open: wrong current passcodes still count, and
  // changes that prove nothing new do not clear them.
  using later = await createTestService();
  const fresh = await signedInTwice(later);
  assertEquals(
    (await confirm(later, fresh.first, {
      totp: freshTotp(later, fresh.secret),
    })).status,
    200,
  );
  const wrongPasscode = () =>
    later.request(
      "/v1/passcode",
      json(
        {
          currentPasscode: "not my passcode at all",
          newPasscode: "violet harbour lanterns drift 88",
        },
        "PUT",
        fresh.first,
      ),
    );
  for (let i = 0; i < 4; i++) {
    assertEquals((await wrongPasscode()).status, 400);
  }
  assertEquals(
    (await later.request(
      "/v1/anti-phishing-code",
      json({ code: "Blue-Otter_7" }, "PUT", fresh.first),
    )).status,
    204,
  );
  assertEquals((await wrongPasscode()).status, 400);
  const lockedInWindow = await later.request(
    "/v1/anti-phishing-code",
    json({ code: "Green-Fox_8" }, "PUT", fresh.first),
  );
  assertEquals(lockedInWindow.status, 423);
});

Deno.test("a backup code or a passkey confirms too, once", async () => {
  using service = await createTestService();
  const { secret, token, authenticator, accountId } = await accountWithPasskey(
    service,
  );
  const headers = { authorization: `Bearer ${token}` };
  const codes = await (await service.request(
    "/v1/mfa/backup-codes",
    json({ totp: freshTotp(service, secret) }, "POST", headers),
  )).json();
  const backupCode = codes.backupCodes[0];
  assertEquals(
    (await confirm(service, headers, { backupCode })).status,
    200,
  );
  assertEquals(
    (await confirm(service, headers, { backupCode })).status,
    400,
    "spent",
  );

  const options = await (await service.request(
    "/v1/session/confirm/options",
    json({}, "POST", headers),
  )).json();
  assertEquals(
    options.allowCredentials.map((c: { id: string }) => c.id),
    [authenticator.credentialId],
  );
  const webauthn = await authenticator.assert(options);
  const confirmed = await confirm(service, headers, { webauthn });
  assertEquals(confirmed.status, 200);
  assert((await confirmed.json()).confirmedUntil);
  const replayed = await confirm(service, headers, { webauthn });
  assertEquals(replayed.status, 409, "the challenge answers once");
  assertEquals((await replayed.json()).code, "conflict");

  const noUv = await authenticator.assert(
    await (await service.request(
      "/v1/session/confirm/options",
      json({}, "POST", headers),
    )).json(),
    { userVerified: false },
  );
  assertEquals(
    (await confirm(service, headers, { webauthn: noUv })).status,
    400,
  );
  assert(
    (await eventTypes(service, accountId)).includes("confirmation_failed"),
  );
});

Deno.test("confirmation takes exactly one factor; passkey options need a passkey", async () => {
  using service = await createTestService();
  const { secret, first } = await signedInTwice(service);
  for (
    const body of [{}, {
      totp: freshTotp(service, secret),
      backupCode: "k7m2-q9xa-3h4p",
    }]
  ) {
    const refused = await confirm(service, first, body);
    assertEquals(refused.status, 400, JSON.stringify(body));
    assertEquals((await refused.json()).code, "invalid_request");
  }
  const options = await service.request(
    "/v1/session/confirm/options",
    json({}, "POST", first),
  );
  assertEquals(options.status, 409);
  const anonymous = await service.request(
    "/v1/session/confirm",
    json({ totp: "123456" }),
  );
  assertEquals(anonymous.status, 401);
});
