import { findAccountByAccountId } from "../../kv/accounts.ts";
import { findWithdrawalHold } from "../../kv/action_tokens.ts";
import { listBackupCodes } from "../../kv/backup_codes.ts";
import { findTotpCredential } from "../../kv/totp_credentials.ts";
import { assert, assertEquals } from "../helpers/assert.ts";
import { utcMinute } from "../../lib/messages/messages.ts";
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
  signInAgain,
  strongPasscode,
  type TestService,
} from "../helpers/service.ts";

const newPasscode = "amber glacier folds 7 quiet maps";

const reset = (service: TestService, body: Record<string, unknown>) =>
  service.request("/v1/recovery/reset", json(body));

const mfaReset = (service: TestService, body: Record<string, unknown>) =>
  service.request("/v1/recovery/mfa-reset", json(body));

/** Status, body and header names: all a stranger can compare. */
async function observable(response: Response) {
  const varying = new Set(["x-request-id", "ratelimit", "date"]);
  return {
    status: response.status,
    body: await response.json(),
    headers: [...response.headers.keys()].filter((name) => !varying.has(name))
      .sort(),
  };
}

Deno.test("recovery for an unknown account looks exactly like recovery for a known one", async () => {
  using service = await createTestService();
  const known = await registerAccount(service);
  const unknown = "nobody-here@example.com";
  const sentBefore = service.sent.length;

  const answers = [];
  for (const accountId of [known, unknown]) {
    const response = await requestRecovery(service, accountId);
    const seen = await observable(response);
    seen.body.accountId = "(echo)";
    answers.push(seen);
  }
  assertEquals(answers[0], answers[1]);
  assertEquals(answers[0].status, 202);
  // Only the real address got a code; the other is told it has no account.
  assertEquals(
    service.sent.slice(sentBefore).map((m) => [m.to, m.kind]),
    [[known, "recovery_code"], [unknown, "recovery_no_account"]],
  );

  // Wrong answers look the same too, up to the same lock.
  for (const accountId of [known, unknown]) {
    const statuses = [];
    for (let i = 0; i < 6; i++) {
      const response = await reset(service, {
        accountId,
        code: "000000",
        newPasscode,
        totp: "000000",
      });
      statuses.push(`${response.status} ${(await response.json()).code}`);
    }
    assertEquals(statuses, [
      ...Array(5).fill("400 invalid_code"),
      "423 account_locked",
    ]);
  }

  const withoutCaptcha = await service.request(
    "/v1/recovery",
    json({ accountId: known }),
  );
  assertEquals((await withoutCaptcha.json()).code, "captcha_required");
});

Deno.test("a forgotten passcode is reset with the code and the second factor, once", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  const { secret, body } = await enrollAndLogIn(service, accountId);
  const session = { authorization: `Bearer ${body.accessToken}` };
  const uuid = (await findAccountByAccountId(service.kv, accountId))!.value.id;

  assertEquals((await requestRecovery(service, accountId)).status, 202);
  const code = lastCodeSentTo(service, accountId);
  // The code alone is not enough for an account with an authenticator.
  const codeOnly = await reset(service, { accountId, code, newPasscode });
  assertEquals((await codeOnly.json()).code, "invalid_code");
  const weak = await reset(service, {
    accountId,
    code,
    newPasscode: "password1",
    totp: freshTotp(service, secret),
  });
  assertEquals((await weak.json()).code, "weak_passcode");

  const totp = freshTotp(service, secret);
  const responses = await Promise.all(
    Array.from(
      { length: 3 },
      () => reset(service, { accountId, code, newPasscode, totp }),
    ),
  );
  // One wins; the others are refused (wrong once the code is spent, or locked: the
  // failed code-only try and the racing ones share the 5-failure budget).
  const statuses = responses.map((response) => response.status);
  assertEquals(statuses.filter((status) => status === 204).length, 1);
  assert(statuses.every((status) => [204, 400, 423].includes(status)));
  await Promise.all(responses.map((response) => response.body?.cancel()));

  const ended = await service.request("/v1/session", { headers: session });
  assertEquals((await ended.json()).code, "session_revoked");
  assertEquals(
    service.sent.filter((m) => m.kind === "passcode_reset").length,
    1,
  );
  assert((await eventTypes(service, accountId)).includes("passcode_reset"));
  assert(
    (await findWithdrawalHold(service.kv, uuid, service.clock.now())) !== null,
  );
  assertEquals(
    await passcodeVerdict(service, accountId, strongPasscode),
    "invalid_credentials",
  );
  assertEquals(
    (await passcodeStep(service, accountId, undefined, newPasscode)).requires,
    ["mfa"],
  );
});

Deno.test("a backup code can stand in for the authenticator in a reset; it is spent", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  const { backupCodes } = await enrollAndLogIn(service, accountId);
  const uuid = (await findAccountByAccountId(service.kv, accountId))!.value.id;
  await requestRecovery(service, accountId);
  const response = await reset(service, {
    accountId,
    code: lastCodeSentTo(service, accountId),
    newPasscode,
    backupCode: backupCodes[0],
  });
  assertEquals(response.status, 204);
  assertEquals((await listBackupCodes(service.kv, uuid)).length, 9);
});

Deno.test("an MFA reset waits 48 hours, then removes the authenticator and the next login enrolls", async () => {
  // Sessions that can outlive the wait, kept alive below, to see the reset end them.
  using service = await createTestService({
    env: {
      SESSION_ABSOLUTE_SECONDS: String(3 * 24 * 60 * 60),
      SESSION_IDLE_SECONDS: String(24 * 60 * 60),
    },
  });
  const accountId = await registerAccount(service);
  const { body } = await enrollAndLogIn(service, accountId);
  let refreshToken = body.refreshToken as string;
  const refresh = () =>
    service.request("/v1/session/refresh", json({ refreshToken }));
  const uuid = (await findAccountByAccountId(service.kv, accountId))!.value.id;

  await requestRecovery(service, accountId);
  const started = await mfaReset(service, {
    accountId,
    code: lastCodeSentTo(service, accountId),
    newPasscode,
  });
  assertEquals(started.status, 202);
  const { effectiveAt } = await started.json();
  assertEquals(
    Date.parse(effectiveAt),
    service.clock.now() + 48 * 60 * 60 * 1000,
  );
  const announced = service.sent.at(-1)!;
  assertEquals(announced.kind, "mfa_reset_requested");
  assert(
    announced.text.includes(
      utcMinute(Date.parse(effectiveAt), "up"),
    ),
  );

  // Nothing changes during the wait: the old passcode still signs in.
  for (const hours of [20, 20]) {
    service.clock.advanceSeconds(hours * 60 * 60);
    const alive = await refresh();
    assertEquals(alive.status, 200);
    refreshToken = (await alive.json()).refreshToken;
  }
  service.clock.advanceSeconds(7 * 60 * 60);
  assertEquals(await service.sweepMfaResets(), 0);
  assert(await findTotpCredential(service.kv, uuid));
  assertEquals((await passcodeStep(service, accountId)).requires, ["mfa"]);

  service.clock.advanceSeconds(60 * 60);
  assertEquals(await service.sweepMfaResets(), 1);
  assertEquals(await service.sweepMfaResets(), 0);
  assertEquals(await findTotpCredential(service.kv, uuid), null);
  assertEquals((await listBackupCodes(service.kv, uuid)).length, 0);
  assertEquals(service.sent.at(-1)!.kind, "mfa_reset_completed");
  // The session, alive until now, has ended.
  assertEquals((await refresh()).status, 401);
  assert((await eventTypes(service, accountId)).includes("session_revoked"));
  assert(
    (await findWithdrawalHold(service.kv, uuid, service.clock.now())) !== null,
  );
  assertEquals(
    (await passcodeStep(service, accountId, undefined, newPasscode)).requires,
    ["mfa_enrollment"],
  );
  assert(
    (await eventTypes(service, accountId)).includes("mfa_reset_completed"),
  );
});

Deno.test("a sign-in with the old factor during the wait cancels the MFA reset", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  const { secret } = await enrollAndLogIn(service, accountId);
  const uuid = (await findAccountByAccountId(service.kv, accountId))!.value.id;
  await requestRecovery(service, accountId);
  const started = await mfaReset(service, {
    accountId,
    code: lastCodeSentTo(service, accountId),
    newPasscode,
  });
  assertEquals(started.status, 202);

  service.clock.advanceSeconds(60 * 60);
  await signInAgain(service, accountId, secret);
  assertEquals(service.sent.at(-1)!.kind, "mfa_reset_cancelled");
  assert(
    (await eventTypes(service, accountId)).includes("mfa_reset_cancelled"),
  );

  service.clock.advanceSeconds(48 * 60 * 60);
  assertEquals(await service.sweepMfaResets(), 0);
  assert(await findTotpCredential(service.kv, uuid));
  // The requested passcode never took effect.
  await signInAgain(service, accountId, secret);
  assertEquals(
    await passcodeVerdict(service, accountId, newPasscode),
    "invalid_credentials",
  );
});

Deno.test("an account that never enrolled an authenticator resets with the code alone", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  await requestRecovery(service, accountId);
  const code = lastCodeSentTo(service, accountId);
  // A factor it does not have is wrong, not ignored.
  const withFactor = await reset(service, {
    accountId,
    code,
    newPasscode,
    totp: "123456",
  });
  assertEquals((await withFactor.json()).code, "invalid_code");
  assertEquals(
    (await reset(service, { accountId, code, newPasscode })).status,
    204,
  );
  assertEquals(
    (await passcodeStep(service, accountId, undefined, newPasscode)).requires,
    ["mfa_enrollment"],
  );
});

Deno.test("a recovery code expires after 10 minutes", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  const { secret } = await enrollAndLogIn(service, accountId);
  await requestRecovery(service, accountId);
  const code = lastCodeSentTo(service, accountId);
  service.clock.advanceSeconds(10 * 60);
  const late = await reset(service, {
    accountId,
    code,
    newPasscode,
    totp: freshTotp(service, secret),
  });
  assertEquals((await late.json()).code, "invalid_code");
  assertEquals(
    await passcodeVerdict(service, accountId, strongPasscode),
    "accepted",
  );
});
