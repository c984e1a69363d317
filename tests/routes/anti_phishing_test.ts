import { totpCodeAt } from "../../lib/crypto/totp.ts";
import { assertEquals } from "../helpers/assert.ts";
import {
  createTestService,
  enrollAndLogIn,
  json,
  registerAccount,
  solveCaptcha,
} from "../helpers/service.ts";

Deno.test("the anti-phishing code is set with a second factor and appears in later messages", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  const { secret, body } = await enrollAndLogIn(service, accountId);
  const headers = { authorization: `Bearer ${body.accessToken}` };
  assertEquals(
    await (await service.request("/v1/anti-phishing-code", { headers })).json(),
    { code: null },
  );

  for (const code of ["abc", "a".repeat(21), "with space", "ümlaut"]) {
    const bad = await service.request(
      "/v1/anti-phishing-code",
      json({ code, totp: "123456" }, "PUT", headers),
    );
    assertEquals(bad.status, 400, code);
    assertEquals((await bad.json()).code, "invalid_request");
  }
  const wrongFactor = await service.request(
    "/v1/anti-phishing-code",
    json({ code: "Blue-Otter_7", totp: "000000" }, "PUT", headers),
  );
  assertEquals(wrongFactor.status, 400);
  assertEquals((await wrongFactor.json()).code, "invalid_code");

  service.clock.advanceSeconds(30);
  const set = await service.request(
    "/v1/anti-phishing-code",
    json(
      { code: "Blue-Otter_7", totp: totpCodeAt(secret, service.clock.now()) },
      "PUT",
      headers,
    ),
  );
  assertEquals(set.status, 204);
  assertEquals(
    await (await service.request("/v1/anti-phishing-code", { headers })).json(),
    {
      code: "Blue-Otter_7",
    },
  );
  const confirmation = service.sent.at(-1)!;
  assertEquals(confirmation.kind, "anti_phishing_code_set");
  assertEquals(
    confirmation.text.split("\n")[0],
    "Anti-phishing code: Blue-Otter_7",
  );

  // A new-device code sent afterwards carries it too.
  await service.request(
    "/v1/login",
    json({
      accountId,
      passcode: "correct horse battery staple 42!",
      captcha: await solveCaptcha(service),
    }),
  );
  const deviceCode = service.sent.at(-1)!;
  assertEquals(deviceCode.kind, "device_verification_code");
  assertEquals(deviceCode.subject.endsWith(" [Blue-Otter_7]"), true);
});
