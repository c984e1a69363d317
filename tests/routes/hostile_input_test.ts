/**
 * Every route of the OpenAPI document, walked with hostile values in its path
 * parameters, query and body fields: whatever a client sends, the answer is a problem
 * the client can act on, never a 5xx (API.md: bad input changes nothing and says why).
 */
import { Hono } from "hono";
import { buildOpenApiDocument } from "../../routes/openapi.ts";
import type { AppEnv } from "../../routes/env.ts";
import { describe } from "../../routes/route_docs.ts";
import { throws } from "node:assert";
import { assert, assertEquals } from "../helpers/assert.ts";
import { addPasskey, authed } from "../helpers/passkeys.ts";
import { createSoftwareAuthenticator } from "../helpers/software_authenticator.ts";
import {
  createTestService,
  enrollAndLogIn,
  freshTotp,
  json,
  passcodeStep,
  registerAccount,
  signInAgain,
  solveCaptcha,
  strongPasscode,
  type TestService,
} from "../helpers/service.ts";

/** Strings past every bound, past a KV key's 2 KiB in UTF-8 only, and full of controls. */
const hostileStrings = [
  "a".repeat(3000),
  "€".repeat(700),
  "\u0000é\u{1F600}\u202e".repeat(3),
];
const hostileBodyValues: unknown[] = [...hostileStrings, 1234567890];
const hostilePathValues = [...hostileStrings, "1234567890"];
const nonObjectBodies = ["null", "[]", '"text"', "42"];

interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  minLength?: number;
  /** Alternatives, each naming the fields it requires (`totp` or `backupCode`). */
  oneOf?: { required?: string[] }[];
}

interface Operation {
  method: string;
  path: string;
  authenticated: boolean;
  pathParameters: string[];
  queryParameters: string[];
  body: JsonSchema | null;
}

/** The operations of the service's own OpenAPI document. */
async function documentedOperations(
  service: TestService,
): Promise<Operation[]> {
  const document = await (await service.request("/openapi.json")).json();
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods as object)) {
      const parameters: { name: string; in: string }[] = operation.parameters ??
        [];
      operations.push({
        method: method.toUpperCase(),
        path,
        authenticated: operation.security !== undefined,
        pathParameters: parameters.filter((p) => p.in === "path").map((p) =>
          p.name
        ),
        queryParameters: parameters.filter((p) => p.in === "query").map((p) =>
          p.name
        ),
        body: operation.requestBody?.content["application/json"].schema ??
          null,
      });
    }
  }
  return operations;
}

/** One request of the walk: what it replaces, and how. */
interface Variant {
  label: string;
  /** Path parameters replaced by a hostile value (the rest are plausible). */
  path: Record<string, string>;
  query: Record<string, string>;
  /** A plausible body, with one field replaced, or raw text sent as the body. */
  body: { field?: string[]; value?: unknown } | { raw: string } | null;
}

/** Every field path of a body schema, nested objects' fields included. */
function fieldPaths(schema: JsonSchema, prefix: string[] = []): string[][] {
  return Object.entries(schema.properties ?? {}).flatMap(([name, field]) => [
    [...prefix, name],
    ...(field.type === "object" ? fieldPaths(field, [...prefix, name]) : []),
  ]);
}

/** Sets a (nested) field of a plain object body, creating parents as needed. */
function withField(
  body: Record<string, unknown>,
  path: string[],
  value: unknown,
): Record<string, unknown> {
  let target = body;
  for (const name of path.slice(0, -1)) {
    target = (target[name] ??= {}) as Record<string, unknown>;
  }
  target[path.at(-1)!] = value;
  return body;
}

/**
 * The walk's requests for one operation: each path parameter, query parameter and body
 * field replaced by each hostile value (the rest plausible), and bodies that are not
 * objects at all.
 */
function variantsOf(operation: Operation): Variant[] {
  const plausible = operation.body ? {} : null;
  const variants: Variant[] = [];
  for (const name of operation.pathParameters) {
    for (const value of hostilePathValues) {
      variants.push({
        label: `path ${name}`,
        path: { [name]: value },
        query: {},
        body: plausible,
      });
    }
  }
  for (const name of operation.queryParameters) {
    for (const value of hostilePathValues) {
      variants.push({
        label: `query ${name}`,
        path: {},
        query: { [name]: value },
        body: plausible,
      });
    }
  }
  for (const field of fieldPaths(operation.body ?? {})) {
    for (const value of hostileBodyValues) {
      variants.push({
        label: `body ${field.join(".")}`,
        path: {},
        query: {},
        body: { field, value },
      });
    }
  }
  if (operation.method !== "GET") {
    for (const raw of nonObjectBodies) {
      variants.push({
        label: `body ${raw}`,
        path: {},
        query: {},
        body: { raw },
      });
    }
  }
  return variants;
}

/** Candidates for a string field with a pattern: a valid-looking code of each kind. */
const patternedValues = ["000000", "walk-code"];

/**
 * A value that passes the field's schema, so that a hostile value in another field is
 * what the handler meets. Fields that mean something get a working value (`known`).
 */
async function plausibleValue(
  schema: JsonSchema,
  name: string,
  known: Record<string, () => unknown>,
): Promise<unknown> {
  if (name in known) return await known[name]();
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  if (schema.type === "object") {
    const fields: Record<string, unknown> = {};
    const required = [
      ...schema.required ?? [],
      ...schema.oneOf?.[0].required ?? [],
    ];
    for (
      const [field, fieldSchema] of Object.entries(schema.properties ?? {})
    ) {
      if (required.includes(field) || field in known) {
        fields[field] = await plausibleValue(fieldSchema, field, known);
      }
    }
    return fields;
  }
  if (schema.pattern) {
    const pattern = new RegExp(schema.pattern);
    return patternedValues.find((value) => pattern.test(value));
  }
  return "x".repeat(Math.max(schema.minLength ?? 1, 1));
}

/** The variant's URL; path parameters it leaves alone name an existing record. */
function urlOf(
  operation: Operation,
  variant: Variant,
  existingId: string,
): string {
  const path = operation.path.replace(
    /\{(\w+)\}/g,
    (_, name) => encodeURIComponent(variant.path[name] ?? existingId),
  );
  const query = new URLSearchParams(variant.query).toString();
  return query ? `${path}?${query}` : path;
}

/**
 * The walk's fixtures: a signed-in account whose session the authenticated routes use
 * (renewed when a route ends it), and a second account, with a passkey, whose login
 * waits at the second factor, so ticket routes reach their checks.
 */
async function walkFixtures(service: TestService) {
  const ticketAccount = await registerAccount(service);
  const enrolled = await enrollAndLogIn(service, ticketAccount);
  const added = await addPasskey(
    service,
    enrolled.body.accessToken as string,
    enrolled.secret,
  );
  assertEquals(added.response.status, 201);
  const { ticket } = await passcodeStep(service, ticketAccount);

  const sessionAccount = await registerAccount(service);
  const { secret, body } = await enrollAndLogIn(service, sessionAccount);
  let authorization = `Bearer ${body.accessToken}`;
  const devices = await (await service.request("/v1/devices", {
    headers: { authorization },
  })).json();
  return {
    ticket,
    deviceId: devices[0].id as string,
    authorization: () => authorization,
    async renewSession() {
      ({ authorization } = await signInAgain(service, sessionAccount, secret));
    },
  };
}

Deno.test("no route of the OpenAPI document answers 5xx to hostile path, query or body values", async () => {
  // CAPTCHA_MODE stays `always`: the payload is one of the fields under test. Per-IP
  // limits are out of the way (the test service's defaults), so that every request
  // reaches its handler.
  using service = await createTestService();
  const fixtures = await walkFixtures(service);
  let fresh = 0;
  const known: Record<string, () => unknown> = {
    accountId: () => `walk${fresh++}@example.com`,
    newAccountId: () => `walk${fresh++}@example.com`,
    passcode: () => strongPasscode,
    currentPasscode: () => strongPasscode,
    newPasscode: () => strongPasscode,
    captcha: () => solveCaptcha(service),
    ticket: () => fixtures.ticket,
  };
  const failures: string[] = [];
  let requests = 0;
  for (const operation of await documentedOperations(service)) {
    for (const variant of variantsOf(operation)) {
      for (
        const signedIn of operation.authenticated ? [true, false] : [false]
      ) {
        const headers: Record<string, string> = {};
        let body: string | undefined;
        if (variant.body) {
          headers["content-type"] = "application/json";
          if ("raw" in variant.body) {
            body = variant.body.raw;
          } else {
            // Built per request: CAPTCHA payloads are single-use.
            const plausible = await plausibleValue(operation.body!, "", known);
            body = JSON.stringify(
              variant.body.field
                ? withField(
                  plausible as Record<string, unknown>,
                  variant.body.field,
                  variant.body.value,
                )
                : plausible,
            );
          }
        }
        if (operation.path === "/v1/login/webauthn") {
          // An assertion is only looked at while a challenge is pending.
          await service.request(
            "/v1/login/webauthn/options",
            json({ ticket: fixtures.ticket }),
          );
        }
        const send = () => {
          if (signedIn) headers.authorization = fixtures.authorization();
          requests++;
          return service.request(
            urlOf(operation, variant, fixtures.deviceId),
            { method: operation.method, headers, body },
          );
        };
        let response = await send();
        if (signedIn && response.status === 401) {
          // An earlier request of the walk ended the session (logout, revocation).
          await response.body?.cancel();
          await fixtures.renewSession();
          response = await send();
        }
        const text = await response.text();
        const where = `${operation.method} ${operation.path} ${variant.label}` +
          ` (${signedIn ? "signed in" : "anonymous"})`;
        if (response.status >= 500) {
          failures.push(`${where}: ${response.status} ${text.slice(0, 120)}`);
        } else if (signedIn && Object.keys(variant.path).length > 0) {
          // A malformed id names nothing: the same answer as an unknown one.
          const code = response.status === 404 ? JSON.parse(text).code : null;
          if (code !== "not_found") {
            failures.push(`${where}: ${response.status}, not 404 not_found`);
          }
        }
      }
    }
  }
  assert(requests > 300, `only ${requests} requests were sent`);
  assertEquals(failures, []);
});

Deno.test("a passkey whose credential id is over WebAuthn's 1023 bytes is refused and not stored", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  const { secret, body } = await enrollAndLogIn(service, accountId);
  const token = body.accessToken as string;
  const options = await (await service.request(
    "/v1/devices/webauthn/options",
    authed(token, { totp: freshTotp(service, secret) }),
  )).json();
  const authenticator = await createSoftwareAuthenticator({
    credentialIdBytes: 2000,
  });
  const registration = await authenticator.register(options);
  // The id the response names is bounded by its schema; the one stored is the id in
  // the authenticator data, which the authenticator chose.
  const response = await service.request(
    "/v1/devices/webauthn",
    authed(token, {
      response: { ...registration, id: "AAAA", rawId: "AAAA" },
      name: "Laptop passkey",
    }),
  );
  assertEquals(response.status, 400);
  assertEquals((await response.json()).code, "invalid_request");
  const devices = await (await service.request("/v1/devices", {
    headers: { authorization: `Bearer ${token}` },
  })).json();
  assertEquals(devices.map((device: { kind: string }) => device.kind), [
    "browser",
  ]);
});

Deno.test("a /v1 route whose path parameter has no validator stops the app from being built", () => {
  const app = new Hono<AppEnv>().delete(
    "/v1/things/:id",
    describe({ summary: "Remove a thing", responses: {} }),
    (c) => c.body(null, 204),
  );
  throws(
    () =>
      buildOpenApiDocument(app.routes, {
        title: "t",
        version: "1",
        serverUrl: "http://localhost",
      }),
    /DELETE \/v1\/things\/\{id\}: validate its path parameters/,
  );
});
