import { createLocalJWKSet, jwtVerify } from "jose";
import { totpCodeAt } from "../../lib/crypto/totp.ts";
import { assert, assertEquals } from "../helpers/assert.ts";
import { utcMinute } from "../../lib/messages/messages.ts";
import {
  createTestService,
  enrollAndLogIn,
  eventTypes,
  json,
  registerAccount,
  signInAgain,
  type TestService,
} from "../helpers/service.ts";

/** A signed-in account with trading passcode 284915. */
async function tradingAccount(service: TestService) {
  const accountId = await registerAccount(service);
  const { secret, body } = await enrollAndLogIn(service, accountId);
  const headers = { authorization: `Bearer ${body.accessToken}` };
  service.clock.advanceSeconds(30);
  const set = await service.request(
    "/v1/trading-passcode",
    json(
      {
        tradingPasscode: "284915",
        totp: totpCodeAt(secret, service.clock.now()),
      },
      "PUT",
      headers,
    ),
  );
  assertEquals(set.status, 204);
  return { accountId, secret, headers };
}

const stepUp = (
  service: TestService,
  headers: Record<string, string>,
  action: string,
  tradingPasscode = "284915",
) =>
  service.request(
    "/v1/step-up",
    json({ tradingPasscode, action }, "POST", headers),
  );

Deno.test("the trading passcode buys a 5-minute action token, verifiable with the JWKS, redeemed once", async () => {
  using service = await createTestService();
  const { accountId, headers } = await tradingAccount(service);
  const response = await stepUp(service, headers, "api_key.create");
  assertEquals(response.status, 200);
  const { actionToken, expiresIn } = await response.json();
  assertEquals(expiresIn, 300);
  const jwks = createLocalJWKSet(
    await (await service.request("/.well-known/jwks.json")).json(),
  );
  const { payload } = await jwtVerify(actionToken, jwks, {
    audience: "http://localhost:8000/actions",
    currentDate: new Date(service.clock.now()),
  });
  assertEquals(payload.act, "api_key.create");
  assert(
    typeof payload.jti === "string" && payload.exp! - payload.iat! === 300,
  );

  const first = await service.request(
    "/v1/step-up/consume",
    json({ actionToken }),
  );
  assertEquals(first.status, 200);
  assertEquals(await first.json(), { action: "api_key.create", accountId });
  const second = await service.request(
    "/v1/step-up/consume",
    json({ actionToken }),
  );
  assertEquals(second.status, 409);
  assertEquals((await second.json()).code, "token_used");
  // An action token is no session token, and the reverse.
  assertEquals(
    (await service.request("/v1/session", {
      headers: { authorization: `Bearer ${actionToken}` },
    })).status,
    401,
  );
  const sessionToken = headers.authorization.slice(7);
  assertEquals(
    (await service.request(
      "/v1/step-up/consume",
      json({ actionToken: sessionToken }),
    )).status,
    401,
  );
});

Deno.test("one action token consumed by 10 racing requests succeeds once", async () => {
  using service = await createTestService();
  const { headers } = await tradingAccount(service);
  const { actionToken } = await (await stepUp(service, headers, "trade"))
    .json();
  const responses = await Promise.all(
    Array.from(
      { length: 10 },
      () => service.request("/v1/step-up/consume", json({ actionToken })),
    ),
  );
  assertEquals(responses.map((r) => r.status).sort(), [
    200,
    ...Array(9).fill(409),
  ]);
});

Deno.test("racing redemptions succeed once while the session's last-seen is rewritten", async () => {
  using service = await createTestService();
  const { headers } = await tradingAccount(service);
  const { actionToken } = await (await stepUp(service, headers, "trade"))
    .json();
  // Past the last-seen resolution, every session check tries to rewrite the record a
  // redemption is checked against.
  service.clock.advanceSeconds(61);
  const responses = await Promise.all([
    ...Array.from(
      { length: 10 },
      () => service.request("/v1/step-up/consume", json({ actionToken })),
    ),
    ...Array.from(
      { length: 5 },
      () => service.request("/v1/session", { headers }),
    ),
  ]);
  assertEquals(responses.slice(0, 10).map((r) => r.status).sort(), [
    200,
    ...Array(9).fill(409),
  ]);
  assertEquals(responses.slice(10).map((r) => r.status), Array(5).fill(200));
});

Deno.test("an expired action token is refused", async () => {
  using service = await createTestService();
  const { headers } = await tradingAccount(service);
  const { actionToken } = await (await stepUp(service, headers, "trade"))
    .json();
  service.clock.advanceSeconds(5 * 60);
  assertEquals(
    (await service.request("/v1/step-up/consume", json({ actionToken })))
      .status,
    401,
  );
});

Deno.test("5 wrong trading passcodes lock step-up (not login) for 2 hours", async () => {
  using service = await createTestService();
  const { accountId, secret, headers } = await tradingAccount(service);
  for (let i = 0; i < 5; i++) {
    const wrong = await stepUp(service, headers, "trade", "503872");
    assertEquals(wrong.status, 401);
    assertEquals((await wrong.json()).code, "invalid_code");
  }
  const locked = await stepUp(service, headers, "trade");
  assertEquals(locked.status, 423);
  assertEquals((await locked.json()).code, "step_up_locked");
  assertEquals(locked.headers.get("retry-after"), String(2 * 60 * 60));
  // The fifth wrong one told the owner, once, with the lock's end.
  const notices = service.sent.filter((message) =>
    message.kind === "step_up_locked"
  );
  assertEquals(notices.length, 1);
  assertEquals(notices[0].to, accountId);
  assert(
    notices[0].text.includes(
      utcMinute(service.clock.now() + 2 * 60 * 60 * 1000, "up"),
    ),
  );
  assertEquals(
    (await eventTypes(service, accountId)).filter((type) =>
      type.startsWith("step_up")
    ),
    ["step_up_locked", ...Array(5).fill("step_up_failed")],
  );
  // Login is not locked: a new session still gets the same 423 from step-up.
  const again = await signInAgain(service, accountId, secret);
  assertEquals((await stepUp(service, again, "trade")).status, 423);
  service.clock.advanceSeconds(2 * 60 * 60);
  const later = await signInAgain(service, accountId, secret);
  assertEquals((await stepUp(service, later, "trade")).status, 200);
});

Deno.test("after an MFA change withdrawals are held for 24 hours, trades are not", async () => {
  using service = await createTestService();
  const { accountId, secret, headers } = await tradingAccount(service);
  assertEquals((await stepUp(service, headers, "withdrawal")).status, 200);
  service.clock.advanceSeconds(30);
  const regenerated = await service.request(
    "/v1/mfa/backup-codes",
    json({ totp: totpCodeAt(secret, service.clock.now()) }, "POST", headers),
  );
  assertEquals(regenerated.status, 200);
  const held = await stepUp(service, headers, "withdrawal");
  assertEquals(held.status, 403);
  assertEquals((await held.json()).code, "security_hold");
  assertEquals(held.headers.get("retry-after"), String(24 * 60 * 60));
  assertEquals((await stepUp(service, headers, "trade")).status, 200);
  service.clock.advanceSeconds(24 * 60 * 60);
  const later = await signInAgain(service, accountId, secret);
  assertEquals((await stepUp(service, later, "withdrawal")).status, 200);
});

Deno.test("an action token is not redeemed once the session that asked for it has ended", async () => {
  using service = await createTestService();
  const { accountId, secret, headers } = await tradingAccount(service);
  const { actionToken } = await (await stepUp(service, headers, "trade"))
    .json();
  const other = await signInAgain(service, accountId, secret);
  const { actionToken: othersToken } =
    await (await stepUp(service, other, "trade")).json();
  const logout = await service.request("/v1/logout", {
    method: "POST",
    headers,
  });
  assertEquals(logout.status, 204);
  for (let i = 0; i < 2; i++) {
    const refused = await service.request(
      "/v1/step-up/consume",
      json({ actionToken }),
    );
    // Refused, not spent: the second try gets the same answer, not token_used.
    assertEquals(refused.status, 401);
    assertEquals((await refused.json()).code, "unauthenticated");
  }
  const redeemed = await service.request(
    "/v1/step-up/consume",
    json({ actionToken: othersToken }),
  );
  assertEquals(redeemed.status, 200);
});

Deno.test("a withdrawal token taken before a security change is refused once withdrawals are held", async () => {
  using service = await createTestService();
  const { secret, headers } = await tradingAccount(service);
  const { actionToken: withdrawal } =
    await (await stepUp(service, headers, "withdrawal")).json();
  const { actionToken: trade } = await (await stepUp(service, headers, "trade"))
    .json();
  service.clock.advanceSeconds(30);
  const regenerated = await service.request(
    "/v1/mfa/backup-codes",
    json({ totp: totpCodeAt(secret, service.clock.now()) }, "POST", headers),
  );
  assertEquals(regenerated.status, 200);
  const held = await service.request(
    "/v1/step-up/consume",
    json({ actionToken: withdrawal }),
  );
  assertEquals(held.status, 403);
  const problem = await held.json();
  assertEquals(problem.code, "security_hold");
  assertEquals(
    problem.holdUntil,
    new Date(service.clock.now() + 24 * 60 * 60 * 1000).toISOString(),
  );
  assertEquals(held.headers.get("retry-after"), String(24 * 60 * 60));
  // The hold is for withdrawals: a trade token of the same moment still redeems.
  const traded = await service.request(
    "/v1/step-up/consume",
    json({ actionToken: trade }),
  );
  assertEquals(traded.status, 200);
  assertEquals((await traded.json()).action, "trade");
});
