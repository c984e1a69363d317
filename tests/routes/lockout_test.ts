import {
  createPasscodeHasher,
  type PasscodeHasher,
} from "../../lib/crypto/passcode_hash.ts";
import { wasmArgon2idEngine } from "../../lib/crypto/argon2id.ts";
import { cryptoRandom } from "../../lib/runtime/random.ts";
import { totpCodeAt } from "../../lib/crypto/totp.ts";
import { assert, assertEquals } from "../helpers/assert.ts";
import {
  browserHeaders,
  createTestService,
  enrollAndLogIn,
  json,
  passcodeStep,
  registerAccount,
  solveCaptcha,
  strongPasscode,
  type TestService,
} from "../helpers/service.ts";

/** A real hasher that counts verifications: how many guesses were actually checked. */
function countingHasher(): {
  hasher: PasscodeHasher;
  verifications: () => number;
} {
  let count = 0;
  const real = createPasscodeHasher({
    engine: wasmArgon2idEngine,
    random: cryptoRandom,
  });
  return {
    hasher: {
      hash: real.hash,
      verify: (phc, passcode) => {
        count++;
        return real.verify(phc, passcode);
      },
    },
    verifications: () => count,
  };
}

async function guess(
  service: TestService,
  accountId: string,
  passcode = "a wrong guess 12345",
  headers: Record<string, string> = {},
) {
  return await service.request(
    "/v1/login",
    json(
      { accountId, passcode, captcha: await solveCaptcha(service) },
      "POST",
      headers,
    ),
  );
}

Deno.test("50 concurrent wrong passcodes check at most 5; the rest get 423", async () => {
  const counter = countingHasher();
  using service = await createTestService({
    overrides: { hasher: counter.hasher },
  });
  const accountId = await registerAccount(service);
  const captchas = await Promise.all(
    Array.from({ length: 50 }, () => solveCaptcha(service)),
  );
  const before = counter.verifications();
  const responses = await Promise.all(
    captchas.map((captcha) =>
      service.request(
        "/v1/login",
        json({ accountId, passcode: "wrong wrong wrong 9", captcha }),
      )
    ),
  );
  const statuses = responses.map((response) => response.status);
  assert(
    counter.verifications() - before <= 5,
    `${counter.verifications() - before} checks`,
  );
  assertEquals(
    statuses.filter((status) => status === 401).length,
    counter.verifications() - before,
  );
  assertEquals(
    statuses.filter((status) => status === 423).length,
    50 - (counter.verifications() - before),
  );
  const notices = service.sent.filter((message) =>
    message.kind === "account_locked"
  );
  assertEquals(notices.length, 1, "one lock notice per lock");
  assert(notices[0].text.startsWith("You have not set an anti-phishing code"));
});

Deno.test("the right passcode while locked gets 423 with Retry-After; the lock lifts after 2 hours", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  for (let i = 0; i < 5; i++) {
    assertEquals((await guess(service, accountId)).status, 401);
  }
  const locked = await guess(service, accountId, strongPasscode);
  assertEquals(locked.status, 423);
  const body = await locked.json();
  assertEquals(body.code, "account_locked");
  assertEquals(locked.headers.get("retry-after"), String(2 * 60 * 60));
  assertEquals(
    Date.parse(body.lockedUntil),
    service.clock.now() + 2 * 60 * 60 * 1000,
  );

  service.clock.advanceSeconds(2 * 60 * 60 - 1);
  assertEquals((await guess(service, accountId, strongPasscode)).status, 423);
  service.clock.advanceSeconds(1);
  assertEquals((await guess(service, accountId, strongPasscode)).status, 200);
});

Deno.test("a locked account is refused before the CAPTCHA and before any hash", async () => {
  const counter = countingHasher();
  using service = await createTestService({
    overrides: { hasher: counter.hasher },
  });
  for (let i = 0; i < 5; i++) await guess(service, "ghost@example.com");
  const before = counter.verifications();
  const response = await service.request(
    "/v1/login",
    json({ accountId: "ghost@example.com", passcode: "anything at all 1" }),
  );
  assertEquals(response.status, 423);
  assertEquals(counter.verifications(), before);
});

Deno.test("an unknown account ID locks exactly like a known one", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  const known: number[] = [];
  const unknown: number[] = [];
  for (let i = 0; i < 6; i++) {
    known.push((await guess(service, accountId)).status);
    unknown.push((await guess(service, "nobody-here@example.com")).status);
  }
  assertEquals(known, [401, 401, 401, 401, 401, 423]);
  assertEquals(unknown, known);
});

Deno.test("wrong TOTP codes count toward the same lockout, across tickets", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  const { secret } = await enrollAndLogIn(service, accountId);
  service.clock.advanceSeconds(30);
  const right = totpCodeAt(secret, service.clock.now());
  const wrong = right === "000000" ? "111111" : "000000";
  for (let i = 0; i < 5; i++) {
    // A new ticket each time: the right passcode does not reset the MFA failures.
    const ticket = await passcodeStep(service, accountId);
    const response = await service.request(
      "/v1/login/totp",
      json({ ticket: ticket.ticket, code: wrong }),
    );
    assertEquals(response.status, 401, `attempt ${i + 1}`);
  }
  // The failures were the trusted browser's: its own budget is spent.
  const locked = await guess(
    service,
    accountId,
    strongPasscode,
    browserHeaders(service),
  );
  assertEquals(locked.status, 423);
});

Deno.test("a completed login clears the failures", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  const { secret } = await enrollAndLogIn(service, accountId);
  const browser = browserHeaders(service);
  for (let i = 0; i < 4; i++) {
    await guess(service, accountId, undefined, browser);
  }
  service.clock.advanceSeconds(30);
  const ticket = await passcodeStep(service, accountId);
  const done = await service.request(
    "/v1/login/totp",
    json({
      ticket: ticket.ticket,
      code: totpCodeAt(secret, service.clock.now()),
    }),
  );
  assertEquals(done.status, 200);
  for (let i = 0; i < 4; i++) {
    assertEquals(
      (await guess(service, accountId, undefined, browser)).status,
      401,
    );
  }
});

Deno.test("a login completed with a backup code clears the failures too", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  const { backupCodes } = await enrollAndLogIn(service, accountId);
  const browser = browserHeaders(service);
  for (let i = 0; i < 4; i++) {
    await guess(service, accountId, undefined, browser);
  }
  const ticket = await passcodeStep(service, accountId);
  const done = await service.request(
    "/v1/login/backup-code",
    json({ ticket: ticket.ticket, code: backupCodes[0] }),
  );
  assertEquals(done.status, 200);
  for (let i = 0; i < 4; i++) {
    assertEquals(
      (await guess(service, accountId, undefined, browser)).status,
      401,
    );
  }
});
