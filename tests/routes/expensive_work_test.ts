/**
 * Expensive work only behind the cheap gates (issue: an unauthenticated request made the
 * service estimate a 128-character passcode before checking anything). A policy and a
 * hasher that record what they were asked show which requests got that far.
 */
import { selectArgon2idEngine } from "../../lib/crypto/argon2id.ts";
import {
  createPasscodeHasher,
  type PasscodeHasher,
} from "../../lib/crypto/passcode_hash.ts";
import { createPasscodePolicy } from "../../lib/account/passcode_policy.ts";
import type { PasscodePolicy } from "../../lib/deps.ts";
import { cryptoRandom } from "../../lib/runtime/random.ts";
import { assertEquals } from "../helpers/assert.ts";
import { createTestClock } from "../helpers/clock.ts";
import {
  createTestService,
  enrollAndLogIn,
  freshTotp,
  json,
  lastCodeSentTo,
  registerAccount,
  requestRecovery,
  strongPasscode,
  type TestService,
} from "../helpers/service.ts";

/** Varied, so an estimator scoring it whole would work hard. */
const longPasscode = Array.from(
  { length: 128 },
  (_, i) => "4@8(3<6#1!|0$5+7%2aeiostlQZ"[(i * 7) % 27],
).join("");

/** The real policy and hasher, recording the passcodes each was given. */
async function recordingExpensiveWork() {
  const estimated: string[] = [];
  const hashed: string[] = [];
  const policy = createPasscodePolicy({
    rpName: "Exchange Login",
    appOrigins: ["http://localhost:8000"],
    isBreached: null,
  });
  const real = createPasscodeHasher({
    engine: await selectArgon2idEngine(),
    random: cryptoRandom,
  });
  const passcodePolicy: PasscodePolicy = {
    check(passcode, accountId) {
      estimated.push(passcode);
      return policy.check(passcode, accountId);
    },
  };
  const hasher: PasscodeHasher = {
    verify: real.verify,
    hash(passcode) {
      hashed.push(passcode);
      return real.hash(passcode);
    },
  };
  return { estimated, hashed, overrides: { passcodePolicy, hasher } };
}

async function problemCodes(responses: Response[]): Promise<string[]> {
  return await Promise.all(
    responses.map(async (response) =>
      `${response.status} ${(await response.json()).code}`
    ),
  );
}

Deno.test("wrong recovery codes, and a locked ID, buy no estimate and no hash", async () => {
  const work = await recordingExpensiveWork();
  using service = await createTestService({ overrides: work.overrides });
  const accountId = await registerAccount(service);
  await enrollAndLogIn(service, accountId);
  await requestRecovery(service, accountId);
  work.estimated.length = 0;
  work.hashed.length = 0;

  const responses = [];
  for (const path of ["/v1/recovery/reset", "/v1/recovery/mfa-reset"]) {
    for (const target of [accountId, "nobody-here@example.com"]) {
      for (let i = 0; i < 3; i++) {
        responses.push(
          await service.request(
            path,
            json({
              accountId: target,
              code: "000000",
              newPasscode: longPasscode,
              totp: path.endsWith("/reset") ? "000000" : undefined,
            }),
          ),
        );
      }
    }
  }
  assertEquals(await problemCodes(responses), [
    ...Array(3).fill("400 invalid_code"),
    ...Array(3).fill("400 invalid_code"),
    // Both endpoints share the ID's budget of 5: the rest are refused as locked.
    ...Array(2).fill("400 invalid_code"),
    "423 account_locked",
    ...Array(2).fill("400 invalid_code"),
    "423 account_locked",
  ]);
  assertEquals(work.estimated, []);
  assertEquals(work.hashed, []);
});

Deno.test("a weak new passcode keeps the recovery code and the factor for the next try", async () => {
  const work = await recordingExpensiveWork();
  using service = await createTestService({ overrides: work.overrides });
  const accountId = await registerAccount(service);
  const { secret } = await enrollAndLogIn(service, accountId);
  await requestRecovery(service, accountId);
  const code = lastCodeSentTo(service, accountId);
  const totp = freshTotp(service, secret);
  work.hashed.length = 0;
  const reset = (newPasscode: string) =>
    service.request(
      "/v1/recovery/reset",
      json({ accountId, code, newPasscode, totp }),
    );

  // Five weak choices would have used up the code's tries and locked the ID.
  const weak = [];
  for (let i = 0; i < 6; i++) weak.push(await reset(`password${i}${i}${i}`));
  assertEquals(
    await problemCodes(weak),
    Array(6).fill("400 weak_passcode"),
  );
  assertEquals(work.hashed, []);
  assertEquals((await reset("amber glacier folds 7 quiet maps")).status, 204);
});

Deno.test("PUT /v1/passcode estimates and hashes only after the lock, the passcode and the factor", async () => {
  const work = await recordingExpensiveWork();
  using service = await createTestService({ overrides: work.overrides });
  const accountId = await registerAccount(service);
  const { secret, body } = await enrollAndLogIn(service, accountId);
  const authorization = `Bearer ${body.accessToken}`;
  const change = (request: Record<string, unknown>) =>
    service.request("/v1/passcode", json(request, "PUT", { authorization }));
  work.estimated.length = 0;
  work.hashed.length = 0;

  const refused = [
    await change({
      currentPasscode: strongPasscode,
      newPasscode: longPasscode,
    }),
    await change({
      currentPasscode: "not the passcode at all",
      newPasscode: longPasscode,
      totp: freshTotp(service, secret),
    }),
  ];
  for (let i = 0; i < 5; i++) {
    refused.push(
      await change({
        currentPasscode: strongPasscode,
        newPasscode: longPasscode,
        totp: "000000",
      }),
    );
  }
  assertEquals(await problemCodes(refused), [
    "400 invalid_request",
    "400 invalid_credentials",
    ...Array(4).fill("400 invalid_code"),
    "423 account_locked",
  ]);
  assertEquals(work.estimated, []);
  assertEquals(work.hashed, []);
});

Deno.test("a weak new passcode does not spend the app code of a passcode change", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  const { secret, body } = await enrollAndLogIn(service, accountId);
  const authorization = `Bearer ${body.accessToken}`;
  const totp = freshTotp(service, secret);
  const change = (newPasscode: string) =>
    service.request(
      "/v1/passcode",
      json({ currentPasscode: strongPasscode, newPasscode, totp }, "PUT", {
        authorization,
      }),
    );
  const weak = [];
  for (let i = 0; i < 6; i++) weak.push(await change(`password${i}${i}${i}`));
  assertEquals(await problemCodes(weak), Array(6).fill("400 weak_passcode"));
  assertEquals((await change("violet kestrel under 9 lanterns")).status, 204);
});

Deno.test("registration estimates nothing before its CAPTCHA", async () => {
  const work = await recordingExpensiveWork();
  using service = await createTestService({ overrides: work.overrides });
  work.hashed.length = 0; // the service's own dummy hash
  const responses = await Promise.all(
    ["", "bm90IGEgcGF5bG9hZA=="].map((captcha) =>
      service.request(
        "/v1/accounts",
        json({
          accountId: "someone@example.com",
          passcode: longPasscode,
          captcha: captcha || undefined,
        }),
      )
    ),
  );
  assertEquals(await problemCodes(responses), [
    "400 captcha_required",
    "400 captcha_invalid",
  ]);
  assertEquals(work.estimated, []);
  assertEquals(work.hashed, []);
});

async function signedIn(service: TestService) {
  const accountId = await registerAccount(service);
  const { secret, body } = await enrollAndLogIn(service, accountId);
  return { secret, headers: { authorization: `Bearer ${body.accessToken}` } };
}

Deno.test("security changes have a per-account budget; reading and removing access are free", async () => {
  using service = await createTestService({
    env: { RATE_LIMIT_SECURITY: "2/3600s" },
    // The start of the next hour: the test's 30-second steps stay inside one window,
    // and the clock never runs behind the real one (tests/helpers/clock.ts).
    clock: createTestClock(Math.ceil(Date.now() / 3_600_000) * 3_600_000),
  });
  const owner = await signedIn(service);
  const setCode = (who: typeof owner, code: string) =>
    service.request(
      "/v1/anti-phishing-code",
      json({ code, totp: freshTotp(service, who.secret) }, "PUT", who.headers),
    );

  const first = await setCode(owner, "Blue-Otter");
  assertEquals(first.status, 204);
  assertEquals(first.headers.get("RateLimit-Policy"), `"security";q=2;w=3600`);
  assertEquals(
    first.headers.get("RateLimit")?.startsWith(`"security";r=1;`),
    true,
  );
  for (let i = 0; i < 3; i++) {
    assertEquals(
      (await service.request("/v1/anti-phishing-code", {
        headers: owner.headers,
      })).status,
      200,
    );
  }
  // The second change spends the budget whatever the route; the third is refused.
  const second = await service.request(
    "/v1/devices/nothing-here",
    json({ name: "Laptop" }, "PATCH", owner.headers),
  );
  assertEquals(second.status, 404);
  const third = await setCode(owner, "Red-Fox");
  assertEquals(third.status, 429);
  assertEquals((await third.json()).code, "rate_limited");
  assertEquals(Number(third.headers.get("Retry-After")) > 0, true);

  // Removing access is never refused for the budget, and other accounts have their own.
  const removal = await service.request(
    "/v1/devices/nothing-here",
    json({ totp: freshTotp(service, owner.secret) }, "DELETE", owner.headers),
  );
  assertEquals(removal.status === 429, false);
  await removal.body?.cancel();
  const other = await signedIn(service);
  assertEquals((await setCode(other, "Green-Owl")).status, 204);
});
