import { assert, assertEquals } from "../helpers/assert.ts";
import { createLocalJWKSet } from "jose";
import {
  createTestService,
  json,
  lastCodeSentTo,
  solveCaptcha,
  strongPasscode,
} from "../helpers/service.ts";

async function problem(response: Response) {
  assertEquals(
    response.headers.get("content-type"),
    "application/problem+json",
  );
  const body = await response.json();
  for (const field of ["type", "title", "status", "detail", "code"]) {
    assert(field in body, `problem body lacks ${field}`);
  }
  assertEquals(body.status, response.status);
  return body;
}

Deno.test("unknown paths are problem+json 404 not_found", async () => {
  using service = await createTestService();
  const response = await service.request("/v1/nothing-here");
  assertEquals(response.status, 404);
  assertEquals((await problem(response)).code, "not_found");
});

Deno.test("a known path with the wrong method is 405 with Allow", async () => {
  using service = await createTestService();
  const response = await service.request("/v1/accounts", { method: "GET" });
  assertEquals(response.status, 405);
  assertEquals(response.headers.get("allow"), "POST");
  assertEquals((await problem(response)).code, "invalid_request");
});

Deno.test("malformed JSON is 400 invalid_request", async () => {
  using service = await createTestService();
  const response = await service.request("/v1/accounts", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: '{"accountId": ',
  });
  assertEquals(response.status, 400);
  assertEquals((await problem(response)).code, "invalid_request");
});

Deno.test("schema failures list every bad field in errors[]", async () => {
  using service = await createTestService();
  const response = await service.request(
    "/v1/accounts",
    json({ accountId: 42, captcha: "x" }),
  );
  assertEquals(response.status, 400);
  const body = await problem(response);
  assertEquals(body.code, "invalid_request");
  const paths = body.errors.map((error: { path: string }) => error.path).sort();
  assertEquals(paths, ["accountId", "passcode"]);
});

Deno.test("a non-JSON content type is refused as invalid_request", async () => {
  using service = await createTestService();
  const response = await service.request("/v1/accounts", {
    method: "POST",
    headers: { "content-type": "text/plain" },
    body: "accountId=a@example.com",
  });
  assertEquals(response.status, 400);
  assertEquals((await problem(response)).code, "invalid_request");
});

Deno.test("bodies over 16 KiB are 413 payload_too_large, by declared length or by count", async () => {
  using service = await createTestService();
  const big = JSON.stringify({ accountId: "a".repeat(17 * 1024) });
  let pulled = false;
  const declared = await service.request("/v1/accounts", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "content-length": String(big.length),
    },
    // A declared length is refused before a byte of the body is read.
    body: new ReadableStream({
      pull(controller) {
        pulled = true;
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    }, { highWaterMark: 0 }),
  });
  assertEquals(declared.status, 413);
  assertEquals((await problem(declared)).code, "payload_too_large");
  assertEquals(pulled, false);
  for (const body of [big, new Blob([big]).stream()]) {
    const counted = await service.request("/v1/accounts", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    assertEquals(counted.status, 413);
    assertEquals((await problem(counted)).code, "payload_too_large");
  }
  assertEquals(service.sent.length, 0);
});

Deno.test("a body within its declared length is read as usual", async () => {
  using service = await createTestService();
  const body = JSON.stringify({ accountId: "not an id", passcode: "x" });
  const response = await service.request("/v1/accounts", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "content-length": String(new TextEncoder().encode(body).length),
    },
    body,
  });
  assertEquals(response.status, 400);
  const paths = (await problem(response)).errors.map((
    error: { path: string },
  ) => error.path);
  assert(paths.includes("accountId"));
});

Deno.test("unexpected exceptions are 500 internal without internals in the body", async () => {
  const leak = "kv key ['secrets'] leaked at /work/main/x.ts:1";
  using service = await createTestService({
    env: { CAPTCHA_MODE: "off" },
    overrides: {
      hasher: {
        hash: () => Promise.reject(new Error(leak)),
        verify: () => Promise.reject(new Error(leak)),
      },
    },
  });
  const response = await service.request("/v1/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      accountId: "nobody@example.com",
      passcode: "correct horse battery staple",
    }),
  });
  // The OpenAPI document lists no 500: the contract check would object.
  service.contractFailures.splice(0);
  assertEquals(response.status, 500);
  const text = await response.text();
  assert(!text.includes("secrets") && !text.includes(".ts"), text);
  assertEquals(JSON.parse(text).code, "internal");
  assert(service.logs.some((line) => line.msg === "unhandled error"));
  assert(
    service.logs.some((line) =>
      line.msg === "request" && line.route === "/v1/login" &&
      line.status === 500
    ),
  );
});

Deno.test("the request id is ours, not the client's, and security headers are set", async () => {
  using service = await createTestService();
  const response = await service.request("/health", {
    headers: { "x-request-id": "attacker-chosen" },
  });
  const id = response.headers.get("x-request-id");
  assert(id && id !== "attacker-chosen" && /^[0-9a-f-]{36}$/.test(id));
  assertEquals(response.headers.get("x-content-type-options"), "nosniff");
  assertEquals(response.headers.get("x-frame-options"), "DENY");
  assert(
    response.headers.get("content-security-policy")?.includes(
      "default-src 'none'",
    ),
  );
  assertEquals(response.headers.get("cache-control"), "no-store");
  assertEquals(
    response.headers.get("cross-origin-resource-policy"),
    "same-origin",
  );
  assert(
    response.headers.get("strict-transport-security")?.includes("max-age="),
  );
  const captcha = await service.request("/v1/captcha");
  assertEquals(captcha.headers.get("cache-control"), "no-store");
  await captcha.body?.cancel();
  const jwks = await service.request("/.well-known/jwks.json");
  assertEquals(jwks.headers.get("cache-control"), "public, max-age=300");
  await jwks.body?.cancel();
});

Deno.test("one log line per request, and it never holds the passcode, code or CAPTCHA", async () => {
  using service = await createTestService();
  const captcha = await solveCaptcha(service);
  const accountId = "ivan@example.com";
  await service.request(
    "/v1/accounts",
    json({ accountId, passcode: strongPasscode, captcha }),
  );
  const code = lastCodeSentTo(service, accountId);
  await service.request("/v1/accounts/verify", json({ accountId, code }));
  const requests = service.logs.filter((line) => line.msg === "request");
  assertEquals(
    requests.map((line) => [line.method, line.route, line.status]),
    [
      ["GET", "/v1/captcha", 200],
      ["POST", "/v1/accounts", 202],
      ["POST", "/v1/accounts/verify", 200],
    ],
  );
  for (const line of requests) {
    assert(typeof line.id === "string" && typeof line.ms === "number");
  }
  const everything = JSON.stringify(service.logs);
  for (const secret of [strongPasscode, code, captcha.slice(0, 40)]) {
    assert(!everything.includes(secret), `log holds ${secret}`);
  }
});

Deno.test("GET /health answers 200 with a KV round trip, 503 when KV is gone", async () => {
  const service = await createTestService();
  const healthy = await service.request("/health");
  assertEquals(healthy.status, 200);
  assertEquals(await healthy.json(), { status: "ok", kv: "ok" });
  service.close();
  const sick = await service.request("/health");
  assertEquals(sick.status, 503);
});

Deno.test("the JWKS publishes public keys with kid and alg, never private parts", async () => {
  using service = await createTestService();
  const response = await service.request("/.well-known/jwks.json");
  assertEquals(response.status, 200);
  const { keys } = await response.json();
  assertEquals(keys.length, 1);
  assertEquals(keys[0].alg, "EdDSA");
  assert(typeof keys[0].kid === "string");
  assertEquals(keys[0].d, undefined);
  createLocalJWKSet({ keys });
});

Deno.test("every /v1 route is in /openapi.json, with its request schema", async () => {
  using service = await createTestService();
  const document = await (await service.request("/openapi.json")).json();
  assertEquals(document.openapi, "3.1.0");
  const served = (await service.routes())
    .filter((route) => route.path.startsWith("/v1/") && route.method !== "ALL")
    .map((route) =>
      `${route.method.toLowerCase()} ${route.path.replace(/:(\w+)/g, "{$1}")}`
    );
  assert(served.length >= 3);
  for (const entry of new Set(served)) {
    const [method, path] = entry.split(" ");
    const operation = document.paths[path]?.[method];
    assert(operation?.summary, `${entry} is missing from the OpenAPI document`);
  }
  const register = document.paths["/v1/accounts"].post;
  assertEquals(
    register.requestBody.content["application/json"].schema.required.sort(),
    ["accountId", "passcode"],
  );
});

Deno.test("GET /dev/outbox lists messages newest first as JSON, or as a page", async () => {
  using service = await createTestService({
    env: { CAPTCHA_MODE: "off" },
    useDevTransport: true,
  });
  for (const accountId of ["one@example.com", "two@example.com"]) {
    await service.request(
      "/v1/accounts",
      json({ accountId, passcode: strongPasscode }),
    );
    service.clock.advanceSeconds(1);
  }
  const listed = await service.request("/dev/outbox");
  const messages = await listed.json();
  assertEquals(messages.map((message: { to: string }) => message.to), [
    "two@example.com",
    "one@example.com",
  ]);
  for (const field of ["id", "to", "channel", "subject", "text", "createdAt"]) {
    assert(field in messages[0]);
  }
  const page = await service.request("/dev/outbox", {
    headers: { accept: "text/html,application/xhtml+xml" },
  });
  assert(page.headers.get("content-type")?.startsWith("text/html"));
  const html = await page.text();
  assert(html.includes("two@example.com") && html.includes("<pre>"));
});

Deno.test("outside development /dev/outbox is 404", async () => {
  const { generateSecrets } = await import("../../lib/crypto/keyring.ts");
  const { cryptoRandom } = await import("../../lib/runtime/random.ts");
  const secrets = await generateSecrets("EdDSA", cryptoRandom);
  using service = await createTestService({
    env: {
      APP_ENV: "production",
      APP_ORIGIN: "https://login.example.com",
      RP_ID: "login.example.com",
      JWT_SIGNING_KEYS: secrets.jwtSigningKeys,
      HMAC_KEY: secrets.hmacKey,
      DATA_ENCRYPTION_KEY: secrets.dataEncryptionKey,
      MESSAGE_WEBHOOK_URL: "https://hooks.example.com/messages",
      MESSAGE_WEBHOOK_SECRET: "s".repeat(40),
    },
  });
  const response = await service.request("/dev/outbox");
  assertEquals(response.status, 404);
});
