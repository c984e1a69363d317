import {
  beginCompletion,
  commitLogin,
} from "../../lib/login/login_completion.ts";
import {
  carriesFreezeLink,
  messageKinds,
} from "../../lib/messages/messages.ts";
import { assert, assertEquals } from "../helpers/assert.ts";
import { addPasskey, webauthnStep } from "../helpers/passkeys.ts";
import { linkToken } from "../helpers/brakes.ts";
import { createSoftwareAuthenticator } from "../helpers/software_authenticator.ts";
import {
  createTestService,
  enrollAndLogIn,
  eventTypes,
  freshTotp,
  json,
  lastCodeSentTo,
  passcodeStep,
  passcodeVerdict,
  registerAccount,
  requestRecovery,
  solveCaptcha,
  strongPasscode,
  type TestService,
} from "../helpers/service.ts";

const antiPhishingCode = "Blue-Otter_7";

/** A full sign-in with this passcode at the next TOTP step; returns the token. */
async function signIn(
  service: TestService,
  accountId: string,
  secret: string,
  passcode: string,
  ip?: string,
): Promise<string> {
  const ticket = await passcodeStep(service, accountId, ip, passcode);
  const response = await service.request(
    "/v1/login/totp",
    json({
      ticket: ticket.ticket,
      code: freshTotp(service, secret),
      transport: "token",
    }),
    ip,
  );
  assertEquals(response.status, 200);
  return (await response.json()).accessToken;
}

const put = (token: string, body: unknown) =>
  json(body, "PUT", { authorization: `Bearer ${token}` });

async function askForRecoveryCode(service: TestService, accountId: string) {
  const response = await requestRecovery(service, accountId);
  assertEquals(response.status, 202);
  await response.body?.cancel();
  return lastCodeSentTo(service, accountId);
}

Deno.test("every message kind the service sends shows the anti-phishing code in /dev/outbox, and each kind's freeze link freezes the account", async () => {
  using service = await createTestService({ useDevTransport: true });
  let accountId = await registerAccount(service);
  const enrolled = await enrollAndLogIn(service, accountId);
  const { secret } = enrolled;
  let token = enrolled.body.accessToken as string;

  const set = await service.request(
    "/v1/anti-phishing-code",
    put(token, { code: antiPhishingCode, totp: freshTotp(service, secret) }),
  );
  assertEquals(set.status, 204);
  const firstCovered = service.sent.length - 1;

  // Somebody registers the address again: a notice.
  const again = await service.request(
    "/v1/accounts",
    json({
      accountId,
      passcode: strongPasscode,
      captcha: await solveCaptcha(service),
    }),
  );
  assertEquals(again.status, 202);

  // A sign-in from a new network: the device code, then the new-login alert.
  await signIn(service, accountId, secret, strongPasscode, "203.0.113.50");

  // A passkey added, used, "cloned", and renamed.
  const { authenticator, response: added } = await addPasskey(
    service,
    token,
    secret,
  );
  assertEquals(added.status, 201);
  authenticator.counter = 10;
  for (const counter of [10, 5]) {
    authenticator.counter = counter;
    const step = await webauthnStep(service, accountId);
    const answer = await service.request(
      "/v1/login/webauthn",
      json({
        ticket: step.ticket,
        response: await authenticator.assert(step.options),
      }),
    );
    await answer.body?.cancel();
  }
  const renamed = await service.request(
    `/v1/devices/${authenticator.credentialId}`,
    json({ name: "Old laptop" }, "PATCH", { authorization: `Bearer ${token}` }),
  );
  assertEquals(renamed.status, 200);

  const trading = await service.request(
    "/v1/trading-passcode",
    put(token, { tradingPasscode: "284915", totp: freshTotp(service, secret) }),
  );
  assertEquals(trading.status, 204);
  const regenerated = await service.request(
    "/v1/mfa/backup-codes",
    json({ totp: freshTotp(service, secret) }, "POST", {
      authorization: `Bearer ${token}`,
    }),
  );
  assertEquals(regenerated.status, 200);
  // Five wrong trading passcodes: the step-up lock notice.
  for (let i = 0; i < 5; i++) {
    const wrong = await service.request(
      "/v1/step-up",
      json({ tradingPasscode: "503872", action: "trade" }, "POST", {
        authorization: `Bearer ${token}`,
      }),
    );
    assertEquals(wrong.status, 401);
  }

  const secondPasscode = "violet kestrel under 9 lanterns";
  const changed = await service.request(
    "/v1/passcode",
    put(token, {
      currentPasscode: strongPasscode,
      newPasscode: secondPasscode,
      totp: freshTotp(service, secret),
    }),
  );
  assertEquals(changed.status, 204);

  const moved = "moved-owner@example.com";
  const requested = await service.request(
    "/v1/account-id",
    put(token, {
      newAccountId: moved,
      passcode: secondPasscode,
      totp: freshTotp(service, secret),
    }),
  );
  assertEquals(requested.status, 202);
  const verified = await service.request(
    "/v1/account-id/verify",
    json({ code: lastCodeSentTo(service, moved) }, "POST", {
      authorization: `Bearer ${token}`,
    }),
  );
  assertEquals(verified.status, 204);
  accountId = moved;

  const thirdPasscode = "amber glacier folds 7 quiet maps";
  const reset = await service.request(
    "/v1/recovery/reset",
    json({
      accountId,
      code: await askForRecoveryCode(service, accountId),
      newPasscode: thirdPasscode,
      totp: freshTotp(service, secret),
    }),
  );
  assertEquals(reset.status, 204);

  // An MFA reset cancelled by signing in, then one that runs its course.
  const fourthPasscode = "copper lantern drifts 5 silent oaks";
  for (const outcome of ["cancelled", "completed"]) {
    const started = await service.request(
      "/v1/recovery/mfa-reset",
      json({
        accountId,
        code: await askForRecoveryCode(service, accountId),
        newPasscode: fourthPasscode,
      }),
    );
    assertEquals(started.status, 202);
    if (outcome === "cancelled") {
      token = await signIn(service, accountId, secret, thirdPasscode);
    } else {
      service.clock.advanceSeconds(48 * 60 * 60);
      assertEquals(await service.sweepMfaResets(), 1);
    }
  }

  // The next sign-in sets up a new authenticator app.
  const { ticket } = await passcodeStep(
    service,
    accountId,
    undefined,
    fourthPasscode,
  );
  const enrollment = await (await service.request(
    "/v1/login/totp/enroll",
    json({ ticket }),
  )).json();
  const reenrolled = await service.request(
    "/v1/login/totp",
    json({ ticket, code: freshTotp(service, enrollment.secret) }),
  );
  assertEquals(reenrolled.status, 200);
  const newSecret = enrollment.secret as string;
  token = await signIn(service, accountId, newSecret, fourthPasscode);

  // Passkeys only, switched on with an app code and off again with a passkey.
  const keys = [];
  for (let i = 0; i < 2; i++) {
    const added = await addPasskey(service, token, newSecret);
    assertEquals(added.response.status, 201);
    keys.push(added.authenticator);
  }
  const passkeysOnly = await service.request(
    "/v1/mfa/policy",
    put(token, {
      phishingResistantOnly: true,
      totp: freshTotp(service, newSecret),
    }),
  );
  assertEquals(passkeysOnly.status, 204);
  const confirmOptions = await service.request(
    "/v1/session/confirm/options",
    json({}, "POST", { authorization: `Bearer ${token}` }),
  );
  assertEquals(confirmOptions.status, 200);
  const codesAgain = await service.request(
    "/v1/mfa/policy",
    put(token, {
      phishingResistantOnly: false,
      webauthn: await keys[0].assert(await confirmOptions.json()),
    }),
  );
  assertEquals(codesAgain.status, 204);

  // The settings lock: locked, counted down, unlocked by the sweep, locked again.
  const lock = (body: unknown, method = "PUT") =>
    service.request(
      "/v1/security/lock",
      json(body, method, { authorization: `Bearer ${token}` }),
    );
  assertEquals(
    (await lock({ unlockDelayDays: 1, totp: freshTotp(service, newSecret) }))
      .status,
    204,
  );
  // A reset under the lock waits a day; the link in its notice cancels it.
  const delayed = await service.request(
    "/v1/recovery/reset",
    json({
      accountId,
      code: await askForRecoveryCode(service, accountId),
      newPasscode: thirdPasscode,
      totp: freshTotp(service, newSecret),
    }),
  );
  assertEquals(delayed.status, 202);
  const cancelled = await service.request(
    "/v1/recovery/cancel",
    json({ token: linkToken(service.sent.at(-1)!.text, "recovery/cancel") }),
  );
  assertEquals(cancelled.status, 200);
  // Unlocking counts down a day; the sweep ends the lock and says so.
  assertEquals(
    (await lock({ totp: freshTotp(service, newSecret) }, "DELETE")).status,
    202,
  );
  service.clock.advanceSeconds(24 * 60 * 60);
  assertEquals(await service.sweepSettingsUnlocks(), 1);

  // "This wasn't me": the freeze link of the last passkey notice.
  const usedToken = linkToken(
    service.sent.findLast((sent) => sent.kind === "webauthn_added")!.text,
    "freeze",
  );
  const frozen = await service.request(
    "/v1/account/freeze",
    json({ token: usedToken }),
  );
  assertEquals(frozen.status, 200);
  assertEquals(service.sent.at(-1)!.kind, "account_frozen");

  // Five wrong passcodes from a stranger's browser: the lock notice.
  for (let i = 0; i < 5; i++) {
    await passcodeVerdict(service, accountId, "wrong passcode, certainly");
  }

  const covered = service.sent.slice(firstCovered);
  // A registration code, or the answer to a recovery for an address without an
  // account, goes out where there is no account, so no code can be set.
  const withoutAccount = ["registration_code", "recovery_no_account"];
  assertEquals(
    [...new Set(covered.map((message) => message.kind))].sort(),
    messageKinds.filter((kind) => !withoutAccount.includes(kind)).sort(),
  );
  const outbox: { id: string; subject: string; text: string }[] =
    await (await service.request("/dev/outbox")).json();
  for (const message of covered) {
    const shown = outbox.find((entry) => entry.id === message.id);
    assert(shown, `${message.kind} is in /dev/outbox`);
    assertEquals(
      shown.text.split("\n")[0],
      `Anti-phishing code: ${antiPhishingCode}`,
      message.kind,
    );
    assert(shown.subject.endsWith(` [${antiPhishingCode}]`), message.kind);
  }

  // The link of every kind that carries one freezes the account: each time it is
  // unfrozen by a recovery reset first (the code and the app's code).
  const fifthPasscode = "slate harbour hums 3 green bells";
  const freezesTheAccount = async (kind: string) => {
    const message = service.sent.find((sent) =>
      sent.kind === kind && !sent.text.includes(usedToken)
    );
    assert(message, `a ${kind} message was sent`);
    const unfrozen = await service.request(
      "/v1/recovery/reset",
      json({
        accountId,
        code: await askForRecoveryCode(service, accountId),
        newPasscode: fifthPasscode,
        totp: freshTotp(service, newSecret),
      }),
    );
    assertEquals(unfrozen.status, 204, kind);
    assertEquals(
      await passcodeVerdict(service, accountId, fifthPasscode),
      "accepted",
      kind,
    );
    const freeze = await service.request(
      "/v1/account/freeze",
      json({ token: linkToken(message.text, "freeze") }),
    );
    assertEquals(freeze.status, 200, kind);
    assertEquals(
      await passcodeVerdict(service, accountId, fifthPasscode),
      "account_frozen",
      kind,
    );
  };
  // (The 2-hour sign-in lock of the five wrong passcodes is over first.)
  service.clock.advanceSeconds(2 * 60 * 60);
  for (const kind of messageKinds.filter(carriesFreezeLink)) {
    await freezesTheAccount(kind);
  }
});

Deno.test("a new-login alert carries the anti-phishing code in force when the login commits", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  const { secret, body } = await enrollAndLogIn(service, accountId);
  const token = String(body.accessToken);
  const setCode = (code: string) =>
    service.request(
      "/v1/anti-phishing-code",
      put(token, { code, totp: freshTotp(service, secret) }),
    );
  assertEquals((await setCode("Old-Code_1")).status, 204);
  // A login from a network the account has not used, so it is announced.
  const ip = "203.0.113.77";
  const { ticket } = await passcodeStep(service, accountId, ip);

  // The owner changes the code between the completion's read and its commit.
  const origin = { ip, userAgent: "test" };
  const pending = await beginCompletion(service.deps, ticket, origin, ["pwd"]);
  let changed: Response | undefined;
  await commitLogin(service.deps, pending, origin, [], async () => {
    changed ??= await setCode("New-Code_2");
  });
  assertEquals(changed?.status, 204);
  await service.deps.deliverer.deliver(pending.completed.messageIds);
  const alerts = service.sent.filter((message) =>
    pending.completed.messageIds.includes(message.id)
  );
  assertEquals(alerts.map((message) => message.kind), ["new_login_alert"]);
  assertEquals(
    alerts[0].text.split("\n")[0],
    "Anti-phishing code: New-Code_2",
  );
});

/** Somebody else's words: a line of their own, a URL-like phrase, a fake support line. */
const lineBreakName = "Laptop\nURGENT: verify now at https://evil.example/x";
const urlLikeName = "URGENT verify now at evil.example/x";
const evilAgent = "Evil.example-support-call-555-01";

Deno.test("no message carries a device name or user agent somebody typed", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  const { secret, body } = await enrollAndLogIn(service, accountId);
  const firstAfterEnrollment = service.sent.length;
  const headers = {
    authorization: `Bearer ${body.accessToken}`,
    "user-agent": evilAgent,
  };
  const send = (path: string, payload: unknown, method = "POST") =>
    service.request(path, json(payload, method, headers));

  // A passkey added: a name with a line break is refused, a URL-like one is kept.
  const options = await (await send("/v1/devices/webauthn/options", {
    totp: freshTotp(service, secret),
  })).json();
  const authenticator = await createSoftwareAuthenticator();
  const registration = await authenticator.register(options);
  const refusedName = await send("/v1/devices/webauthn", {
    response: registration,
    name: lineBreakName,
  });
  const added = await send("/v1/devices/webauthn", {
    response: registration,
    name: urlLikeName,
  });
  const passkey = `/v1/devices/${authenticator.credentialId}`;

  // Renamed, to either name.
  const refusedRename = await send(passkey, { name: lineBreakName }, "PATCH");
  const renamed = await send(passkey, { name: urlLikeName }, "PATCH");

  // A signed sign-in whose counter went backwards: the clone notice names the key.
  for (const counter of [10, 5]) {
    authenticator.counter = counter;
    const step = await webauthnStep(service, accountId);
    const answer = await service.request(
      "/v1/login/webauthn",
      json({
        ticket: step.ticket,
        response: await authenticator.assert(step.options),
      }),
    );
    await answer.body?.cancel();
  }

  // The browser renamed, then a sign-in from it on a new network with that user agent:
  // the new-device code and the new-login alert.
  const devices: { id: string; kind: string }[] =
    await (await service.request("/v1/devices", { headers })).json();
  const browser = devices.find((device) => device.kind === "browser")!;
  const browserRenamed = await send(
    `/v1/devices/${browser.id}`,
    { name: urlLikeName },
    "PATCH",
  );
  const ip = "203.0.113.50";
  const login = await service.request(
    "/v1/login",
    json(
      {
        accountId,
        passcode: strongPasscode,
        captcha: await solveCaptcha(service),
      },
      "POST",
      {
        "user-agent": evilAgent,
        cookie: `__Host-device=${service.browser.deviceCookie}`,
      },
    ),
    ip,
  );
  const { ticket } = await login.json();
  const deviceCode = await service.request(
    "/v1/login/device",
    json({ ticket, code: lastCodeSentTo(service, accountId) }, "POST", {
      "user-agent": evilAgent,
    }),
    ip,
  );
  assertEquals(deviceCode.status, 200);
  const completed = await service.request(
    "/v1/login/totp",
    json({ ticket, code: freshTotp(service, secret) }, "POST", {
      "user-agent": evilAgent,
    }),
    ip,
  );
  assertEquals(completed.status, 200);

  // Removed: the passkey, then the browser (which ends this session).
  const removedPasskey = await send(
    passkey,
    { totp: freshTotp(service, secret) },
    "DELETE",
  );
  const removedBrowser = await send(
    `/v1/devices/${browser.id}`,
    { totp: freshTotp(service, secret) },
    "DELETE",
  );
  await service.deps.deliverer.settled();

  const messages = service.sent.slice(firstAfterEnrollment);
  for (const message of messages) {
    const shown = `${message.subject}\n${message.text}`;
    for (const foreign of ["evil.example", "URGENT", "support-call"]) {
      assert(
        !shown.toLowerCase().includes(foreign.toLowerCase()),
        `${message.kind} carries "${foreign}":\n${shown}`,
      );
    }
  }
  assertEquals(
    [...new Set(messages.map((message) => message.kind))].sort(),
    [
      "device_changed",
      "device_verification_code",
      "new_login_alert",
      "webauthn_added",
      "webauthn_clone_suspected",
    ],
  );
  for (const refused of [refusedName, refusedRename]) {
    assertEquals(refused.status, 400);
    assertEquals((await refused.json()).code, "invalid_request");
  }
  assertEquals(
    [added, renamed, browserRenamed].map((response) => response.status),
    [201, 200, 200],
  );
  assertEquals([removedPasskey.status, removedBrowser.status], [204, 204]);
  // What the messages say instead: known names, and devices by kind and date.
  const text = (kind: string) =>
    messages.filter((message) => message.kind === kind)
      .map((message) => message.text).join("\n");
  assert(
    text("device_verification_code").includes(
      "from an unknown browser on an unknown system at 203.0.113.50",
    ),
    text("device_verification_code"),
  );
  assert(
    /the passkey added on \d{1,2} [A-Z][a-z]{2} \d{4}/i.test(
      text("webauthn_added"),
    ),
    text("webauthn_added"),
  );
  assert(
    /the browser first recognised on \d{1,2} [A-Z][a-z]{2} \d{4}/i.test(
      text("device_changed"),
    ),
    text("device_changed"),
  );
});

Deno.test("every change of an authentication factor is announced with the anti-phishing code", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  const announced = async (change: () => Promise<Response>) => {
    const before = service.sent.length;
    const response = await change();
    if (!response.ok) {
      throw new Error(`${response.status} ${await response.text()}`);
    }
    if (!response.bodyUsed) await response.body?.cancel();
    await service.deps.deliverer.settled();
    return service.sent.slice(before).filter((message) =>
      message.to === accountId
    );
  };

  // TOTP enrolled inside the first login, before a code can be set.
  let secret = "";
  let token = "";
  const enrolled = await announced(async () => {
    const result = await enrollAndLogIn(service, accountId);
    secret = result.secret;
    token = String(result.body.accessToken);
    return result.response;
  });
  assertEquals(enrolled.map((message) => message.kind), ["mfa_enrolled"]);

  const set = await service.request(
    "/v1/anti-phishing-code",
    put(token, { code: antiPhishingCode, totp: freshTotp(service, secret) }),
  );
  assertEquals(set.status, 204);
  const bearer = { authorization: `Bearer ${token}` };
  const changes: [string, () => Promise<Response>][] = [
    [
      "backup_codes_regenerated",
      () =>
        service.request(
          "/v1/mfa/backup-codes",
          json({ totp: freshTotp(service, secret) }, "POST", bearer),
        ),
    ],
    [
      "webauthn_added",
      async () => (await addPasskey(service, token, secret)).response,
    ],
    [
      "device_changed",
      async () => {
        const devices: { id: string; kind: string }[] =
          await (await service.request("/v1/devices", { headers: bearer }))
            .json();
        const passkey = devices.find((device) => device.kind === "webauthn")!;
        return await service.request(
          `/v1/devices/${passkey.id}`,
          json({ totp: freshTotp(service, secret) }, "DELETE", bearer),
        );
      },
    ],
    [
      "trading_passcode_set",
      () =>
        service.request(
          "/v1/trading-passcode",
          put(token, {
            tradingPasscode: "284915",
            totp: freshTotp(service, secret),
          }),
        ),
    ],
  ];
  for (const [kind, change] of changes) {
    const messages = await announced(change);
    assertEquals(messages.map((message) => message.kind), [kind]);
    assertEquals(
      messages[0].text.split("\n")[0],
      `Anti-phishing code: ${antiPhishingCode}`,
      kind,
    );
  }
  assert(
    (await eventTypes(service, accountId)).includes("backup_codes_regenerated"),
  );
});
