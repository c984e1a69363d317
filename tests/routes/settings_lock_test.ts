/** The settings lock (API.md, Settings lock). */
import { assert, assertEquals } from "../helpers/assert.ts";
import { utcMinute } from "../../lib/messages/messages.ts";
import {
  freeze,
  freezeTokenOf,
  linkToken,
  recoveryCode,
  signedInAccount,
} from "../helpers/brakes.ts";
import {
  createTestService,
  eventTypes,
  json,
  passcodeVerdict,
  signInAgain,
  strongPasscode,
  type TestService,
} from "../helpers/service.ts";

const dayS = 24 * 60 * 60;
const newPasscode = "violet kestrel under 9 lanterns";

/** A signed-in account whose settings are locked with `days` of delay. */
async function lockedAccount(service: TestService, days = 7) {
  const account = await signedInAccount(service);
  const locked = await account.send("/v1/security/lock", {
    unlockDelayDays: days,
    totp: account.totp(),
  }, "PUT");
  assertEquals(locked.status, 204);
  return account;
}

/** Every change the lock stops, with one code for all (a refusal spends none). */
async function everyLockedChange(
  account: Awaited<ReturnType<typeof signedInAccount>>,
  totp: string,
): Promise<
  { change: string; status: number; body: Record<string, unknown> }[]
> {
  const devices = await (await account.send("/v1/devices", undefined, "GET"))
    .json();
  const browser = devices[0].id;
  const changes: [string, string, string, unknown][] = [
    ["passcode", "PUT", "/v1/passcode", {
      currentPasscode: strongPasscode,
      newPasscode,
      totp,
    }],
    ["account ID", "PUT", "/v1/account-id", {
      newAccountId: "elsewhere@example.com",
      passcode: strongPasscode,
      totp,
    }],
    ["trading passcode", "PUT", "/v1/trading-passcode", {
      tradingPasscode: "284915",
      totp,
    }],
    ["anti-phishing code", "PUT", "/v1/anti-phishing-code", {
      code: "Blue-Otter_7",
      totp,
    }],
    ["passkey", "POST", "/v1/devices/webauthn/options", { totp }],
    ["browser name", "PATCH", `/v1/devices/${browser}`, { name: "Mine" }],
    ["browser", "DELETE", `/v1/devices/${browser}`, { totp }],
    ["backup codes", "POST", "/v1/mfa/backup-codes", { totp }],
    ["MFA policy", "PUT", "/v1/mfa/policy", {
      phishingResistantOnly: true,
      totp,
    }],
  ];
  const answers = [];
  for (const [change, method, path, body] of changes) {
    const response = await account.send(path, body, method);
    answers.push({
      change,
      status: response.status,
      body: await response.json(),
    });
  }
  return answers;
}

Deno.test("a lock refuses every change of the ways in with 403 settings_locked, spending nothing, until its countdown ends", async () => {
  using service = await createTestService();
  const account = await signedInAccount(service);
  const lock = () => account.send("/v1/security/lock", undefined, "GET");
  assertEquals(await (await lock()).json(), {
    locked: false,
    unlockDelayDays: null,
    unlocksAt: null,
  });
  const locked = await account.send("/v1/security/lock", {
    unlockDelayDays: 7,
    totp: account.totp(),
  }, "PUT");
  assertEquals(locked.status, 204);
  assertEquals(service.sent.at(-1)!.kind, "settings_locked");
  assertEquals(await (await lock()).json(), {
    locked: true,
    unlockDelayDays: 7,
    unlocksAt: null,
  });

  const code = account.totp();
  for (const answer of await everyLockedChange(account, code)) {
    assertEquals(
      [answer.status, answer.body.code, answer.body.unlocksAt],
      [403, "settings_locked", null],
      answer.change,
    );
  }
  // Sign-in, sessions and reading settings work as usual.
  assertEquals(
    await passcodeVerdict(service, account.accountId, strongPasscode),
    "accepted",
  );

  // The same code starts the countdown: none of the refusals spent it.
  const unlocking = await account.send("/v1/security/lock", {
    totp: code,
  }, "DELETE");
  assertEquals(unlocking.status, 202);
  const { unlocksAt } = await unlocking.json();
  assertEquals(
    Date.parse(unlocksAt),
    service.clock.now() + 7 * dayS * 1000,
  );
  const started = service.sent.at(-1)!;
  assertEquals(started.kind, "settings_unlock_started");
  assert(
    started.text.includes(utcMinute(Date.parse(unlocksAt), "up")),
  );
  for (const answer of await everyLockedChange(account, "000000")) {
    assertEquals(
      [answer.status, answer.body.code, answer.body.unlocksAt],
      [403, "settings_locked", unlocksAt],
      answer.change,
    );
  }
  // Asking again keeps the countdown.
  const again = await account.send("/v1/security/lock", {
    totp: account.totp(),
  }, "DELETE");
  assertEquals(await again.json(), { unlocksAt });

  // Expiry on the clock, before any sweep: changes go through at once...
  service.clock.advanceSeconds(7 * dayS);
  const fresh = await signedInAccountAgain(service, account);
  assertEquals(
    await (await fresh.send("/v1/security/lock", undefined, "GET")).json(),
    {
      locked: false,
      unlockDelayDays: null,
      unlocksAt: null,
    },
  );
  const changed = await fresh.send("/v1/anti-phishing-code", {
    code: "Blue-Otter_7",
    totp: fresh.totp(),
  }, "PUT");
  assertEquals(changed.status, 204);
  // ...and the sweep announces the end, once.
  assertEquals(await service.sweepSettingsUnlocks(), 1);
  assertEquals(service.sent.at(-1)!.kind, "settings_unlocked");
  assertEquals(await service.sweepSettingsUnlocks(), 0);
  const events = await eventTypes(service, account.accountId);
  for (
    const type of [
      "settings_locked",
      "settings_unlock_started",
      "settings_unlocked",
    ]
  ) assert(events.includes(type), type);
});

/** A new session of the account (the old one has idled out). */
async function signedInAccountAgain(
  service: TestService,
  account: Awaited<ReturnType<typeof signedInAccount>>,
) {
  const { authorization } = await signInAgain(
    service,
    account.accountId,
    account.secret,
  );
  return {
    ...account,
    authorization,
    send: (path: string, body: unknown, method = "POST") =>
      service.request(path, json(body, method, { authorization })),
  };
}

Deno.test("locking again cancels the countdown, and a lock in force cannot be shortened", async () => {
  using service = await createTestService();
  const account = await lockedAccount(service, 7);
  assertEquals(
    (await account.send(
      "/v1/security/lock",
      { totp: account.totp() },
      "DELETE",
    ))
      .status,
    202,
  );
  const shorter = await account.send("/v1/security/lock", {
    unlockDelayDays: 1,
    totp: account.totp(),
  }, "PUT");
  assertEquals([shorter.status, (await shorter.json()).code], [
    403,
    "settings_locked",
  ]);
  const relocked = await account.send("/v1/security/lock", {
    unlockDelayDays: 10,
    totp: account.totp(),
  }, "PUT");
  assertEquals(relocked.status, 204);
  assert(service.sent.at(-1)!.text.includes("countdown was cancelled"));
  assertEquals(
    await (await account.send("/v1/security/lock", undefined, "GET")).json(),
    { locked: true, unlockDelayDays: 10, unlocksAt: null },
  );
  const invalid = await account.send("/v1/security/lock", {
    unlockDelayDays: 31,
    totp: account.totp(),
  }, "PUT");
  assertEquals(invalid.status, 400);
  service.clock.advanceSeconds(7 * dayS);
  assertEquals(await service.sweepSettingsUnlocks(), 0);
});

Deno.test("under a lock a recovery reset waits for the lock's delay, and its link cancels it", async () => {
  using service = await createTestService();
  const account = await lockedAccount(service, 3);
  const { accountId } = account;
  const reset = async () =>
    await service.request(
      "/v1/recovery/reset",
      json({
        accountId,
        code: await recoveryCode(service, accountId),
        newPasscode,
        totp: account.totp(),
      }),
    );
  const first = await reset();
  assertEquals(first.status, 202);
  const { effectiveAt } = await first.json();
  assertEquals(Date.parse(effectiveAt), service.clock.now() + 3 * dayS * 1000);
  const notice = service.sent.at(-1)!;
  assertEquals(notice.kind, "passcode_reset_requested");
  // Nothing changed yet: the old passcode signs in, the new one does not.
  assertEquals(
    await passcodeVerdict(service, accountId, strongPasscode),
    "accepted",
  );
  service.clock.advanceSeconds(3 * dayS - 60);
  assertEquals(await service.sweepDelayedRecoveries(), 0);

  // The link in the notice cancels it; a cancelled reset never applies.
  const cancelToken = linkToken(notice.text, "recovery/cancel");
  const page = await service.request(`/recovery/cancel?token=${cancelToken}`);
  assertEquals(page.status, 200);
  const cancelled = await service.request(
    "/v1/recovery/cancel",
    json({ token: cancelToken }),
  );
  assertEquals(await cancelled.json(), { status: "cancelled" });
  assertEquals(service.sent.at(-1)!.kind, "recovery_cancelled");
  const twice = await service.request(
    "/v1/recovery/cancel",
    json({ token: cancelToken }),
  );
  assertEquals((await twice.json()).code, "invalid_code");
  service.clock.advanceSeconds(120);
  assertEquals(await service.sweepDelayedRecoveries(), 0);
  assertEquals(
    await passcodeVerdict(service, accountId, strongPasscode),
    "accepted",
  );

  // Not cancelled: it takes effect after the delay, announced again.
  const second = await reset();
  assertEquals(second.status, 202);
  service.clock.advanceSeconds(3 * dayS);
  assertEquals(await service.sweepDelayedRecoveries(), 1);
  assertEquals(service.sent.at(-1)!.kind, "passcode_reset");
  assertEquals(
    await passcodeVerdict(service, accountId, newPasscode),
    "accepted",
  );
  assertEquals(
    await passcodeVerdict(service, accountId, strongPasscode),
    "invalid_credentials",
  );
});

Deno.test("under a lock an MFA reset waits the longer of 48 hours and the lock's delay, and its link cancels it", async () => {
  using service = await createTestService();
  for (const [days, waitS] of [[1, 2 * dayS], [5, 5 * dayS]]) {
    const account = await lockedAccount(service, days);
    const started = await service.request(
      "/v1/recovery/mfa-reset",
      json({
        accountId: account.accountId,
        code: await recoveryCode(service, account.accountId),
        newPasscode,
      }),
    );
    assertEquals(started.status, 202);
    const { effectiveAt } = await started.json();
    assertEquals(Date.parse(effectiveAt), service.clock.now() + waitS * 1000);
    const cancelled = await service.request(
      "/v1/recovery/cancel",
      json({
        token: linkToken(service.sent.at(-1)!.text, "recovery/cancel"),
      }),
    );
    assertEquals(cancelled.status, 200);
    service.clock.advanceSeconds(waitS);
    assertEquals(await service.sweepMfaResets(), 0);
    assertEquals(
      await passcodeVerdict(service, account.accountId, strongPasscode),
      "accepted",
    );
  }
});

Deno.test("a frozen, locked account is recovered by its owner after the lock's delay, not sooner", async () => {
  using service = await createTestService();
  const account = await lockedAccount(service, 2);
  const { accountId } = account;
  assertEquals(
    (await freeze(service, freezeTokenOf(service, "settings_locked"))).status,
    200,
  );
  const reset = await service.request(
    "/v1/recovery/reset",
    json({
      accountId,
      code: await recoveryCode(service, accountId),
      newPasscode,
      totp: account.totp(),
    }),
  );
  assertEquals(reset.status, 202);
  service.clock.advanceSeconds(2 * dayS - 60);
  assertEquals(await service.sweepDelayedRecoveries(), 0);
  assertEquals(
    await passcodeVerdict(service, accountId, newPasscode),
    "invalid_credentials",
  );
  service.clock.advanceSeconds(60);
  assertEquals(await service.sweepDelayedRecoveries(), 1);
  assert(service.sent.at(-1)!.text.includes("no longer frozen"));
  assertEquals(
    await passcodeVerdict(service, accountId, newPasscode),
    "accepted",
  );
});
