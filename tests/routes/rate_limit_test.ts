import {
  clientKey as rateLimitClient,
  networkOf,
} from "../../lib/runtime/client_address.ts";
import { assert, assertEquals } from "../helpers/assert.ts";
import { createTestService, json, solveCaptcha } from "../helpers/service.ts";

Deno.test("the CAPTCHA route allows its budget per IP, then 429 with Retry-After", async () => {
  using service = await createTestService({
    env: { RATE_LIMIT_CAPTCHA: "3/60s" },
  });
  const statuses = [];
  for (let i = 0; i < 3; i++) {
    const response = await service.request(
      "/v1/captcha",
      undefined,
      "203.0.113.9",
    );
    statuses.push(response.status);
    assertEquals(
      response.headers.get("ratelimit-policy"),
      '"captcha";q=3;w=60',
    );
    assert(
      response.headers.get("ratelimit")?.startsWith(`"captcha";r=${2 - i};t=`),
    );
    await response.body?.cancel();
  }
  assertEquals(statuses, [200, 200, 200]);
  const refused = await service.request(
    "/v1/captcha",
    undefined,
    "203.0.113.9",
  );
  assertEquals(refused.status, 429);
  const body = await refused.json();
  assertEquals(body.code, "rate_limited");
  const retryAfter = Number(refused.headers.get("retry-after"));
  assert(retryAfter >= 1 && retryAfter <= 60);

  const other = await service.request("/v1/captcha", undefined, "203.0.113.10");
  assertEquals(other.status, 200);
  service.clock.advanceSeconds(60);
  assertEquals(
    (await service.request("/v1/captcha", undefined, "203.0.113.9")).status,
    200,
  );
});

Deno.test("a spent login budget refuses before the CAPTCHA and the hash; a lock costs no budget", async () => {
  let hashes = 0;
  using service = await createTestService({
    env: { RATE_LIMIT_LOGIN: "5/60s", CAPTCHA_MODE: "off" },
  });
  const verify = service.deps.hasher.verify;
  service.deps.hasher.verify = (...args) => {
    hashes++;
    return verify(...args);
  };
  for (let i = 0; i < 5; i++) {
    const wrong = await service.request(
      "/v1/login",
      json({ accountId: "x@example.com", passcode: `wrong ${i}` }),
    );
    assertEquals(wrong.status, 401);
    await wrong.body?.cancel();
  }
  // Locked now: answered from the lock, with budget left for nobody and no hash.
  for (let i = 0; i < 10; i++) {
    const locked = await service.request(
      "/v1/login",
      json({ accountId: "x@example.com", passcode: "another" }),
    );
    assertEquals(locked.status, 423);
    await locked.body?.cancel();
  }
  assertEquals(hashes, 5);
  const refused = await service.request(
    "/v1/login",
    json({ accountId: "y@example.com", passcode: "p" }),
  );
  assertEquals(refused.status, 429);
  assert(refused.headers.get("retry-after"));
  await refused.body?.cancel();
  assertEquals(hashes, 5);
});

Deno.test("a login's admission: a reused CAPTCHA spends budget but no attempt; a spent budget answers before the CAPTCHA is checked", async () => {
  using service = await createTestService({
    env: { RATE_LIMIT_LOGIN: "3/60s" },
  });
  const login = (captcha: string, passcode = "wrong wrong wrong 9") =>
    service.request(
      "/v1/login",
      json({ accountId: "z@example.com", passcode, captcha }),
    );
  const captcha = await solveCaptcha(service);
  const first = await login(captcha);
  assertEquals(first.status, 401);
  const remaining = (response: Response) =>
    /;r=(\d+);/.exec(response.headers.get("ratelimit") ?? "")?.[1];
  assertEquals(remaining(first), "2");
  await first.body?.cancel();

  // The same solution again: refused, counted against the network, no attempt used.
  const reused = await login(captcha);
  assertEquals((await reused.json()).code, "captcha_invalid");
  assertEquals(remaining(reused), "1");
  const failures = await service.kv.get<{ failures: number }>([
    "login_failures",
    "z@example.com",
  ]);
  assertEquals(failures.value?.failures, 1);

  const last = await login(await solveCaptcha(service));
  assertEquals(last.status, 401);
  await last.body?.cancel();
  // Budget spent: 429 even for a payload that is not a CAPTCHA at all, and the
  // solution of a refused request stays unspent.
  const garbage = await login("not a captcha");
  assertEquals(garbage.status, 429);
  await garbage.body?.cancel();
  const unspent = await solveCaptcha(service);
  const refused = await login(unspent);
  assertEquals(refused.status, 429);
  await refused.body?.cancel();
  service.clock.advanceSeconds(60);
  const later = await login(unspent);
  assertEquals(later.status, 401);
  await later.body?.cancel();
});

Deno.test("X-Forwarded-For is ignored without TRUSTED_PROXY and honoured with it", async () => {
  using direct = await createTestService({
    env: { RATE_LIMIT_CAPTCHA: "1/60s" },
  });
  const spoof = (ip: string) => ({ headers: { "x-forwarded-for": ip } });
  assertEquals(
    (await direct.request("/v1/captcha", spoof("1.1.1.1"), "198.51.100.1"))
      .status,
    200,
  );
  assertEquals(
    (await direct.request("/v1/captcha", spoof("2.2.2.2"), "198.51.100.1"))
      .status,
    429,
  );

  using proxied = await createTestService({
    env: { RATE_LIMIT_CAPTCHA: "1/60s", TRUSTED_PROXY: "1" },
  });
  assertEquals(
    (await proxied.request(
      "/v1/captcha",
      spoof("9.9.9.9, 1.1.1.1"),
      "10.0.0.1",
    )).status,
    200,
  );
  assertEquals(
    (await proxied.request(
      "/v1/captcha",
      spoof("8.8.8.8, 2.2.2.2"),
      "10.0.0.1",
    )).status,
    200,
  );
  // The client may write anything left of what our proxy appended: it does not help.
  assertEquals(
    (await proxied.request(
      "/v1/captcha",
      spoof("7.7.7.7, 1.1.1.1"),
      "10.0.0.1",
    )).status,
    429,
  );
});

Deno.test("IPv6 clients are counted per /64", () => {
  assertEquals(rateLimitClient("2001:db8:1:2:3:4:5:6"), "2001:db8:1:2::/64");
  assertEquals(rateLimitClient("2001:db8:1:2::9"), "2001:db8:1:2::/64");
  assertEquals(rateLimitClient("2001:db8::1"), "2001:db8::/64");
  assertEquals(rateLimitClient("203.0.113.9"), "203.0.113.9");
  assertEquals(networkOf("203.0.113.9"), "203.0.113.0/24");
  assertEquals(networkOf("2001:db8:1:2::9"), "2001:db8:1::/48");
});

Deno.test("counters do not leak keys: after expiry the sweep leaves the prefixes empty", async () => {
  using service = await createTestService({
    env: { RATE_LIMIT_CAPTCHA: "5/60s" },
  });
  for (let i = 0; i < 20; i++) {
    await (await service.request("/v1/captcha", undefined, `203.0.113.${i}`))
      .body?.cancel();
  }
  for (let i = 0; i < 3; i++) {
    await service.request(
      "/v1/login",
      json({
        accountId: `ghost${i}@example.com`,
        passcode: "wrong 12345 x",
        captcha: await solveCaptcha(service),
      }),
    );
  }
  const count = async (prefix: string) =>
    (await Array.fromAsync(service.kv.list({ prefix: [prefix] }))).length;
  assert(await count("rate_limits") >= 20);
  assertEquals(await count("login_failures"), 3);
  assertEquals(await service.sweepCounters(), 0, "nothing has expired yet");

  service.clock.advanceSeconds(24 * 60 * 60);
  assert(await service.sweepCounters() >= 23);
  assertEquals(await count("rate_limits"), 0);
  assertEquals(await count("login_failures"), 0);
});
