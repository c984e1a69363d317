/**
 * `GET /openapi.json`: the OpenAPI 3.1 document of `/v1` (and of `/health` and the
 * JWKS), read off the mounted routes: the zod schemas they validate with (zod 4's JSON
 * Schema output is 2020-12, as 3.1 wants), each route's `describe()`, and the answers
 * of every layer it runs through (session, rate limit, body limit, validators).
 */
import type { RouterRoute } from "hono/types";
import { z } from "zod";
import { ApiError, type ErrorCode } from "../lib/runtime/errors.ts";
import {
  type DocPart,
  handlerDocs,
  type HeaderDoc,
  type OperationDoc,
  type ResponseDoc,
  type SchemaOf,
} from "./route_docs.ts";

type Operation = Record<string, unknown>;
type JsonSchema = Record<string, unknown>;

/** The paths the document covers: the API, its health and its keys. */
const documentedPath = /^\/(v1\/|health$|\.well-known\/|openapi\.json$)/;

/**
 * The members a problem carries besides RFC 9457's, the codes that may carry each, and
 * the codes that always do. `additionalProperties: false` keeps this list honest: a new
 * member the service sends fails the contract tests until it is written down here.
 */
const problemMembers: Record<string, {
  schema: JsonSchema;
  codes: ErrorCode[];
  requiredFor: ErrorCode[];
}> = {
  errors: {
    schema: {
      type: "array",
      description: "Which fields are wrong, and why",
      items: {
        type: "object",
        properties: {
          path: {
            type: "string",
            description: "Dotted path of the field, or `(body)`",
          },
          message: { type: "string" },
        },
        required: ["path", "message"],
        additionalProperties: false,
      },
    },
    codes: ["invalid_request"],
    requiredFor: [],
  },
  feedback: {
    schema: {
      type: "array",
      items: { type: "string" },
      description: "Why the passcode was refused, and what would do",
    },
    codes: ["weak_passcode"],
    requiredFor: ["weak_passcode"],
  },
  lockedUntil: {
    schema: {
      type: "string",
      format: "date-time",
      description: "When the lock lifts",
    },
    codes: ["account_locked", "step_up_locked"],
    requiredFor: ["account_locked", "step_up_locked"],
  },
  holdUntil: {
    schema: {
      type: "string",
      format: "date-time",
      description: "When withdrawals are allowed again",
    },
    codes: ["security_hold"],
    requiredFor: ["security_hold"],
  },
  unlocksAt: {
    schema: {
      type: ["string", "null"],
      format: "date-time",
      description:
        "When a running unlock countdown ends the settings lock; null while it is locked without one",
    },
    codes: ["settings_locked"],
    requiredFor: ["settings_locked"],
  },
  attemptsRemaining: {
    schema: {
      type: "integer",
      minimum: 0,
      description:
        "The login's `401`: failed sign-ins left before the lock (counted alike for IDs without an account)",
    },
    // A wrong current passcode of a security change (`400`) carries none.
    codes: ["invalid_credentials"],
    requiredFor: [],
  },
};

const ref = (kind: string, name: string) => ({
  $ref: `#/components/${kind}/${name}`,
});

/**
 * The headers the service's own layers set. Written out in each response, not
 * referenced: a Reference Object cannot say whether the header is required there.
 */
const serviceHeaders: Record<string, JsonSchema> = {
  "X-Request-Id": {
    description: "This answer's id, as the service's log line has it",
    schema: { type: "string", format: "uuid" },
  },
  "RateLimit-Policy": {
    description:
      'The budget this route counts against: `"<bucket>";q=<requests>;w=<seconds>` (IETF RateLimit header fields)',
    schema: { type: "string", pattern: '^"[a-z]+";q=[0-9]+;w=[0-9]+$' },
  },
  "RateLimit": {
    description:
      'What is left of it: `"<bucket>";r=<remaining>;t=<seconds until it resets>`',
    schema: { type: "string", pattern: '^"[a-z]+";r=[0-9]+;t=[0-9]+$' },
  },
  "Retry-After": {
    description: "Seconds until a retry can succeed",
    schema: { type: "string", pattern: "^[0-9]+$" },
  },
  "Allow": {
    description: "The methods this path serves",
    schema: { type: "string" },
  },
};

const serviceHeader = (name: string, required: boolean) => ({
  [name]: { ...serviceHeaders[name], required },
});

/** The RateLimit headers of an answer of a counted route. */
const rateLimitHeaders = (required: boolean) => ({
  ...serviceHeader("RateLimit-Policy", required),
  ...serviceHeader("RateLimit", required),
});

/** Builds the document from every route of the app, in the order they are matched. */
export function buildOpenApiDocument(
  routes: RouterRoute[],
  info: { title: string; version: string; serverUrl: string },
): Record<string, unknown> {
  const paths: Record<string, Record<string, Operation>> = {};
  const codesInUse = new Set<ErrorCode>([
    "not_found",
    "invalid_request",
    "payload_too_large",
  ]);
  for (const route of routes) {
    if (!documentedPath.test(route.path) || route.method === "ALL") continue;
    const { doc, request } = handlerDocs(route.handler);
    if (!doc && !request) continue;
    const path = route.path.replace(/:(\w+)/g, "{$1}");
    const method = route.method.toLowerCase();
    const operation = (paths[path] ??= {})[method] ??= {};
    if (doc) {
      const parts = [...layersOf(routes, route.method, route.path), doc];
      for (const part of parts) {
        for (const codes of Object.values(part.problems ?? {})) {
          for (const code of codes ?? []) codesInUse.add(code);
        }
      }
      Object.assign(operation, describeOperation(path, doc, parts));
    }
    if (request?.target === "json") {
      operation.requestBody = {
        required: true,
        description: "JSON (`Content-Type: application/json`), at most 16 KiB",
        content: {
          "application/json": { schema: jsonSchema(request.schema, "input") },
        },
      };
    } else if (request) {
      const schema = jsonSchema(request.schema, "input") as {
        properties?: Record<string, unknown>;
        required?: string[];
      };
      const where = request.target === "param" ? "path" : "query";
      operation.parameters = [
        ...(operation.parameters as { in: string }[] ?? []).filter((
          parameter,
        ) => parameter.in !== where),
        ...Object.entries(schema.properties ?? {}).map(([name, property]) => ({
          name,
          in: where,
          required: where === "path" ||
            (schema.required?.includes(name) ?? false),
          schema: property,
        })),
      ];
    }
  }
  for (const [path, operations] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const documented = (operation.parameters as { in: string }[] ?? [])
        .filter((parameter) => parameter.in === "path").length;
      // An unvalidated path parameter can carry anything into a KV key.
      if (documented !== [...path.matchAll(/\{\w+\}/g)].length) {
        throw new TypeError(
          `${method.toUpperCase()} ${path}: validate its path parameters with pathParameters()`,
        );
      }
    }
  }
  return {
    openapi: "3.1.0",
    info: {
      title: info.title,
      version: info.version,
      description:
        "Errors are RFC 9457 `application/problem+json` with a stable `code`. " +
        "A method a path does not serve is `405` with `Allow`; any request body " +
        "over 16 KiB is `413`; a path nobody serves is `404`.",
    },
    servers: [{ url: info.serverUrl }],
    paths,
    components: {
      schemas: { Problem: problemSchema([...codesInUse].sort()) },
      responses: {
        MethodNotAllowed: problemResponse(
          405,
          ["invalid_request"],
          serviceHeader("Allow", true),
        ),
        NotFound: problemResponse(404, ["not_found"], {}),
        PayloadTooLarge: problemResponse(413, ["payload_too_large"], {}),
      },
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
        sessionCookie: {
          type: "apiKey",
          in: "cookie",
          name: "__Host-session",
          description:
            "Browsers. Unsafe methods must also send `Origin` (one of the service's origins) or `Sec-Fetch-Site: same-origin`, else `403 csrf_rejected`.",
        },
      },
    },
  };
}

/** zod's JSON Schema, without the dialect line OpenAPI 3.1 implies. */
function jsonSchema(schema: SchemaOf, io: "input" | "output"): JsonSchema {
  const built = typeof schema === "function" ? schema(z) : schema;
  const { $schema: _, ...rest } = z.toJSONSchema(built, { io });
  return rest;
}

/**
 * The layers the app runs for a method and path besides the route's own: middleware
 * mounted with `use` (any method, a path pattern), the body limit (per method, every
 * path) and the route's own validators (same method and path).
 */
function layersOf(
  routes: RouterRoute[],
  method: string,
  path: string,
): DocPart[] {
  return routes
    .filter((route) =>
      (route.method === "ALL" || route.method === method) &&
      (route.path === path ||
        (route.path.includes("*") && routePattern(route.path).test(path)))
    )
    .flatMap((route) => handlerDocs(route.handler).parts)
    .filter((part) => !part.methods || part.methods.includes(method));
}

/** A regular expression for a route path with `:params` and `*`. */
export function routePattern(path: string): RegExp {
  return new RegExp(
    `^${path.replace(/:\w+/g, "[^/]+").replace(/\*/g, ".*")}$`,
  );
}

function describeOperation(
  path: string,
  doc: OperationDoc,
  parts: DocPart[],
): Operation {
  const rateLimited = parts.some((part) => part.rateLimited);
  const problems = new Map<number, ErrorCode[]>();
  for (const part of parts) {
    for (const [status, codes] of Object.entries(part.problems ?? {})) {
      const known = problems.get(Number(status)) ?? [];
      problems.set(Number(status), [...new Set([...known, ...codes ?? []])]);
    }
  }
  const responses: Record<string, unknown> = {};
  for (const [status, response] of Object.entries(doc.responses)) {
    responses[status] = successResponse(response, rateLimited);
  }
  for (const [status, codes] of [...problems].sort(([a], [b]) => a - b)) {
    responses[status] = problemResponse(status, codes, {
      ...(rateLimited ? rateLimitHeaders(status === 429) : {}),
      ...(codes.some((code) => retryAfterCodes.includes(code))
        ? serviceHeader(
          "Retry-After",
          codes.every((code) => retryAfterCodes.includes(code)),
        )
        : {}),
      ...headerObjects(doc.problemHeaders?.[status] ?? {}),
    });
  }
  responses["405"] = ref("responses", "MethodNotAllowed");
  return {
    tags: [path.split("/")[path.startsWith("/v1/") ? 2 : 1]],
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    ...(parts.some((part) => part.authenticated)
      ? { security: [{ bearer: [] }, { sessionCookie: [] }] }
      : {}),
    responses,
  };
}

/** Problems that always come with `Retry-After`. */
const retryAfterCodes: ErrorCode[] = [
  "rate_limited",
  "account_locked",
  "step_up_locked",
  "security_hold",
];

function successResponse(
  response: ResponseDoc,
  rateLimited: boolean,
): Record<string, unknown> {
  return {
    description: response.description,
    headers: {
      ...serviceHeader("X-Request-Id", true),
      ...(rateLimited ? rateLimitHeaders(false) : {}),
      ...headerObjects(response.headers ?? {}),
    },
    ...(response.schema
      ? {
        content: {
          "application/json": { schema: jsonSchema(response.schema, "output") },
        },
      }
      : {}),
  };
}

function headerObjects(
  headers: Record<string, HeaderDoc>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, header]) => [name, {
      description: header.description,
      required: header.required ?? false,
      schema: { type: "string" },
    }]),
  );
}

/** A problem answer of one status and the codes it can carry. */
function problemResponse(
  status: number,
  codes: ErrorCode[],
  headers: Record<string, unknown>,
): Record<string, unknown> {
  return {
    description: codes.map((code) => `\`${code}\`: ${new ApiError(code).title}`)
      .join("; "),
    headers: {
      ...serviceHeader("X-Request-Id", true),
      ...headers,
    },
    content: {
      "application/problem+json": {
        schema: {
          allOf: [ref("schemas", "Problem"), {
            properties: {
              status: { const: status },
              code: codes.length === 1 ? { const: codes[0] } : { enum: codes },
            },
          }],
        },
      },
    },
  };
}

/** RFC 9457's members, `code`, and the members some codes add. */
function problemSchema(codes: ErrorCode[]): JsonSchema {
  const members = Object.entries(problemMembers);
  return {
    type: "object",
    description:
      "RFC 9457 problem details. `type` is `/problems/<code>`; `code` is stable.",
    properties: {
      type: { type: "string", pattern: "^/problems/[a-z_]+$" },
      title: { type: "string" },
      status: { type: "integer", minimum: 400, maximum: 599 },
      detail: { type: "string" },
      code: { enum: codes },
      ...Object.fromEntries(
        members.map(([name, member]) => [name, member.schema]),
      ),
    },
    required: ["type", "title", "status", "detail", "code"],
    additionalProperties: false,
    allOf: members.flatMap(([name, member]) => [
      // Only the codes that carry a member may have it...
      {
        if: { required: [name] },
        then: { properties: { code: { enum: member.codes } } },
      },
      // ...and some always do.
      ...(member.requiredFor.length > 0
        ? [{
          if: {
            properties: { code: { enum: member.requiredFor } },
            required: ["code"],
          },
          then: { required: [name] },
        }]
        : []),
    ]),
  };
}
