import { totpCodeAt } from "../../lib/crypto/totp.ts";
import { utcMinute } from "../../lib/messages/messages.ts";
import { assert, assertEquals } from "../helpers/assert.ts";
import { addPasskey } from "../helpers/passkeys.ts";
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

const dayMs = 24 * 60 * 60 * 1000;

/**
 * Runs a change and checks what it says about the withdrawal hold: the answer's
 * `Withdrawal-Hold-Until` and every message it sends to `to` name the hold's end, or
 * (`starts: false`) neither mentions one.
 */
async function expectHold(
  service: TestService,
  to: string,
  starts: boolean,
  change: () => Promise<Response>,
): Promise<string | null> {
  const before = service.sent.length;
  const response = await change();
  assert(response.ok, `${response.status} ${await response.clone().text()}`);
  await response.body?.cancel();
  await service.deps.deliverer.settled();
  const header = response.headers.get("withdrawal-hold-until");
  const messages = service.sent.slice(before).filter((message) =>
    message.to === to
  );
  assert(messages.length > 0, "the change is announced");
  if (!starts) {
    assertEquals(header, null);
    for (const message of messages) {
      assert(!message.text.includes("Withdrawals are"), message.kind);
    }
    return null;
  }
  assertEquals(header, new Date(service.clock.now() + dayMs).toISOString());
  const line = `Withdrawals are paused until ${
    utcMinute(Date.parse(header!), "up")
  }.`;
  for (const message of messages) {
    assert(message.text.includes(line), `${message.kind}: ${message.text}`);
  }
  return header;
}

Deno.test("every change that starts the withdrawal hold says until when, in its message and its answer", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  const { secret, body } = await enrollAndLogIn(service, accountId);
  const token = String(body.accessToken);
  const bearer = { authorization: `Bearer ${token}` };
  const withdrawal = () =>
    service.request(
      "/v1/step-up",
      json(
        { tradingPasscode: "284915", action: "withdrawal" },
        "POST",
        bearer,
      ),
    );
  const trading = () =>
    service.request(
      "/v1/trading-passcode",
      json(
        { tradingPasscode: "284915", totp: freshTotp(service, secret) },
        "PUT",
        bearer,
      ),
    );

  await expectHold(service, accountId, false, trading);
  await expectHold(
    service,
    accountId,
    false,
    () =>
      service.request(
        "/v1/anti-phishing-code",
        json(
          { code: "Blue-Otter_7", totp: freshTotp(service, secret) },
          "PUT",
          bearer,
        ),
      ),
  );

  let passkeyId = "";
  const added = await expectHold(service, accountId, true, async () => {
    const { authenticator, response } = await addPasskey(
      service,
      token,
      secret,
    );
    passkeyId = authenticator.credentialId;
    return response;
  });
  const held = await withdrawal();
  assertEquals(held.status, 403);
  assertEquals((await held.json()).holdUntil, added, "the hold step-up sees");

  await expectHold(
    service,
    accountId,
    true,
    () =>
      service.request(
        `/v1/devices/${passkeyId}`,
        json({ totp: freshTotp(service, secret) }, "DELETE", bearer),
      ),
  );
  await expectHold(
    service,
    accountId,
    true,
    () =>
      service.request(
        "/v1/mfa/backup-codes",
        json({ totp: freshTotp(service, secret) }, "POST", bearer),
      ),
  );
  await expectHold(service, accountId, true, trading);
  const newPasscode = "violet harbour lanterns drift 88";
  await expectHold(
    service,
    accountId,
    true,
    () =>
      service.request(
        "/v1/passcode",
        json(
          {
            currentPasscode: strongPasscode,
            newPasscode,
            totp: freshTotp(service, secret),
          },
          "PUT",
          bearer,
        ),
      ),
  );

  const newAccountId = `moved${crypto.randomUUID().slice(0, 6)}@example.com`;
  const asked = await service.request(
    "/v1/account-id",
    json(
      {
        newAccountId,
        passcode: newPasscode,
        totp: freshTotp(service, secret),
      },
      "PUT",
      bearer,
    ),
  );
  assertEquals(asked.status, 202);
  await expectHold(
    service,
    newAccountId,
    true,
    () =>
      service.request(
        "/v1/account-id/verify",
        json({ code: lastCodeSentTo(service, newAccountId) }, "POST", bearer),
      ),
  );

  await (await requestRecovery(service, newAccountId)).body?.cancel();
  service.clock.advanceSeconds(30);
  await expectHold(
    service,
    newAccountId,
    true,
    () =>
      service.request(
        "/v1/recovery/reset",
        json({
          accountId: newAccountId,
          code: lastCodeSentTo(service, newAccountId),
          newPasscode: "quiet meadow copper kites 51",
          totp: totpCodeAt(secret, service.clock.now()),
        }),
      ),
  );
});

Deno.test("removing a browser, which ends its sessions but adds no way in, holds nothing", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  const { secret, body } = await enrollAndLogIn(service, accountId);
  const bearer = { authorization: `Bearer ${body.accessToken}` };
  const devices: { id: string; kind: string }[] =
    await (await service.request("/v1/devices", { headers: bearer })).json();
  const browser = devices.find((device) => device.kind === "browser")!;
  await expectHold(
    service,
    accountId,
    false,
    () =>
      service.request(
        `/v1/devices/${browser.id}`,
        json({ totp: freshTotp(service, secret) }, "DELETE", bearer),
      ),
  );
});
