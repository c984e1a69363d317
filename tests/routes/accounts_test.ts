import { assert, assertEquals } from "../helpers/assert.ts";
import { findAccountByAccountId } from "../../kv/accounts.ts";
import {
  createTestService,
  json,
  lastCodeSentTo,
  passcodeVerdict,
  registerAccount,
  solveCaptcha,
  strongPasscode,
  type TestService,
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

/** Starts a registration of `accountId` with `passcode`; returns the code it sent. */
async function startRegistration(
  service: TestService,
  accountId: string,
  passcode = strongPasscode,
): Promise<string> {
  const response = await service.request(
    "/v1/accounts",
    json({ accountId, passcode, captcha: await solveCaptcha(service) }),
  );
  assertEquals(response.status, 202);
  return lastCodeSentTo(service, accountId);
}

/** `POST /v1/accounts/verify`; the status. */
async function verify(
  service: TestService,
  accountId: string,
  code: string,
): Promise<number> {
  const response = await service.request(
    "/v1/accounts/verify",
    json({ accountId, code }),
  );
  await response.body?.cancel();
  return response.status;
}

/** A six-digit code that is none of `codes`. */
function wrongCodeFor(codes: string[], offset = 0): string {
  for (let i = 0;; i++) {
    const guess = String((Number(codes[0]) + 1 + offset + i) % 1_000_000)
      .padStart(6, "0");
    if (!codes.includes(guess)) return guess;
  }
}

const strangersPasscode = "another very different passcode 9?";

Deno.test("a stranger registering the owner's address later cannot decide the owner's passcode", async () => {
  using service = await createTestService();
  const accountId = "owner@example.com";
  const ownersCode = await startRegistration(service, accountId);
  service.clock.advanceSeconds(60);
  const strangersCode = await startRegistration(
    service,
    accountId,
    strangersPasscode,
  );

  assertEquals(await verify(service, accountId, ownersCode), 200);
  assertEquals(
    await passcodeVerdict(service, accountId, strongPasscode),
    "accepted",
  );
  assertEquals(
    await passcodeVerdict(service, accountId, strangersPasscode),
    "invalid_credentials",
  );
  // The owner's code voided the stranger's registration.
  assertEquals(await verify(service, accountId, strangersCode), 400);
  const accounts = await Array.fromAsync(
    service.kv.list({ prefix: ["accounts"] }),
  );
  assertEquals(accounts.length, 1);
});

Deno.test("a fourth pending registration displaces the oldest; the others keep their codes", async () => {
  using service = await createTestService();
  const accountId = "four@example.com";
  const codes: string[] = [];
  for (let i = 0; i < 4; i++) {
    codes.push(await startRegistration(service, accountId));
    service.clock.advanceSeconds(60);
  }
  assertEquals(await verify(service, accountId, codes[0]), 400);
  assertEquals(await verify(service, accountId, codes[1]), 200);
  assertEquals(await verify(service, accountId, codes[2]), 400);
  assertEquals(await verify(service, accountId, codes[3]), 400);
});

Deno.test("10 racing registrations of one ID leave at most 3 pending", async () => {
  using service = await createTestService();
  const accountId = "crowd@example.com";
  const captchas = await Promise.all(
    Array.from({ length: 10 }, () => solveCaptcha(service)),
  );
  const responses = await Promise.all(
    captchas.map((captcha) =>
      service.request(
        "/v1/accounts",
        json({ accountId, passcode: strongPasscode, captcha }),
      )
    ),
  );
  assert(responses.every((response) => response.status === 202));
  const pending = await Array.fromAsync(
    service.kv.list({ prefix: ["registrations"] }),
  );
  assertEquals(pending.length, 3);
});

Deno.test("an expired registration affects no other, and its place is taken before a live one's", async () => {
  using service = await createTestService();
  const accountId = "slots@example.com";
  const first = await startRegistration(service, accountId);
  service.clock.advanceSeconds(60);
  const second = await startRegistration(service, accountId);
  service.clock.advanceSeconds(60);
  const third = await startRegistration(service, accountId);
  // The first code's 10 minutes are over; the second's and third's are not.
  service.clock.advanceSeconds(8 * 60);
  assertEquals(await verify(service, accountId, first), 400);
  const fourth = await startRegistration(service, accountId);
  assertEquals(await verify(service, accountId, second), 200);
  assertEquals(await verify(service, accountId, third), 400);
  assertEquals(await verify(service, accountId, fourth), 400);
});

Deno.test("5 wrong codes void every registration pending through all five; a later one keeps its own tries", async () => {
  using service = await createTestService();
  const accountId = "tries@example.com";
  const first = await startRegistration(service, accountId);
  for (let i = 0; i < 3; i++) {
    assertEquals(
      await verify(service, accountId, wrongCodeFor([first], i)),
      400,
    );
  }
  service.clock.advanceSeconds(60);
  const second = await startRegistration(
    service,
    accountId,
    strangersPasscode,
  );
  for (let i = 3; i < 5; i++) {
    assertEquals(
      await verify(service, accountId, wrongCodeFor([first, second], i)),
      400,
    );
  }
  // Every wrong code spent a try of each registration it was compared with: the
  // first has had its five, the second three of its own (two, and this refusal).
  assertEquals(await verify(service, accountId, first), 400);
  assertEquals(await findAccountByAccountId(service.kv, accountId), null);
  assertEquals(await verify(service, accountId, second), 200);
  assertEquals(
    await passcodeVerdict(service, accountId, strangersPasscode),
    "accepted",
  );
});

Deno.test("more pending registrations give a guesser no more guesses: 5 wrong codes void all three", async () => {
  using service = await createTestService();
  const accountId = "guessed@example.com";
  const ownersCode = await startRegistration(service, accountId);
  const strangersCodes = [
    await startRegistration(service, accountId, strangersPasscode),
    await startRegistration(service, accountId, strangersPasscode),
  ];
  const codes = [ownersCode, ...strangersCodes];
  for (let i = 0; i < 5; i++) {
    assertEquals(await verify(service, accountId, wrongCodeFor(codes, i)), 400);
  }
  for (const code of codes) {
    assertEquals(await verify(service, accountId, code), 400);
  }
  assertEquals(await findAccountByAccountId(service.kv, accountId), null);
});

Deno.test("racing right codes of two pending registrations create exactly one account", async () => {
  using service = await createTestService();
  const accountId = "race@example.com";
  const ownersCode = await startRegistration(service, accountId);
  const strangersCode = await startRegistration(
    service,
    accountId,
    strangersPasscode,
  );
  const statuses = await Promise.all(
    [ownersCode, strangersCode].map((code) => verify(service, accountId, code)),
  );
  assertEquals(statuses.toSorted(), [200, 400]);
  const accounts = await Array.fromAsync(
    service.kv.list({ prefix: ["accounts"] }),
  );
  assertEquals(accounts.length, 1);
  const winner = statuses[0] === 200 ? strongPasscode : strangersPasscode;
  assertEquals(await passcodeVerdict(service, accountId, winner), "accepted");
});

Deno.test("20 racing copies of the owner's code beside a stranger's registration give one 200", async () => {
  using service = await createTestService();
  const accountId = "copies@example.com";
  const ownersCode = await startRegistration(service, accountId);
  const strangersCode = await startRegistration(
    service,
    accountId,
    strangersPasscode,
  );
  const statuses = await Promise.all(
    Array.from({ length: 20 }, () => verify(service, accountId, ownersCode)),
  );
  assertEquals(statuses.toSorted(), [200, ...Array(19).fill(400)]);
  const accounts = await Array.fromAsync(
    service.kv.list({ prefix: ["accounts"] }),
  );
  assertEquals(accounts.length, 1);
  assertEquals(
    await passcodeVerdict(service, accountId, strongPasscode),
    "accepted",
  );
  assertEquals(await verify(service, accountId, strangersCode), 400);
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
