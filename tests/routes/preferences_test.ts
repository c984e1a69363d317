/**
 * The account's language (`GET`/`PUT /v1/preferences`): chosen at registration from the
 * request, changed by the owner, and the language of every message after.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import {
  createTestService,
  enrollAndLogIn,
  freshTotp,
  json,
  registerAccount,
  solveCaptcha,
  strongPasscode,
} from "../helpers/service.ts";

const bearer = (body: Record<string, unknown>) => ({
  authorization: `Bearer ${body.accessToken}`,
});

Deno.test("an account registered from a Chinese browser gets its messages in Chinese until the owner picks German", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(
    service,
    undefined,
    strongPasscode,
    { "accept-language": "zh-TW;q=0.9, zh-CN, en;q=0.5" },
  );
  const code = service.sent.find((m) => m.to === accountId)!;
  assertEquals(code.kind, "registration_code");
  assertEquals(code.subject, "您的验证码");
  const { secret, body } = await enrollAndLogIn(service, accountId);
  const read = await service.request("/v1/preferences", {
    headers: bearer(body),
  });
  assertEquals(await read.json(), { language: "zh-Hans" });
  assert(
    service.sent.at(-1)!.text.startsWith("您尚未设置防钓鱼码"),
    service.sent.at(-1)!.text,
  );

  const changed = await service.request(
    "/v1/preferences",
    json({ language: "de" }, "PUT", bearer(body)),
  );
  assertEquals(changed.status, 204);
  assertEquals(
    await (await service.request("/v1/preferences", {
      headers: bearer(body),
    })).json(),
    { language: "de" },
  );
  const set = await service.request(
    "/v1/anti-phishing-code",
    json({ code: "Blaue-Otter", totp: freshTotp(service, secret) }, "PUT", {
      ...bearer(body),
      "accept-language": "en",
    }),
  );
  assertEquals(set.status, 204);
  const notice = service.sent.at(-1)!;
  assertEquals(notice.kind, "anti_phishing_code_set");
  assertEquals(notice.text.split("\n")[0], "Anti-Phishing-Code: Blaue-Otter");
  assert(notice.html!.includes('<html lang="de">'));
});

Deno.test("a language the service does not speak, or no session, changes nothing", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  const { body } = await enrollAndLogIn(service, accountId);
  for (const language of ["fr", "", "zh", "EN", 7, null, "x".repeat(10_000)]) {
    const refused = await service.request(
      "/v1/preferences",
      json({ language }, "PUT", bearer(body)),
    );
    assertEquals(refused.status, 400, String(language).slice(0, 20));
    assertEquals(
      refused.headers.get("content-type"),
      "application/problem+json",
    );
    assertEquals((await refused.json()).code, "invalid_request");
  }
  const unsigned = await service.request(
    "/v1/preferences",
    json({ language: "de" }, "PUT"),
  );
  assertEquals(unsigned.status, 401);
  const read = await service.request("/v1/preferences", {
    headers: bearer(body),
  });
  assertEquals(await read.json(), { language: "en" });
});

Deno.test("before an account exists the language switch's cookie outranks Accept-Language", async () => {
  using service = await createTestService();
  const started = await service.request(
    "/v1/accounts",
    json(
      {
        accountId: "lena@example.com",
        passcode: strongPasscode,
        captcha: await solveCaptcha(service),
      },
      "POST",
      { cookie: "lang=de", "accept-language": "zh-CN" },
    ),
  );
  assertEquals(started.status, 202);
  assertEquals(service.sent.at(-1)!.subject, "Ihr Bestätigungscode");
  // A cookie naming no language of the service falls through to the header.
  await service.request(
    "/v1/accounts",
    json(
      {
        accountId: "li@example.com",
        passcode: strongPasscode,
        captcha: await solveCaptcha(service),
      },
      "POST",
      { cookie: "lang=xx", "accept-language": "zh-CN" },
    ),
  );
  assertEquals(service.sent.at(-1)!.subject, "您的验证码");
});
