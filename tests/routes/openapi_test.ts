/**
 * The OpenAPI document is the truth: it is a valid OpenAPI 3.1 document (checked by
 * @seriousme/openapi-schema-validator), the contract check every route test runs
 * through refuses what it does not describe, and a request built from the document's
 * own request schemas, for every operation, is answered as the document says.
 */
import { Validator } from "@seriousme/openapi-schema-validator";
import { normaliseAccountId } from "../../lib/account_id.ts";
import { accountIdPattern } from "../../routes/fields.ts";
import { assert, assertEquals } from "../helpers/assert.ts";
import {
  createTestService,
  enrollAndLogIn,
  registerAccount,
  signInAgain,
} from "../helpers/service.ts";

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  minItems?: number;
  examples?: unknown[];
  const?: unknown;
  enum?: unknown[];
  pattern?: string;
  format?: string;
  minLength?: number;
  minimum?: number;
};

interface Operation {
  method: string;
  path: string;
  secured: boolean;
  parameters: {
    name: string;
    in: string;
    required: boolean;
    schema: JsonSchema;
  }[];
  body: JsonSchema | null;
}

Deno.test("/openapi.json is a valid OpenAPI 3.1 document", async () => {
  using service = await createTestService();
  const response = await service.request("/openapi.json");
  const document = await response.json();
  assertEquals(document.openapi, "3.1.0");
  const result = await new Validator().validate(document);
  assertEquals(result.errors ?? [], []);
  assert(result.valid);
});

Deno.test("the contract check refuses an undocumented status, a body off its schema and a missing header", async () => {
  using service = await createTestService();
  const { contract } = service;
  const problem = (status: number, code: string, extra = {}) =>
    new Response(
      JSON.stringify({
        type: `/problems/${code}`,
        title: "t",
        status,
        detail: "d",
        code,
        ...extra,
      }),
      {
        status,
        headers: {
          "content-type": "application/problem+json",
          "x-request-id": crypto.randomUUID(),
        },
      },
    );
  assertEquals(
    await contract.check("GET", "/v1/session", problem(401, "unauthenticated")),
    null,
  );
  const undocumented = await contract.check(
    "GET",
    "/v1/session",
    problem(418, "conflict"),
  );
  assert(
    undocumented?.startsWith(
      "GET /v1/session answered 418, which the document does not list",
    ),
    undocumented ?? "accepted",
  );
  const wrongCode = await contract.check(
    "GET",
    "/v1/session",
    problem(401, "invalid_code"),
  );
  assert(
    wrongCode?.startsWith("GET /v1/session 401: the body does not match"),
    wrongCode ?? "accepted",
  );
  // A member the schema does not list for the code (lockedUntil is a lock's).
  const extraMember = await contract.check(
    "DELETE",
    "/v1/devices/abc",
    problem(404, "not_found", { lockedUntil: new Date().toISOString() }),
  );
  assert(
    extraMember?.startsWith("DELETE /v1/devices/{id} 404: the body does not"),
    extraMember ?? "accepted",
  );
  // A status whose every problem comes with Retry-After (a frozen account's 423 has
  // none, so the header is optional at 423, which OpenAPI cannot say per code).
  // A status whose every problem comes with Retry-After (a frozen account's 423 has
  // none, so the header is optional at 423: OpenAPI cannot say it per code).
  const rateLimited = problem(429, "rate_limited");
  rateLimited.headers.set("RateLimit-Policy", '"login";q=10;w=60');
  rateLimited.headers.set("RateLimit", '"login";r=0;t=42');
  assertEquals(
    await contract.check("POST", "/v1/login", rateLimited),
    "POST /v1/login 429: the Retry-After header is missing",
  );
  const wrongMethod = await contract.check(
    "PUT",
    "/v1/session",
    problem(401, "unauthenticated"),
  );
  assert(wrongMethod?.startsWith("PUT /v1/session 401"), wrongMethod ?? "");
});

Deno.test("the account-ID pattern of the document accepts only what the service normalises", async () => {
  const accepted = [
    "you@example.com",
    " You@Example.COM ",
    "a.b+tag@sub.example.org",
    "+491701234567",
    "+49 170 1234567",
    "0049 170 1234567",
  ];
  const refused = [
    ".you@example.com",
    "you.@example.com",
    "y..ou@example.com",
    "you@example",
    "you@-example.com",
    `${"a".repeat(65)}@example.com`,
    "491701234567",
    "+49 170 1234567 ext",
    "you@exa mple.com",
  ];
  for (const text of accepted) {
    assert(accountIdPattern.test(text.trim()), `the pattern refuses ${text}`);
    assert(await normaliseAccountId(text), `the service refuses ${text}`);
  }
  for (const text of refused) {
    assert(!accountIdPattern.test(text.trim()), `the pattern accepts ${text}`);
    assert(!(await normaliseAccountId(text)), `the service accepts ${text}`);
  }
});

/**
 * A value its schema accepts: the schema's own example where it has one (every field
 * with a pattern must), else the least value of its type.
 */
function exampleOf(schema: JsonSchema, everyField: boolean): unknown {
  if (schema.examples?.length) return schema.examples[0];
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  if (schema.anyOf) return exampleOf(schema.anyOf[0], everyField);
  const type = Array.isArray(schema.type)
    ? schema.type.find((type) => type !== "null")
    : schema.type;
  switch (type) {
    case "object": {
      const wanted = new Set([
        ...schema.required ?? [],
        ...schema.oneOf?.[0].required ?? [],
        ...everyField ? Object.keys(schema.properties ?? {}) : [],
      ]);
      return Object.fromEntries(
        Object.entries(schema.properties ?? {})
          .filter(([name]) => wanted.has(name))
          .map(([name, field]) => [name, exampleOf(field, everyField)]),
      );
    }
    case "array":
      return schema.minItems ? [exampleOf(schema.items ?? {}, everyField)] : [];
    case "string":
      if (schema.pattern) {
        throw new Error(`no example for the pattern ${schema.pattern}`);
      }
      if (schema.format === "date-time") return new Date().toISOString();
      return "x".repeat(Math.max(schema.minLength ?? 1, 1));
    case "integer":
    case "number":
      return schema.minimum ?? 0;
    case "boolean":
      return true;
    default:
      return {};
  }
}

function operationsOf(document: {
  paths: Record<string, Record<string, Record<string, unknown>>>;
}): Operation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path,
      secured: operation.security !== undefined,
      parameters: (operation.parameters ?? []) as Operation["parameters"],
      body: ((operation.requestBody as {
        content: Record<string, { schema: JsonSchema }>;
      } | undefined)?.content["application/json"].schema) ?? null,
    }))
  );
}

Deno.test("every operation of the document answers requests built from its own schemas as it documents", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  const { secret, body } = await enrollAndLogIn(service, accountId);
  let authorization = `Bearer ${body.accessToken}`;
  const { document } = service.contract;
  const operations = operationsOf(
    document as Parameters<typeof operationsOf>[0],
  );
  assert(operations.length >= 35, `only ${operations.length} operations`);
  const serverErrors: string[] = [];
  let requests = 0;
  for (const operation of operations) {
    for (const everyField of [false, true]) {
      let payload: unknown = undefined;
      if (operation.body) {
        payload = exampleOf(operation.body, everyField);
        const validate = service.contract.compile(operation.body);
        if (!validate(payload)) {
          // Every optional field at once can break a "one of" rule: the required
          // variant covers those operations.
          assert(
            everyField,
            `${operation.method} ${operation.path}: the generated body ${
              JSON.stringify(payload)
            } does not match its own schema`,
          );
          continue;
        }
      }
      let path = operation.path;
      const query = new URLSearchParams();
      for (const parameter of operation.parameters) {
        const value = String(exampleOf(parameter.schema, everyField));
        if (parameter.in === "path") {
          path = path.replace(`{${parameter.name}}`, encodeURIComponent(value));
        } else if (parameter.required || everyField) {
          query.set(parameter.name, value);
        }
      }
      const url = query.size > 0 ? `${path}?${query}` : path;
      for (const signedIn of operation.secured ? [true, false] : [false]) {
        const send = () => {
          requests++;
          return service.request(url, {
            method: operation.method,
            headers: {
              ...(payload !== undefined
                ? { "content-type": "application/json" }
                : {}),
              ...(signedIn ? { authorization } : {}),
            },
            body: payload === undefined ? undefined : JSON.stringify(payload),
          });
        };
        let response = await send();
        if (signedIn && response.status === 401) {
          // An earlier operation ended the session (logout, revocation).
          await response.body?.cancel();
          ({ authorization } = await signInAgain(service, accountId, secret));
          response = await send();
        }
        if (response.status >= 500) {
          serverErrors.push(
            `${operation.method} ${url}: ${response.status} ${await response
              .text()}`,
          );
        } else {
          await response.body?.cancel();
        }
      }
    }
  }
  assert(requests >= 100, `only ${requests} requests were sent`);
  assertEquals(serverErrors, []);
  // Collected by the contract check of every answer (tests/helpers/contract.ts).
  assertEquals(service.contractFailures, []);
});
