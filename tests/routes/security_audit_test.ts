import { totpCodeAt } from "../../lib/crypto/totp.ts";
import { assert, assertEquals } from "../helpers/assert.ts";
import {
  createTestService,
  enrollAndLogIn,
  json,
  lastCodeSentTo,
  registerAccount,
  requestRecovery,
  signInAgain,
  solveCaptcha,
  type TestService,
} from "../helpers/service.ts";

async function audit(service: TestService, headers: Record<string, string>) {
  const response = await service.request("/v1/security/audit", { headers });
  assertEquals(response.status, 200);
  const body = await response.json();
  return {
    statuses: Object.fromEntries(
      body.checks.map((
        check: { id: string; status: string },
      ) => [check.id, check.status]),
    ),
    nextAuditDue: body.nextAuditDue as string,
  };
}

Deno.test("the security audit reflects settings and time, and is recorded", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  const { secret, body } = await enrollAndLogIn(service, accountId);
  let headers = { authorization: `Bearer ${body.accessToken}` };

  const first = await audit(service, headers);
  assertEquals(first.statuses, {
    mfa: "ok",
    backup_codes: "ok",
    passcode_age: "ok",
    anti_phishing_code: "warn",
    trading_passcode: "critical",
    trusted_devices: "ok",
    recent_failures: "ok",
    pending_recovery: "ok",
    settings_lock: "warn",
    mfa_policy: "ok",
  });
  const due = Date.parse(first.nextAuditDue) - service.clock.now();
  assert(Math.abs(due - 182 * 24 * 60 * 60 * 1000) < 1000, "six months ahead");

  service.clock.advanceSeconds(30);
  await service.request(
    "/v1/anti-phishing-code",
    json(
      { code: "Blue-Otter_7", totp: totpCodeAt(secret, service.clock.now()) },
      "PUT",
      headers,
    ),
  );
  service.clock.advanceSeconds(30);
  await service.request(
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
  await service.request(
    "/v1/login",
    json({
      accountId,
      passcode: "a wrong passcode 1!",
      captcha: await solveCaptcha(service),
    }),
  );
  const second = await audit(service, headers);
  assertEquals(second.statuses.anti_phishing_code, "ok");
  assertEquals(second.statuses.trading_passcode, "ok");
  assertEquals(second.statuses.recent_failures, "warn");

  // 181 days later: an old passcode, a browser unused for 90 days, the failure forgotten.
  service.clock.advanceSeconds(181 * 24 * 60 * 60);
  headers = await signInAgain(service, accountId, secret);
  const late = await audit(service, headers);
  assertEquals(late.statuses.passcode_age, "warn");
  assertEquals(late.statuses.recent_failures, "ok");
  assertEquals(
    late.statuses.trusted_devices,
    "ok",
    "the browser was just used",
  );

  const events =
    await (await service.request("/v1/security/events", { headers })).json();
  assert(
    events.events.some((event: { type: string }) =>
      event.type === "security_audit"
    ),
  );
});

Deno.test("a trusted device unused for 90 days is flagged", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  const { secret } = await enrollAndLogIn(service, accountId);
  service.clock.advanceSeconds(91 * 24 * 60 * 60);
  // Sign in from a second browser; the first stays idle.
  service.browser.deviceCookie = null;
  const headers = await signInAgain(service, accountId, secret);
  const result = await audit(service, headers);
  assertEquals(result.statuses.trusted_devices, "warn");
});

Deno.test("a pending MFA reset is a critical finding for a session that predates it", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  const { body } = await enrollAndLogIn(service, accountId);
  const headers = { authorization: `Bearer ${body.accessToken}` };
  await (await requestRecovery(service, accountId)).body?.cancel();
  const started = await service.request(
    "/v1/recovery/mfa-reset",
    json({
      accountId,
      code: lastCodeSentTo(service, accountId),
      newPasscode: "amber glacier folds 7 quiet maps",
    }),
  );
  assertEquals(started.status, 202);
  const { statuses } = await audit(service, headers);
  assertEquals(statuses.pending_recovery, "critical");
});
