import { assert, assertEquals } from "../helpers/assert.ts";
import { findAccountByAccountId } from "../../kv/accounts.ts";
import {
  createTestService,
  json,
  lastCodeSentTo,
  registerAccount,
  solveCaptcha,
  strongPasscode,
} from "../helpers/service.ts";

Deno.test("POST /v1/accounts registers, and the e-mailed code verifies the account", async () => {
  using service = await createTestService();
  const response = await service.request(
    "/v1/accounts",
    json({
      accountId: "  Alice@Example.COM ",
      passcode: strongPasscode,
      captcha: await solveCaptcha(service),
    }),
  );
  assertEquals(response.status, 202);
  assertEquals(await response.json(), {
    status: "verification_sent",
    accountId: "alice@example.com",
  });
  assertEquals(service.sent.length, 1);
  assertEquals(service.sent[0].to, "alice@example.com");
  assert(
    service.sent[0].text.startsWith("You have not set an anti-phishing code"),
  );
  assertEquals(
    await findAccountByAccountId(service.kv, "alice@example.com"),
    null,
  );

  const verified = await service.request(
    "/v1/accounts/verify",
    json({
      accountId: "alice@example.com",
      code: lastCodeSentTo(service, "alice@example.com"),
    }),
  );
  assertEquals(verified.status, 200);
  assertEquals(await verified.json(), { status: "verified" });
  const account = await findAccountByAccountId(service.kv, "alice@example.com");
  assert(account);
  assert(
    account.value.passcodeHash.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"),
  );
});

Deno.test("phone numbers are normalised to E.164 and messaged by SMS", async () => {
  using service = await createTestService();
  const response = await service.request(
    "/v1/accounts",
    json({
      accountId: "+49 170 1234567",
      passcode: strongPasscode,
      captcha: await solveCaptcha(service),
    }),
  );
  assertEquals(response.status, 202);
  assertEquals((await response.json()).accountId, "+491701234567");
  assertEquals(service.sent[0].channel, "sms");
});

Deno.test("a taken account ID gets the same 202 and a notice instead of a code", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  const before = await findAccountByAccountId(service.kv, accountId);
  const response = await service.request(
    "/v1/accounts",
    json({
      accountId,
      passcode: "another very different passcode 9?",
      captcha: await solveCaptcha(service),
    }),
  );
  assertEquals(response.status, 202);
  assertEquals(await response.json(), {
    status: "verification_sent",
    accountId,
  });
  const notice = service.sent.at(-1)!;
  assertEquals(notice.kind, "registration_notice");
  assert(!/\b\d{6}\b/.test(notice.text), "a notice carries no code");
  assertEquals(await findAccountByAccountId(service.kv, accountId), before);
});

Deno.test("a newer registration replaces a pending one: only the newest code works", async () => {
  using service = await createTestService();
  const accountId = "squatted@example.com";
  for (let i = 0; i < 2; i++) {
    await service.request(
      "/v1/accounts",
      json({
        accountId,
        passcode: strongPasscode,
        captcha: await solveCaptcha(service),
      }),
    );
  }
  const [first, second] = service.sent.map((message) =>
    message.text.match(/\b(\d{6})\b/)![1]
  );
  if (first !== second) {
    const stale = await service.request(
      "/v1/accounts/verify",
      json({ accountId, code: first }),
    );
    assertEquals(stale.status, 400);
  }
  const fresh = await service.request(
    "/v1/accounts/verify",
    json({ accountId, code: second }),
  );
  assertEquals(fresh.status, 200);
});

Deno.test("weak passcodes are refused with the estimator's feedback, nothing stored", async () => {
  using service = await createTestService();
  for (
    const passcode of [
      "short1!",
      "password123",
      "aaaaaaaaaaaa",
      "bobsmith-is-strong-2024!",
      "x".repeat(129),
    ]
  ) {
    const response = await service.request(
      "/v1/accounts",
      json({
        accountId: "bobsmith@example.com",
        passcode,
        captcha: await solveCaptcha(service),
      }),
    );
    assertEquals(response.status, 400, passcode);
    const body = await response.json();
    assertEquals(body.code, "weak_passcode");
    assert(Array.isArray(body.feedback) && body.feedback.length > 0);
  }
  assertEquals(service.sent.length, 0);
});

Deno.test("CAPTCHA: missing, forged, expired and reused payloads are refused", async () => {
  using service = await createTestService();
  const attempt = (captcha?: string) =>
    service.request(
      "/v1/accounts",
      json({
        accountId: "carol@example.com",
        passcode: strongPasscode,
        captcha,
      }),
    );
  const missing = await attempt();
  assertEquals(missing.status, 400);
  assertEquals((await missing.json()).code, "captcha_required");

  const garbage = await attempt("bm90IGpzb24=");
  assertEquals((await garbage.json()).code, "captcha_invalid");

  const payload = await solveCaptcha(service);
  const decoded = JSON.parse(atob(payload));
  decoded.challenge.parameters.keyPrefix = "00";
  const forged = await attempt(btoa(JSON.stringify(decoded)));
  assertEquals((await forged.json()).code, "captcha_invalid");

  const wrongSolution = JSON.parse(atob(payload));
  wrongSolution.solution.counter += 1;
  wrongSolution.solution.derivedKey = "00".repeat(32);
  const wrong = await attempt(btoa(JSON.stringify(wrongSolution)));
  assertEquals((await wrong.json()).code, "captcha_invalid");

  assertEquals((await attempt(payload)).status, 202);
  const reused = await attempt(payload);
  assertEquals(reused.status, 400);
  assertEquals((await reused.json()).code, "captcha_invalid");

  const stale = await solveCaptcha(service);
  service.clock.advanceSeconds(10 * 60 + 1);
  assertEquals((await (await attempt(stale)).json()).code, "captcha_invalid");
  assertEquals(service.sent.length, 1);
});

Deno.test("one CAPTCHA payload raced 10 times is accepted once", async () => {
  using service = await createTestService();
  const payload = await solveCaptcha(service);
  const responses = await Promise.all(
    Array.from({ length: 10 }, (_, i) =>
      service.request(
        "/v1/accounts",
        json({
          accountId: `racer${i}@example.com`,
          passcode: strongPasscode,
          captcha: payload,
        }),
      )),
  );
  const statuses = responses.map((response) => response.status);
  assertEquals(statuses.filter((status) => status === 202).length, 1);
  assertEquals(statuses.filter((status) => status === 400).length, 9);
});

Deno.test("CAPTCHA_MODE=off skips the CAPTCHA in development", async () => {
  using service = await createTestService({ env: { CAPTCHA_MODE: "off" } });
  const response = await service.request(
    "/v1/accounts",
    json({ accountId: "dave@example.com", passcode: strongPasscode }),
  );
  assertEquals(response.status, 202);
});

Deno.test("invalid account IDs are 400 invalid_request with errors[]", async () => {
  using service = await createTestService();
  for (
    const accountId of ["not-an-id", "a@b", "+1 555", "bad..dots@example.com"]
  ) {
    const response = await service.request(
      "/v1/accounts",
      json({
        accountId,
        passcode: strongPasscode,
        captcha: await solveCaptcha(service),
      }),
    );
    assertEquals(response.status, 400, accountId);
    const body = await response.json();
    assertEquals(body.code, "invalid_request");
    assertEquals(body.errors[0].path, "accountId");
  }
});

Deno.test("a wrong verification code is 400 invalid_code; 5 wrong codes void the registration", async () => {
  using service = await createTestService();
  const accountId = "erin@example.com";
  await service.request(
    "/v1/accounts",
    json({
      accountId,
      passcode: strongPasscode,
      captcha: await solveCaptcha(service),
    }),
  );
  const code = lastCodeSentTo(service, accountId);
  const wrongCode = code === "000000" ? "111111" : "000000";
  for (let i = 0; i < 5; i++) {
    const response = await service.request(
      "/v1/accounts/verify",
      json({ accountId, code: wrongCode }),
    );
    assertEquals(response.status, 400);
    assertEquals((await response.json()).code, "invalid_code");
  }
  const tooLate = await service.request(
    "/v1/accounts/verify",
    json({ accountId, code }),
  );
  assertEquals(tooLate.status, 400);
  assertEquals(await findAccountByAccountId(service.kv, accountId), null);
});

Deno.test("a verification code expires after 10 minutes", async () => {
  using service = await createTestService();
  const accountId = "frank@example.com";
  await service.request(
    "/v1/accounts",
    json({
      accountId,
      passcode: strongPasscode,
      captcha: await solveCaptcha(service),
    }),
  );
  service.clock.advanceSeconds(10 * 60);
  const response = await service.request(
    "/v1/accounts/verify",
    json({ accountId, code: lastCodeSentTo(service, accountId) }),
  );
  assertEquals(response.status, 400);
  assertEquals(await findAccountByAccountId(service.kv, accountId), null);
});

Deno.test("10 racing correct verifications give exactly one 200", async () => {
  using service = await createTestService();
  const accountId = "grace@example.com";
  await service.request(
    "/v1/accounts",
    json({
      accountId,
      passcode: strongPasscode,
      captcha: await solveCaptcha(service),
    }),
  );
  const code = lastCodeSentTo(service, accountId);
  const responses = await Promise.all(
    Array.from(
      { length: 10 },
      () => service.request("/v1/accounts/verify", json({ accountId, code })),
    ),
  );
  const statuses = responses.map((response) => response.status).sort();
  assertEquals(statuses, [200, ...Array(9).fill(400)]);
  const accounts = await Array.fromAsync(
    service.kv.list({ prefix: ["accounts"] }),
  );
  assertEquals(accounts.length, 1);
});

Deno.test("50 racing wrong codes compare at most 5 times; the right code then fails", async () => {
  using service = await createTestService();
  const accountId = "heidi@example.com";
  await service.request(
    "/v1/accounts",
    json({
      accountId,
      passcode: strongPasscode,
      captcha: await solveCaptcha(service),
    }),
  );
  const code = lastCodeSentTo(service, accountId);
  const guesses = Array.from(
    { length: 50 },
    (_, i) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, "0"),
  );
  const responses = await Promise.all(
    guesses.map((guess) =>
      service.request("/v1/accounts/verify", json({ accountId, code: guess }))
    ),
  );
  assert(responses.every((response) => response.status === 400));
  const late = await service.request(
    "/v1/accounts/verify",
    json({ accountId, code }),
  );
  assertEquals(late.status, 400);
});
