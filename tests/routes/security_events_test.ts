import { assert, assertEquals } from "../helpers/assert.ts";
import {
  createTestService,
  enrollAndLogIn,
  json,
  registerAccount,
  signInAgain,
  solveCaptcha,
} from "../helpers/service.ts";

Deno.test("GET /v1/security/events pages newest first with a cursor and hides events past 180 days", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  // 24 stranger guesses in bursts of 4, two hours apart: failures and locks to record.
  for (let i = 0; i < 24; i++) {
    await service.request(
      "/v1/login",
      json({
        accountId,
        passcode: `wrong passcode ${i}!`,
        captcha: await solveCaptcha(service),
      }),
      `203.0.113.${i}`,
    );
    if (i % 4 === 3) service.clock.advanceSeconds(2 * 60 * 60);
  }
  const { body, secret } = await enrollAndLogIn(service, accountId);
  const headers = { authorization: `Bearer ${body.accessToken}` };

  const first =
    await (await service.request("/v1/security/events", { headers })).json();
  assertEquals(first.events.length, 20);
  assertEquals(first.events[0].type, "login_succeeded");
  assertEquals(Object.keys(first.events[0]).sort(), [
    "at",
    "ip",
    "type",
    "userAgent",
  ]);
  const times = first.events.map((event: { at: string }) =>
    Date.parse(event.at)
  );
  assert(
    times.every((time: number, i: number) => i === 0 || times[i - 1] >= time),
    "newest first",
  );
  assert(typeof first.cursor === "string");

  const second = await (await service.request(
    `/v1/security/events?cursor=${encodeURIComponent(first.cursor)}`,
    { headers },
  )).json();
  // 1 account_created + 24 login_failed + 5 lock-related + mfa_enrolled + login_succeeded, at least.
  assert(second.events.length > 0);
  const types = [...first.events, ...second.events].map((
    event: { type: string },
  ) => event.type);
  assertEquals(types.at(-1), "account_created");
  assertEquals(
    new Set(types.map((t: string, i: number) => `${t}${i}`)).size,
    types.length,
  );

  // 181 days on, only what happened since is shown.
  service.clock.advanceSeconds(181 * 24 * 60 * 60);
  const recentHeaders = await signInAgain(service, accountId, secret);
  const recent = await (await service.request("/v1/security/events", {
    headers: recentHeaders,
  })).json();
  assertEquals(recent.events.map((event: { type: string }) => event.type), [
    "login_succeeded",
  ]);
  assertEquals(recent.cursor, null);
});
