import { totpCodeAt } from "../../lib/crypto/totp.ts";
import { assert, assertEquals } from "../helpers/assert.ts";
import {
  createTestService,
  enrollAndLogIn,
  json,
  lastCodeSentTo,
  registerAccount,
  solveCaptcha,
  strongPasscode,
  type TestService,
} from "../helpers/service.ts";

const chrome =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36";

async function login(
  service: TestService,
  accountId: string,
  options: { cookie?: string | null; ip?: string; passcode?: string } = {},
) {
  const headers: Record<string, string> = { "user-agent": chrome };
  if (options.cookie) headers.cookie = `__Host-device=${options.cookie}`;
  return await service.request(
    "/v1/login",
    json(
      {
        accountId,
        passcode: options.passcode ?? strongPasscode,
        captcha: await solveCaptcha(service),
      },
      "POST",
      headers,
    ),
    options.ip,
  );
}

/** An account with TOTP, whose test browser is recognised on 198.51.100.0/24. */
async function enrolledAccount(service: TestService) {
  const accountId = await registerAccount(service);
  const { secret } = await enrollAndLogIn(service, accountId);
  return { accountId, secret, cookie: service.browser.deviceCookie! };
}

Deno.test("a new device needs the e-mailed code, then is recognised and alerted about", async () => {
  using service = await createTestService();
  const { accountId, secret } = await enrolledAccount(service);
  service.clock.advanceSeconds(30);

  const first = await login(service, accountId, { ip: "198.51.100.20" });
  const state = await first.json();
  assertEquals(state.requires, ["device_verification", "mfa"]);
  const notice = service.sent.at(-1)!;
  assertEquals(notice.kind, "device_verification_code");
  assert(
    notice.text.includes("Chrome on Windows") &&
      notice.text.includes("198.51.100.20"),
  );

  const early = await service.request(
    "/v1/login/totp",
    json({
      ticket: state.ticket,
      code: totpCodeAt(secret, service.clock.now()),
    }),
  );
  assertEquals(early.status, 409, "MFA waits for the device code");

  const wrong = await service.request(
    "/v1/login/device",
    json({ ticket: state.ticket, code: "000000" }),
  );
  const right = lastCodeSentTo(service, accountId);
  if (right !== "000000") assertEquals(wrong.status, 401);
  const verified = await service.request(
    "/v1/login/device",
    json({ ticket: state.ticket, code: right }),
  );
  assertEquals(verified.status, 200);
  assertEquals((await verified.json()).requires, ["mfa"]);

  const done = await service.request(
    "/v1/login/totp",
    json({
      ticket: state.ticket,
      code: totpCodeAt(secret, service.clock.now()),
    }),
    "198.51.100.20",
  );
  assertEquals(done.status, 200);
  assertEquals(service.sent.at(-1)!.kind, "new_login_alert");
  const cookie = done.headers.getSetCookie().find((line) =>
    line.startsWith("__Host-device=")
  );
  assert(
    cookie?.includes("HttpOnly") && cookie.includes("Secure") &&
      cookie.includes("Max-Age=34560000"),
  );
  const newCookie = /^__Host-device=([^;]+)/.exec(cookie!)![1];

  const again = await login(service, accountId, {
    cookie: newCookie,
    ip: "198.51.100.21",
  });
  assertEquals(
    (await again.json()).requires,
    ["mfa"],
    "recognised browser, known network",
  );
});

Deno.test("a recognised browser on a new network still needs the code", async () => {
  using service = await createTestService();
  const { accountId, cookie } = await enrolledAccount(service);
  const response = await login(service, accountId, {
    cookie,
    ip: "192.0.2.44",
  });
  assertEquals((await response.json()).requires, [
    "device_verification",
    "mfa",
  ]);
});

Deno.test("forged and other-account device cookies count as unrecognised", async () => {
  using service = await createTestService();
  const alice = await enrolledAccount(service);
  service.browser.deviceCookie = null;
  const bob = await enrolledAccount(service);
  const [id, signature] = alice.cookie.split(".");
  // A changed first character changes signature bits (the last one may be padding only).
  const forged = `${id}.${signature[0] === "A" ? "B" : "A"}${
    signature.slice(1)
  }`;
  for (
    const cookie of [forged, `${"0".repeat(32)}.${alice.cookie.split(".")[1]}`]
  ) {
    const response = await login(service, alice.accountId, { cookie });
    assertEquals((await response.json()).requires[0], "device_verification");
  }
  const foreign = await login(service, bob.accountId, { cookie: alice.cookie });
  assertEquals((await foreign.json()).requires[0], "device_verification");
});

Deno.test("strangers' guesses lock strangers out, not the owner's trusted browser; its own 5 failures lock it", async () => {
  using service = await createTestService();
  const { accountId, cookie } = await enrolledAccount(service);
  for (let i = 0; i < 5; i++) {
    assertEquals(
      (await login(service, accountId, { passcode: "stranger guess 123!" }))
        .status,
      401,
    );
  }
  assertEquals(
    (await login(service, accountId)).status,
    423,
    "strangers are locked out",
  );
  const owner = await login(service, accountId, { cookie });
  assertEquals(owner.status, 200, "the trusted browser still logs in");

  for (let i = 0; i < 5; i++) {
    assertEquals(
      (await login(service, accountId, {
        cookie,
        passcode: "owner typo 12345!",
      })).status,
      401,
    );
  }
  const locked = await login(service, accountId, { cookie });
  assertEquals(locked.status, 423);
});

Deno.test("verifying a registration makes that browser and network recognised", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  assert(service.browser.deviceCookie);
  const response = await login(service, accountId, {
    cookie: service.browser.deviceCookie,
  });
  assertEquals((await response.json()).requires, ["mfa_enrollment"]);
  const stranger = await login(service, accountId);
  assertEquals((await stranger.json()).requires, [
    "device_verification",
    "mfa_enrollment",
  ]);
});

Deno.test("one device cookie serves several accounts in one browser", async () => {
  using service = await createTestService();
  const alice = await enrolledAccount(service);
  // Registered in the same browser: its existing cookie is recognised for bob too.
  const bob = await registerAccount(service);
  assertEquals(service.browser.deviceCookie, alice.cookie, "no second cookie");
  const response = await login(service, bob, { cookie: alice.cookie });
  const state = await response.json();
  assertEquals(state.requires, ["mfa_enrollment"]);
  const enrollment = await (await service.request(
    "/v1/login/totp/enroll",
    json({ ticket: state.ticket }),
  )).json();
  const done = await service.request(
    "/v1/login/totp",
    json({
      ticket: state.ticket,
      code: totpCodeAt(enrollment.secret, service.clock.now()),
    }),
  );
  assertEquals(done.status, 200);
  assertEquals(
    done.headers.getSetCookie().some((line) =>
      line.startsWith("__Host-device=")
    ),
    false,
  );
  const aliceAgain = await login(service, alice.accountId, {
    cookie: alice.cookie,
  });
  assertEquals((await aliceAgain.json()).requires, ["mfa"]);
});

Deno.test("CAPTCHA_MODE=adaptive asks trusted browsers only after a failure", async () => {
  using service = await createTestService({
    env: { CAPTCHA_MODE: "adaptive" },
  });
  const { accountId, cookie } = await enrolledAccount(service);
  const bare = (
    headers: Record<string, string>,
    passcode = strongPasscode,
    ip?: string,
  ) =>
    service.request(
      "/v1/login",
      json({ accountId, passcode }, "POST", headers),
      ip,
    );
  const trusted = { cookie: `__Host-device=${cookie}` };

  assertEquals(
    (await bare(trusted)).status,
    200,
    "trusted browser, no failures: no CAPTCHA",
  );
  const stranger = await bare({});
  assertEquals(stranger.status, 400);
  assertEquals((await stranger.json()).code, "captcha_required");

  const failed = await service.request(
    "/v1/login",
    json(
      {
        accountId,
        passcode: "typo typo typo 1",
        captcha: await solveCaptcha(service),
      },
      "POST",
      trusted,
    ),
  );
  assertEquals(failed.status, 401);
  const after = await bare(trusted);
  assertEquals(
    (await after.json()).code,
    "captcha_required",
    "after a failure",
  );

  // Failures are forgotten after a quiet day; then the trusted browser is let through.
  service.clock.advanceSeconds(25 * 60 * 60);
  await service.sweepCounters();
  const elsewhere = await bare(trusted, strongPasscode, "198.51.100.99");
  assertEquals(elsewhere.status, 200);
});
