import { assert, assertEquals } from "../helpers/assert.ts";
import { createTestService, json } from "../helpers/service.ts";

/** The headers OWASP asks of every API response (routes/response_headers.ts). */
const securityHeaderNames = [
  "content-security-policy",
  "strict-transport-security",
  "x-content-type-options",
  "x-frame-options",
  "cross-origin-resource-policy",
  "cache-control",
];

function securityHeaders(response: Response): Record<string, string | null> {
  return Object.fromEntries(
    securityHeaderNames.map((name) => [name, response.headers.get(name)]),
  );
}

Deno.test("every answer carries the security headers of a normal API answer: 405, 404, 413", async () => {
  using service = await createTestService();
  const normal = await service.request("/health");
  assertEquals(normal.status, 200);
  const expected = securityHeaders(normal);
  for (const value of Object.values(expected)) assert(value);

  const answers = {
    "405 of an API path": await service.request("/v1/accounts"),
    "405 of a path outside /v1": await service.request("/health", {
      method: "DELETE",
    }),
    "404 of a GET": await service.request("/v1/nothing-here"),
    "404 of a POST": await service.request("/v1/nothing-here", json({})),
    "413": await service.request(
      "/v1/accounts",
      json({ accountId: "a".repeat(17 * 1024) }),
    ),
  };
  for (const [what, response] of Object.entries(answers)) {
    await response.body?.cancel();
    assertEquals(securityHeaders(response), expected, what);
    assert(response.headers.get("x-request-id"), `${what}: X-Request-Id`);
  }
  assertEquals(answers["405 of an API path"].status, 405);
  assertEquals(answers["405 of a path outside /v1"].status, 405);
  assertEquals(answers["404 of a GET"].status, 404);
  assertEquals(answers["404 of a POST"].status, 404);
  assertEquals(answers["413"].status, 413);
});

Deno.test("a request the router could not place is logged like any other", async () => {
  using service = await createTestService();
  await (await service.request("/v1/accounts")).body?.cancel();
  const line = service.logs.find((record) => record.msg === "request");
  assertEquals(line?.status, 405);
});
