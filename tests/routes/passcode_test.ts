import { findAccountByAccountId } from "../../kv/accounts.ts";
import { findWithdrawalHold } from "../../kv/action_tokens.ts";
import { assert, assertEquals } from "../helpers/assert.ts";
import {
  createTestService,
  enrollAndLogIn,
  eventTypes,
  freshTotp,
  json,
  passcodeStep,
  passcodeVerdict,
  registerAccount,
  signInAgain,
  strongPasscode,
  type TestService,
} from "../helpers/service.ts";

const newPasscode = "violet kestrel under 9 lanterns";

const changePasscode = (
  service: TestService,
  authorization: string,
  body: Record<string, unknown>,
) =>
  service.request(
    "/v1/passcode",
    json(body, "PUT", { authorization }),
  );

Deno.test("PUT /v1/passcode checks the current passcode, the factor and the policy, then signs out the others", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  const { secret, body } = await enrollAndLogIn(service, accountId);
  const other = `Bearer ${body.accessToken}`;
  const { authorization } = await signInAgain(service, accountId, secret);
  const account = (await findAccountByAccountId(service.kv, accountId))!.value;

  const refusals: [Record<string, unknown>, number, string][] = [
    [
      {
        currentPasscode: strongPasscode,
        newPasscode: "password123",
        totp: freshTotp(service, secret),
      },
      400,
      "weak_passcode",
    ],
    [
      {
        currentPasscode: strongPasscode,
        newPasscode: strongPasscode,
        totp: "000000",
      },
      400,
      "weak_passcode",
    ],
    [{ currentPasscode: strongPasscode, newPasscode }, 400, "invalid_request"],
    [
      {
        currentPasscode: "not my passcode at all",
        newPasscode,
        totp: freshTotp(service, secret),
      },
      400,
      "invalid_credentials",
    ],
    [
      { currentPasscode: strongPasscode, newPasscode, totp: "000000" },
      400,
      "invalid_code",
    ],
  ];
  for (const [request, status, code] of refusals) {
    const response = await changePasscode(service, authorization, request);
    assertEquals(response.status, status, JSON.stringify(request));
    assertEquals((await response.json()).code, code);
  }
  assertEquals(
    (await findAccountByAccountId(service.kv, accountId))!.value.passcodeHash,
    account.passcodeHash,
  );
  assertEquals(service.sent.some((m) => m.kind === "passcode_changed"), false);

  const changed = await changePasscode(service, authorization, {
    currentPasscode: strongPasscode,
    newPasscode,
    totp: freshTotp(service, secret),
  });
  assertEquals(changed.status, 204);

  // The session that changed it stays; every other one has ended.
  assertEquals(
    (await service.request("/v1/session", { headers: { authorization } }))
      .status,
    200,
  );
  const ended = await service.request("/v1/session", {
    headers: { authorization: other },
  });
  assertEquals((await ended.json()).code, "session_revoked");

  const message = service.sent.findLast((m) => m.kind === "passcode_changed");
  assertEquals(message?.to, accountId);
  const events = await eventTypes(service, accountId);
  assert(events.includes("passcode_changed"));
  assert(events.includes("confirmation_failed"));
  assert(
    (await findWithdrawalHold(service.kv, account.id, service.clock.now())) !==
      null,
  );

  // The old passcode no longer signs in; the new one does.
  assertEquals(
    await passcodeVerdict(service, accountId, strongPasscode),
    "invalid_credentials",
  );
  const state = await passcodeStep(service, accountId, undefined, newPasscode);
  assertEquals(state.requires, ["mfa"]);
});

Deno.test("wrong confirmations lock security changes after 5, however many race", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  const { secret, body } = await enrollAndLogIn(service, accountId);
  const authorization = `Bearer ${body.accessToken}`;

  const responses = await Promise.all(
    Array.from({ length: 20 }, () =>
      service.request(
        "/v1/anti-phishing-code",
        json({ code: "Blue-Otter", totp: "000000" }, "PUT", { authorization }),
      )),
  );
  const codes = await Promise.all(
    responses.map(async (response) => (await response.json()).code),
  );
  assertEquals(codes.filter((code) => code === "invalid_code").length, 5);
  assertEquals(codes.filter((code) => code === "account_locked").length, 15);
  const locked = responses.find((response) => response.status === 423)!;
  assert(Number(locked.headers.get("Retry-After")) > 7000);

  // Even the right code waits for the lock; logins are not affected by it.
  const right = await service.request(
    "/v1/anti-phishing-code",
    json({ code: "Blue-Otter", totp: freshTotp(service, secret) }, "PUT", {
      authorization,
    }),
  );
  assertEquals(right.status, 423);
  await signInAgain(service, accountId, secret);
  const failures = (await eventTypes(service, accountId))
    .filter((type) => type === "confirmation_failed");
  assertEquals(failures.length, 5);

  service.clock.advanceSeconds(2 * 60 * 60);
  const again = await signInAgain(service, accountId, secret);
  const later = await service.request(
    "/v1/anti-phishing-code",
    json(
      { code: "Blue-Otter", totp: freshTotp(service, secret) },
      "PUT",
      again,
    ),
  );
  assertEquals(later.status, 204);
});
