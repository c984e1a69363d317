import { listSecurityEvents } from "../../kv/security_events.ts";
import { listOutboxEntries } from "../../kv/outbox.ts";
import { findAccountByAccountId } from "../../kv/accounts.ts";
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
} from "../helpers/service.ts";

const forged = "Call-support-555-0100";

Deno.test("a forged X-Forwarded-For is no address: it reaches no security event, session or message", async () => {
  using service = await createTestService({ env: { TRUSTED_PROXY: "1" } });
  const accountId = await registerAccount(service);
  const { secret } = await enrollAndLogIn(service, accountId);
  // A dual-stack listener reports our proxy as an IPv4-mapped address.
  const proxy = "::ffff:10.0.0.1";
  const fromStranger = (body: unknown) =>
    service.request(
      "/v1/login",
      json(body, "POST", { "x-forwarded-for": forged }),
      proxy,
    );

  // A new browser: the device code, then a completed login and its alert.
  service.clock.advanceSeconds(30);
  const started = await fromStranger({
    accountId,
    passcode: strongPasscode,
    captcha: await solveCaptcha(service),
  });
  const ticket = (await started.json()).ticket;
  const forgedHeaders = { "x-forwarded-for": forged };
  const device = await service.request(
    "/v1/login/device",
    json(
      { ticket, code: lastCodeSentTo(service, accountId) },
      "POST",
      forgedHeaders,
    ),
    proxy,
  );
  assertEquals(device.status, 200);
  const completed = await service.request(
    "/v1/login/totp",
    json(
      {
        ticket,
        code: totpCodeAt(secret, service.clock.now()),
        transport: "token",
      },
      "POST",
      forgedHeaders,
    ),
    proxy,
  );
  assertEquals(completed.status, 200);
  const { accessToken } = await completed.json();
  // Then a stranger's guesses until the lock, whose notice names the last address.
  for (let i = 0; i < 5; i++) {
    await (await fromStranger({
      accountId,
      passcode: `wrong guess number ${i}`,
      captcha: await solveCaptcha(service),
    })).body?.cancel();
  }

  const kinds = service.sent.map((message) => message.kind);
  for (
    const kind of [
      "device_verification_code",
      "new_login_alert",
      "account_locked",
    ]
  ) {
    assert(kinds.includes(kind as never), `no ${kind} message`);
  }
  const messages = [...service.sent, ...await listOutboxEntries(service.kv)];
  assert(!JSON.stringify(messages).includes(forged), "a message holds it");
  assert(
    service.sent.some((message) => message.text.includes(" at 10.0.0.1")),
    "messages name the address as the service resolved it",
  );

  const account = await findAccountByAccountId(service.kv, accountId);
  const { events } = await listSecurityEvents(service.kv, account!.value.id, {
    limit: 1000,
    notBefore: 0,
  });
  assertEquals(
    [...new Set(events.map((event) => event.ip))].sort(),
    ["10.0.0.1", "198.51.100.7"],
  );
  const sessions = await (await service.request("/v1/sessions", {
    headers: { authorization: `Bearer ${accessToken}` },
  })).json();
  assertEquals(
    sessions.map((session: { ip: string }) => session.ip).sort(),
    ["10.0.0.1", "198.51.100.7"],
  );
});

Deno.test("an invalid forwarded entry is logged once per request, bounded", async () => {
  using service = await createTestService({ env: { TRUSTED_PROXY: "1" } });
  const response = await service.request(
    "/v1/login",
    json(
      { accountId: "nobody@example.com", passcode: "wrong", captcha: "x" },
      "POST",
      { "x-forwarded-for": `${"Call-support ".repeat(300)}\t555-0100` },
    ),
    "10.0.0.1",
  );
  await response.body?.cancel();
  const warnings = service.logs.filter((record) => record.level === "warn");
  assertEquals(warnings.length, 1);
  assert(JSON.stringify(warnings[0]).length < 400, "the whole value is logged");
});

Deno.test("two IPv4 clients of a dual-stack listener have budgets of their own", async () => {
  using service = await createTestService({
    env: { RATE_LIMIT_CAPTCHA: "1/60s" },
  });
  const captcha = async (ip: string) => {
    const response = await service.request("/v1/captcha", undefined, ip);
    await response.body?.cancel();
    return response.status;
  };
  assertEquals(await captcha("::ffff:203.0.113.7"), 200);
  assertEquals(await captcha("::ffff:198.51.100.1"), 200);
  assertEquals(await captcha("::1"), 200);
  assertEquals(await captcha("::ffff:203.0.113.7"), 429);
  // The same client, however its address is written.
  assertEquals(await captcha("203.0.113.7"), 429);
});
