/** "This wasn't me": the freeze link of a message (API.md, Freeze). */
import { totpCodeAt } from "../../lib/crypto/totp.ts";
import { assert, assertEquals } from "../helpers/assert.ts";
import {
  freeze,
  freezeTokenOf,
  recoveryCode,
  signedInAccount,
} from "../helpers/brakes.ts";
import {
  createTestService,
  eventTypes,
  json,
  lastCodeSentTo,
  passcodeStep,
  passcodeVerdict,
  signInAgain,
  strongPasscode,
  type TestService,
} from "../helpers/service.ts";

/** An account with a trading passcode (its notice carries a freeze link). */
async function accountWithNotice(service: TestService) {
  const account = await signedInAccount(service);
  const set = await account.send("/v1/trading-passcode", {
    tradingPasscode: "284915",
    totp: account.totp(),
  }, "PUT");
  assertEquals(set.status, 204);
  return { ...account, token: freezeTokenOf(service, "trading_passcode_set") };
}

Deno.test("GET /freeze shows what will happen and a button, and changes nothing", async () => {
  using service = await createTestService();
  const { accountId, token, send } = await accountWithNotice(service);
  const page = await service.request(`/freeze?token=${token}`);
  assertEquals(page.status, 200);
  const html = await page.text();
  assert(html.includes('<form method="post">'), html);
  assert(html.includes("Every session ends"));
  assert(html.includes(`value="${token}"`));
  // Nothing acted: the session works, the passcode signs in, the token is unspent.
  assertEquals((await send("/v1/session", undefined, "GET")).status, 200);
  assertEquals(
    await passcodeVerdict(service, accountId, strongPasscode),
    "accepted",
  );
  assertEquals((await freeze(service, token)).status, 200);
});

Deno.test("a freeze ends every session, cancels what was pending, and every login step, step-up and authenticated call answers 423 account_frozen", async () => {
  using service = await createTestService();
  const account = await accountWithNotice(service);
  const { accountId, secret, authorization } = account;
  const second = await signInAgain(service, accountId, secret);
  // Pending: an action token, a login ticket, an account-ID change.
  const stepped = await account.send("/v1/step-up", {
    tradingPasscode: "284915",
    action: "trade",
  });
  const { actionToken } = await stepped.json();
  const ticket = await passcodeStep(service, accountId);
  const moving = await account.send("/v1/account-id", {
    newAccountId: "elsewhere@example.com",
    passcode: strongPasscode,
    totp: account.totp(),
  }, "PUT");
  assertEquals(moving.status, 202);

  const frozen = await freeze(service, account.token);
  assertEquals(frozen.status, 200);
  assertEquals(await frozen.json(), { status: "frozen" });
  const notice = service.sent.at(-1)!;
  assertEquals(notice.kind, "account_frozen");
  assert(notice.text.includes("/recover"));
  assert((await eventTypes(service, accountId)).includes("account_frozen"));

  const frozenAnswer = async (response: Response) => {
    const body = await response.json();
    assertEquals([response.status, body.code], [423, "account_frozen"]);
  };
  for (const headers of [authorization, second.authorization]) {
    await frozenAnswer(
      await service.request("/v1/session", {
        headers: { authorization: headers },
      }),
    );
  }
  await frozenAnswer(
    await account.send("/v1/step-up", {
      tradingPasscode: "284915",
      action: "trade",
    }),
  );
  await frozenAnswer(
    await service.request("/v1/step-up/consume", json({ actionToken })),
  );
  await frozenAnswer(
    await service.request(
      "/v1/login/totp",
      json({
        ticket: ticket.ticket,
        code: totpCodeAt(secret, service.clock.now() + 30_000),
      }),
    ),
  );
  assertEquals(
    await passcodeVerdict(service, accountId, strongPasscode),
    "account_frozen",
  );
  // A wrong passcode is a wrong passcode: nothing tells a stranger of the freeze.
  assertEquals(
    await passcodeVerdict(service, accountId, "not the passcode at all"),
    "invalid_credentials",
  );

  // Unfrozen by a recovery reset (code plus second factor)...
  const reset = await service.request(
    "/v1/recovery/reset",
    json({
      accountId,
      code: await recoveryCode(service, accountId),
      newPasscode: "violet kestrel under 9 lanterns",
      totp: account.totp(),
    }),
  );
  assertEquals(reset.status, 204);
  assert(service.sent.at(-1)!.text.includes("no longer frozen"));
  const after = await signInAgain(service, accountId, secret).catch(() => null);
  assertEquals(after, null, "the old passcode no longer signs in");
  assertEquals(
    await passcodeVerdict(
      service,
      accountId,
      "violet kestrel under 9 lanterns",
    ),
    "accepted",
  );
  // ...which starts the withdrawal hold; the account-ID change was cancelled.
  const { authorization: fresh } = await (async () => {
    const state = await passcodeStep(
      service,
      accountId,
      undefined,
      "violet kestrel under 9 lanterns",
    );
    const done = await service.request(
      "/v1/login/totp",
      json({
        ticket: state.ticket,
        code: account.totp(),
        transport: "token",
      }),
    );
    assertEquals(done.status, 200);
    return { authorization: `Bearer ${(await done.json()).accessToken}` };
  })();
  const withdrawal = await service.request(
    "/v1/step-up",
    json({ tradingPasscode: "284915", action: "withdrawal" }, "POST", {
      authorization: fresh,
    }),
  );
  assertEquals((await withdrawal.json()).code, "security_hold");
  const verify = await service.request(
    "/v1/account-id/verify",
    json({ code: lastCodeSentTo(service, "elsewhere@example.com") }, "POST", {
      authorization: fresh,
    }),
  );
  assertEquals([verify.status, (await verify.json()).code], [
    400,
    "invalid_code",
  ]);
});

Deno.test("a used, foreign, malformed or expired freeze token is refused with 400 invalid_code", async () => {
  using service = await createTestService();
  const { token } = await accountWithNotice(service);
  const expiring = (await accountWithNotice(service)).token;
  assertEquals((await freeze(service, token)).status, 200);
  const used = await freeze(service, token);
  assertEquals([used.status, (await used.json()).code], [400, "invalid_code"]);
  const foreign = await freeze(service, "A".repeat(43));
  assertEquals([foreign.status, (await foreign.json()).code], [
    400,
    "invalid_code",
  ]);
  const malformed = await freeze(service, "not a token");
  assertEquals((await malformed.json()).code, "invalid_request");
  service.clock.advanceSeconds(7 * 24 * 60 * 60);
  const expired = await freeze(service, expiring);
  assertEquals([expired.status, (await expired.json()).code], [
    400,
    "invalid_code",
  ]);
});

Deno.test("10 racing freezes with one token freeze once", async () => {
  using service = await createTestService();
  const { accountId, token } = await accountWithNotice(service);
  const answers = await Promise.all(
    Array.from({ length: 10 }, () => freeze(service, token)),
  );
  const statuses = answers.map((answer) => answer.status).sort();
  for (const answer of answers) await answer.body?.cancel();
  assertEquals(statuses, [200, ...Array(9).fill(400)]);
  assertEquals(
    service.sent.filter((message) => message.kind === "account_frozen").length,
    1,
  );
  assertEquals(
    (await eventTypes(service, accountId)).filter((type) =>
      type === "account_frozen"
    ).length,
    1,
  );
});

Deno.test("the freeze page's button works without JavaScript, and no log line carries the token", async () => {
  using service = await createTestService();
  const { accountId, token } = await accountWithNotice(service);
  await (await service.request(`/freeze?token=${token}`)).body?.cancel();
  const posted = await service.request(`/freeze?token=${token}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token }).toString(),
  });
  assertEquals(posted.status, 200);
  assert((await posted.text()).includes("Your account is frozen"));
  assertEquals(
    await passcodeVerdict(service, accountId, strongPasscode),
    "account_frozen",
  );
  const again = await service.request(`/freeze?token=${token}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token }).toString(),
  });
  assertEquals(again.status, 400);
  assert((await again.text()).includes("Nothing was changed"));
  const lines = service.logs.filter((line) => line.msg === "request");
  assert(lines.some((line) => line.route === "/freeze"));
  for (const line of service.logs) {
    assert(!JSON.stringify(line).includes(token), JSON.stringify(line));
  }
});
