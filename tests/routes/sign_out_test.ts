import { findAccountByAccountId } from "../../kv/accounts.ts";
import { listSessionRevocations } from "../../kv/session_revocations.ts";
import { listSecurityEvents } from "../../kv/security_events.ts";
import { commitAccountChange } from "../../lib/account/account_change.ts";
import { signOut } from "../../lib/sessions/session_revocation.ts";
import { assert, assertEquals } from "../helpers/assert.ts";
import {
  createTestService,
  freshTotp,
  json,
  signedInTwice,
  strongPasscode,
  type TestService,
} from "../helpers/service.ts";

/** An account signed in twice: the session making a change, and somebody else's. */
async function twoSessions(service: TestService) {
  const { accountId, secret, first, second } = await signedInTwice(service);
  const account = (await findAccountByAccountId(service.kv, accountId))!;
  return {
    secret,
    changer: first,
    other: second,
    accountUuid: account.value.id,
  };
}

const sessionStatus = async (
  service: TestService,
  headers: Record<string, string>,
) => (await service.request("/v1/session", { headers })).status;

Deno.test("a sign-out committed with a change is finished by the sweep when its request stopped", async () => {
  using service = await createTestService();
  const { changer, other, accountUuid } = await twoSessions(service);
  const changerSession = await (await service.request("/v1/session", {
    headers: changer,
  })).json();

  // The change commits with its sign-out, and the request stops right there.
  const origin = { ip: "198.51.100.9", userAgent: "the changer" };
  await commitAccountChange(service.deps, accountUuid, origin, (current) => ({
    next: { ...current, passcodeChangedAt: service.clock.now() },
    eventType: "passcode_changed",
    messages: [],
    holdWithdrawals: true,
    signOut: signOut(service.deps, { keep: changerSession.sessionId }),
  }));
  assertEquals(await sessionStatus(service, other), 200);
  // Its own request had a minute to finish it; the sweep leaves it that long.
  assertEquals(await service.sweepSessionRevocations(), 0);
  service.clock.advanceSeconds(61);
  assertEquals(await service.sweepSessionRevocations(), 1);

  assertEquals(await sessionStatus(service, other), 401);
  assertEquals(await sessionStatus(service, changer), 200);
  assertEquals(await service.sweepSessionRevocations(), 0);
  assertEquals(await listSessionRevocations(service.kv), []);
  const { events } = await listSecurityEvents(service.kv, accountUuid, {
    limit: 10,
    notBefore: 0,
  });
  const revoked = events.filter((event) => event.type === "session_revoked");
  assertEquals(revoked.length, 1);
  assertEquals(revoked[0].ip, "198.51.100.9");
});

Deno.test("changes that sign people out finish it themselves and leave nothing pending", async () => {
  using service = await createTestService();
  const { secret, changer, other } = await twoSessions(service);
  const changed = await service.request(
    "/v1/passcode",
    json(
      {
        currentPasscode: strongPasscode,
        newPasscode: "violet kestrel under 9 lanterns",
        totp: freshTotp(service, secret),
      },
      "PUT",
      changer,
    ),
  );
  assertEquals(changed.status, 204);
  assertEquals(await sessionStatus(service, other), 401);
  assertEquals(await sessionStatus(service, changer), 200);

  // Removing the browser both sessions started in ends them both.
  const devices = await (await service.request("/v1/devices", {
    headers: changer,
  })).json();
  const browser = devices.find((device: { kind: string }) =>
    device.kind === "browser"
  );
  assert(browser);
  const removed = await service.request(
    `/v1/devices/${browser.id}`,
    json({ totp: freshTotp(service, secret) }, "DELETE", changer),
  );
  assertEquals(removed.status, 204);
  assertEquals(await sessionStatus(service, changer), 401);

  assertEquals(await listSessionRevocations(service.kv), []);
  service.clock.advanceSeconds(61);
  assertEquals(await service.sweepSessionRevocations(), 0);
});
