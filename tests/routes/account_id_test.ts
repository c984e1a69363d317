import { findAccountByAccountId } from "../../kv/accounts.ts";
import { findWithdrawalHold } from "../../kv/action_tokens.ts";
import {
  beginCompletion,
  commitLogin,
} from "../../lib/login/login_completion.ts";
import { assert, assertEquals } from "../helpers/assert.ts";
import {
  createTestService,
  eventTypes,
  freshTotp,
  json,
  lastCodeSentTo,
  passcodeStep,
  passcodeVerdict,
  registerAccount,
  signedInTwice,
  strongPasscode,
  type TestService,
} from "../helpers/service.ts";

const requestChange = (
  service: TestService,
  headers: Record<string, string>,
  body: Record<string, unknown>,
) => service.request("/v1/account-id", json(body, "PUT", headers));

const verifyChange = (
  service: TestService,
  headers: Record<string, string>,
  code: string,
) => service.request("/v1/account-id/verify", json({ code }, "POST", headers));

Deno.test("changing the account ID: code to the new address, notices, others signed out, hold", async () => {
  using service = await createTestService();
  // `second` makes the changes; `first` is somebody else's session.
  const { accountId, secret, first: other, second: current } =
    await signedInTwice(service);
  const uuid = (await findAccountByAccountId(service.kv, accountId))!.value.id;

  const wrongPasscode = await requestChange(service, current, {
    newAccountId: "moved@example.com",
    passcode: "not the passcode at all",
    totp: freshTotp(service, secret),
  });
  assertEquals((await wrongPasscode.json()).code, "invalid_credentials");
  const same = await requestChange(service, current, {
    newAccountId: accountId.toUpperCase(),
    passcode: strongPasscode,
    totp: freshTotp(service, secret),
  });
  assertEquals((await same.json()).code, "invalid_request");

  const requested = await requestChange(service, current, {
    newAccountId: "  Moved@Example.COM ",
    passcode: strongPasscode,
    totp: freshTotp(service, secret),
  });
  assertEquals(requested.status, 202);
  assertEquals(await requested.json(), {
    status: "verification_sent",
    accountId: "moved@example.com",
  });
  const notice = service.sent.findLast((m) => m.to === accountId)!;
  assertEquals(notice.kind, "account_id_change_requested");
  assert(notice.text.includes("moved@example.com"));
  const code = lastCodeSentTo(service, "moved@example.com");
  assertEquals(
    service.sent.findLast((m) => m.to === "moved@example.com")!.kind,
    "account_id_change_code",
  );

  // Nothing changes before the code; a wrong one changes nothing either.
  assertEquals((await verifyChange(service, current, "000000")).status, 400);
  assert(await findAccountByAccountId(service.kv, accountId));

  const responses = await Promise.all(
    Array.from({ length: 5 }, () => verifyChange(service, current, code)),
  );
  assertEquals(
    responses.map((response) => response.status).sort(),
    [204, 400, 400, 400, 400],
  );
  await Promise.all(responses.map((response) => response.body?.cancel()));

  assertEquals(await findAccountByAccountId(service.kv, accountId), null);
  const moved = await findAccountByAccountId(service.kv, "moved@example.com");
  assertEquals(moved?.value.id, uuid);
  assertEquals(
    service.sent.filter((m) => m.kind === "account_id_changed")
      .map((m) => m.to).sort(),
    [accountId, "moved@example.com"].sort(),
  );
  assert(
    (await findWithdrawalHold(service.kv, uuid, service.clock.now())) !== null,
  );
  assert(
    (await eventTypes(service, "moved@example.com")).includes(
      "account_id_changed",
    ),
  );
  const kept = await service.request("/v1/session", { headers: current });
  assertEquals((await kept.json()).accountId, "moved@example.com");
  const ended = await service.request("/v1/session", { headers: other });
  assertEquals((await ended.json()).code, "session_revoked");

  // The new ID signs in; the old one is unknown now.
  assertEquals(
    await passcodeVerdict(service, accountId, strongPasscode),
    "invalid_credentials",
  );
  assertEquals(
    (await passcodeStep(service, "moved@example.com")).requires,
    ["mfa"],
  );
});

Deno.test("a login committing across an ID change starts with the new ID", async () => {
  using service = await createTestService();
  const { accountId, secret, second: current } = await signedInTwice(service);
  const before = await service.request("/v1/session", { headers: current });
  assertEquals((await before.json()).accountId, accountId);
  await requestChange(service, current, {
    newAccountId: "moved@example.com",
    passcode: strongPasscode,
    totp: freshTotp(service, secret),
  });
  const code = lastCodeSentTo(service, "moved@example.com");
  const { ticket } = await passcodeStep(service, accountId);

  // The whole change (commit, other sessions ended) lands between the login's
  // read of the account and its commit: the worst moment for a copied ID.
  const origin = { ip: "192.0.2.1", userAgent: "test" };
  const pending = await beginCompletion(service.deps, ticket, origin, ["pwd"]);
  let changed: Response | undefined;
  await commitLogin(service.deps, pending, origin, [], async () => {
    changed ??= await verifyChange(service, current, code);
  });
  assertEquals(changed?.status, 204);

  const session = await service.request("/v1/session", {
    headers: { authorization: `Bearer ${pending.completed.accessToken}` },
  });
  assertEquals((await session.json()).accountId, "moved@example.com");
});

Deno.test("an address that has an account gets a notice and no code; the answer is the same", async () => {
  using service = await createTestService();
  const taken = await registerAccount(service);
  const { accountId, secret, second: current } = await signedInTwice(service);

  const response = await requestChange(service, current, {
    newAccountId: taken,
    passcode: strongPasscode,
    totp: freshTotp(service, secret),
  });
  assertEquals(response.status, 202);
  assertEquals(await response.json(), {
    status: "verification_sent",
    accountId: taken,
  });
  const toTaken = service.sent.findLast((m) => m.to === taken)!;
  assertEquals(toTaken.kind, "registration_notice");
  assert(!/\b\d{6}\b/.test(toTaken.text));
  for (const guess of ["000000", "123456"]) {
    assertEquals((await verifyChange(service, current, guess)).status, 400);
  }
  assertEquals(
    (await findAccountByAccountId(service.kv, accountId))!.value.accountId,
    accountId,
  );
});

Deno.test("an address registered between request and code is refused with 409", async () => {
  using service = await createTestService();
  const { accountId, secret, second: current } = await signedInTwice(service);
  const requested = await requestChange(service, current, {
    newAccountId: "race@example.com",
    passcode: strongPasscode,
    totp: freshTotp(service, secret),
  });
  assertEquals(requested.status, 202);
  const code = lastCodeSentTo(service, "race@example.com");
  await registerAccount(service, "race@example.com");
  const response = await verifyChange(service, current, code);
  assertEquals(response.status, 409);
  assertEquals((await response.json()).code, "conflict");
  assertEquals(
    (await findAccountByAccountId(service.kv, accountId))!.value.accountId,
    accountId,
  );
});
