import { totpCodeAt } from "../../lib/crypto/totp.ts";
import { assert, assertEquals } from "../helpers/assert.ts";
import {
  createTestService,
  enrollAndLogIn,
  eventTypes,
  json,
  lastCodeSentTo,
  registerAccount,
  requestRecovery,
  signInAgain,
  solveCaptcha,
  type TestService,
} from "../helpers/service.ts";

/** Reads the audit (`GET`), or opens the checklist explicitly (`POST`, recorded). */
async function audit(
  service: TestService,
  headers: Record<string, string>,
  method: "GET" | "POST" = "GET",
) {
  const response = await service.request("/v1/security/audit", {
    method,
    headers,
  });
  assertEquals(response.status, 200);
  const body = await response.json();
  return {
    statuses: Object.fromEntries(
      body.checks.map((
        check: { id: string; status: string },
      ) => [check.id, check.status]),
    ),
    facts: Object.fromEntries(
      body.checks.map((
        check: { id: string; facts?: Record<string, unknown> },
      ) => [check.id, check.facts]),
    ),
    nextAuditDue: body.nextAuditDue as string,
    lastAuditAt: body.lastAuditAt as string | null,
  };
}

Deno.test("the security audit reflects settings and time", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  const { secret, body } = await enrollAndLogIn(service, accountId);
  let headers = { authorization: `Bearer ${body.accessToken}` };

  const first = await audit(service, headers, "POST");
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
  // What each finding says, as values a page words in its own language.
  assertEquals(first.facts.backup_codes, { count: 10 });
  assertEquals(first.facts.passcode_age, { days: 0 });
  assertEquals(first.facts.recent_failures, { count: 0, days: 30 });
  assertEquals(first.facts.mfa_policy, { passkeysOnly: false });
  assertEquals(first.facts.mfa, undefined);
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
  assertEquals(second.facts.recent_failures, { count: 1, days: 30 });

  // 181 days later: an old passcode, a browser unused for 90 days, the failure forgotten.
  service.clock.advanceSeconds(181 * 24 * 60 * 60);
  headers = await signInAgain(service, accountId, secret);
  const late = await audit(service, headers);
  assertEquals(late.statuses.passcode_age, "warn");
  assertEquals(late.facts.passcode_age, { days: 181 });
  assertEquals(late.statuses.recent_failures, "ok");
  assertEquals(
    late.statuses.trusted_devices,
    "ok",
    "the browser was just used",
  );
});

Deno.test("reading the audit records nothing; opening the checklist records it at most once a day", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  const { secret, body } = await enrollAndLogIn(service, accountId);
  let headers = { authorization: `Bearer ${body.accessToken}` };
  const audits = async () =>
    (await eventTypes(service, accountId)).filter((type) =>
      type === "security_audit"
    ).length;
  const day = 24 * 60 * 60;

  const never = await audit(service, headers);
  assertEquals(never.lastAuditAt, null);
  assertEquals(Date.parse(never.nextAuditDue), service.clock.now(), "due now");
  await audit(service, headers);
  assertEquals(await audits(), 0, "a GET records nothing");

  const opened = await audit(service, headers, "POST");
  const openedAt = service.clock.now();
  assertEquals(Date.parse(opened.lastAuditAt!), openedAt);
  assertEquals(
    Date.parse(opened.nextAuditDue),
    openedAt + 182 * day * 1000,
  );
  assertEquals(await audits(), 1);

  // A session idles out in 30 minutes: each day is a new sign-in.
  service.clock.advanceSeconds(day - 120);
  headers = await signInAgain(service, accountId, secret);
  await Promise.all([
    audit(service, headers, "POST"),
    audit(service, headers, "POST"),
  ]);
  const read = await audit(service, headers);
  assertEquals(Date.parse(read.lastAuditAt!), openedAt, "not again that day");
  assertEquals(await audits(), 1);

  service.clock.advanceSeconds(120);
  headers = await signInAgain(service, accountId, secret);
  await Promise.all([
    audit(service, headers, "POST"),
    audit(service, headers, "POST"),
  ]);
  assertEquals(await audits(), 2, "a day later, once more, however many race");
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
  const idle = result.facts.trusted_devices as {
    days: number;
    devices: string[];
  };
  assertEquals([idle.days, idle.devices.length], [90, 1]);
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
  const { statuses, facts } = await audit(service, headers);
  assertEquals(statuses.pending_recovery, "critical");
  assertEquals(facts.pending_recovery, {
    at: new Date(service.clock.now() + 48 * 60 * 60 * 1000).toISOString(),
    recovery: "authenticator",
  });
});
