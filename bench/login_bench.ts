/**
 * `deno task bench`: what a guess costs the service. A locked account must be refused for
 * about the price of a KV read; a wrong passcode costs one Argon2id verification.
 */
import { createTestService, json } from "../tests/helpers/service.ts";

const service = await createTestService({ env: { CAPTCHA_MODE: "off" } });
for (let i = 0; i < 5; i++) {
  await service.request(
    "/v1/login",
    json({ accountId: "locked@example.com", passcode: "wrong guess 1234" }),
  );
}
let counter = 0;

Deno.bench("login: locked account rejected (423)", {
  group: "login",
  baseline: true,
}, async () => {
  const response = await service.request(
    "/v1/login",
    json({ accountId: "locked@example.com", passcode: "wrong guess 1234" }),
  );
  if (response.status !== 423) {
    throw new Error(`expected 423, got ${response.status}`);
  }
  await response.body?.cancel();
});

Deno.bench(
  "login: wrong passcode (401, one Argon2id)",
  { group: "login" },
  async () => {
    // A fresh unknown ID each time, so the lockout never turns this into the first case.
    const response = await service.request(
      "/v1/login",
      json({
        accountId: `guess${counter++}@example.com`,
        passcode: "wrong guess 1234",
      }),
    );
    if (response.status !== 401) {
      throw new Error(
        `expected 401, got ${response.status}`,
      );
    }
    await response.body?.cancel();
  },
);
