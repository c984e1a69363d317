/**
 * `GET /openapi.json`: the OpenAPI 3.1 document of `/v1`, read off the mounted routes and
 * the zod schemas they validate with (zod 4's JSON Schema output is 2020-12, as 3.1 wants).
 */
import type { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "./env.ts";
import { handlerDocs, type OperationDoc } from "./validation.ts";

type Operation = Record<string, unknown>;

/** Builds the document from an app whose routes are all mounted. */
export function buildOpenApiDocument(
  app: Hono<AppEnv>,
  info: { title: string; version: string; serverUrl: string },
): Record<string, unknown> {
  const paths: Record<string, Record<string, Operation>> = {};
  for (const route of app.routes) {
    if (!route.path.startsWith("/v1/") || route.method === "ALL") continue;
    const { doc, request } = handlerDocs(route.handler);
    if (!doc && !request) continue;
    const path = route.path.replace(/:(\w+)/g, "{$1}");
    const method = route.method.toLowerCase();
    const operation = (paths[path] ??= {})[method] ??= {};
    if (doc) Object.assign(operation, describeOperation(doc));
    if (request?.target === "json") {
      operation.requestBody = {
        required: true,
        content: {
          "application/json": {
            schema: z.toJSONSchema(request.schema, { io: "input" }),
          },
        },
      };
    } else if (request) {
      const schema = z.toJSONSchema(request.schema, { io: "input" }) as {
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
    info: { title: info.title, version: info.version },
    servers: [{ url: info.serverUrl }],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
        sessionCookie: { type: "apiKey", in: "cookie", name: "__Host-session" },
      },
    },
  };
}

function describeOperation(doc: OperationDoc): Operation {
  return {
    summary: doc.summary,
    ...(doc.authenticated
      ? { security: [{ bearer: [] }, { sessionCookie: [] }] }
      : {}),
    responses: Object.fromEntries(
      Object.entries(doc.responses).map(([status, response]) => [status, {
        description: response.description,
        ...(response.schema
          ? {
            content: {
              [
                Number(status) >= 400
                  ? "application/problem+json"
                  : "application/json"
              ]: {
                schema: z.toJSONSchema(response.schema, { io: "output" }),
              },
            },
          }
          : {}),
      }]),
    ),
  };
}
