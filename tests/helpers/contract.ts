/**
 * The service's OpenAPI document as a contract its answers are held to: each answer's
 * status must be one the document lists for the route, its body must match that
 * status's schema (ajv, JSON Schema 2020-12 with formats) and its required headers
 * must be there. `tests/helpers/service.ts` runs every answer of the route tests
 * through it.
 */
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

type JsonObject = Record<string, unknown>;

/** A document's answers, checked: `check()` says what is wrong, or null. */
export interface Contract {
  document: JsonObject;
  /** The operation of a method and a concrete path, or null outside the document. */
  operationOf(
    method: string,
    path: string,
  ): { template: string; operation: JsonObject | null } | null;
  check(
    method: string,
    url: string,
    response: Response,
  ): Promise<string | null>;
  /** Compiles a schema of the document (it may `$ref` the document's components). */
  compile(schema: unknown): ValidateFunction;
}

const contracts = new Map<string, Contract>();

/** The contract of a document; one per distinct document and process. */
export function contractOf(document: JsonObject): Contract {
  const text = JSON.stringify(document);
  let contract = contracts.get(text);
  if (!contract) {
    contract = createContract(document);
    contracts.set(text, contract);
  }
  return contract;
}

function createContract(document: JsonObject): Contract {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  // ajv-formats' CommonJS export, as Deno's npm interop hands it over.
  (addFormats as unknown as (ajv: Ajv2020) => void)(ajv);
  const components = document.components as JsonObject;
  const compiled = new Map<unknown, ValidateFunction>();
  const compile = (schema: unknown): ValidateFunction => {
    let validate = compiled.get(schema);
    if (!validate) {
      // The document's `#/components/...` references resolve against this root.
      validate = ajv.compile({ ...(schema as JsonObject), components });
      compiled.set(schema, validate);
    }
    return validate;
  };
  // Static paths before templated ones, as the router matches them.
  const paths = Object.entries(document.paths as Record<string, JsonObject>)
    .sort(([a], [b]) => a.split("{").length - b.split("{").length)
    .map(([template, item]) => ({
      template,
      item,
      pattern: new RegExp(
        `^${template.replace(/\{\w+\}/g, "[^/]+").replace(/\./g, "\\.")}$`,
      ),
    }));
  const resolve = (value: unknown): JsonObject => {
    const target = (value as { $ref?: string }).$ref;
    if (!target) return value as JsonObject;
    const [, kind, name] = target.match(/^#\/components\/(\w+)\/(\w+)$/)!;
    return (components[kind] as JsonObject)[name] as JsonObject;
  };

  const operationOf = (method: string, path: string) => {
    const found = paths.find((entry) => entry.pattern.test(path));
    if (!found) return null;
    // HEAD is GET without a body (Hono answers it from the GET route).
    const key = method === "HEAD" ? "get" : method.toLowerCase();
    return {
      template: found.template,
      operation: (found.item[key] as JsonObject | undefined) ?? null,
    };
  };

  async function check(
    method: string,
    url: string,
    response: Response,
  ): Promise<string | null> {
    const path = new URL(url, "http://contract.test").pathname;
    const found = operationOf(method, path);
    let where = `${method} ${path}`;
    let expected: JsonObject | undefined;
    if (!found) {
      // Outside the document: the pages, assets, /docs and /dev. A /v1 path nobody
      // serves is the document's 404 (or 413 for a body too large to look at).
      if (!path.startsWith("/v1/")) return null;
      expected = resolve(
        response.status === 413 ? ref("PayloadTooLarge") : ref("NotFound"),
      );
    } else if (!found.operation) {
      where = `${method} ${found.template}`;
      expected = resolve(
        response.status === 413
          ? ref("PayloadTooLarge")
          : ref("MethodNotAllowed"),
      );
    } else {
      where = `${method} ${found.template}`;
      const responses = found.operation.responses as JsonObject;
      const documented = responses[String(response.status)];
      if (!documented) {
        return `${where} answered ${response.status}, which the document does not list (it lists ${
          Object.keys(responses).join(", ")
        }): ${await excerpt(response)}`;
      }
      expected = resolve(documented);
    }
    const status = `${where} ${response.status}`;
    const headers = (expected.headers ?? {}) as Record<string, JsonObject>;
    for (const [name, header] of Object.entries(headers)) {
      const value = response.headers.get(name);
      if (value === null) {
        if (header.required) return `${status}: the ${name} header is missing`;
        continue;
      }
      const validate = compile(header.schema ?? {});
      if (!validate(value)) {
        return `${status}: header ${name}: ${value} ${
          ajv.errorsText(validate.errors)
        }`;
      }
    }
    const content = expected.content as Record<string, JsonObject> | undefined;
    const body = await response.text();
    if (!content) {
      if (body.length > 0 && method !== "HEAD") {
        return `${status}: the document says no body, but one came: ${
          body.slice(0, 200)
        }`;
      }
      return null;
    }
    if (method === "HEAD") return null;
    const type = response.headers.get("content-type")?.split(";")[0].trim() ??
      "";
    const media = content[type];
    if (!media) {
      return `${status}: Content-Type ${type || "(none)"} is not one of ${
        Object.keys(content).join(", ")
      }`;
    }
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return `${status}: the body is not JSON: ${body.slice(0, 200)}`;
    }
    const validate = compile(media.schema ?? {});
    if (!validate(json)) {
      return `${status}: the body does not match the schema: ${
        ajv.errorsText(validate.errors, { dataVar: "body" })
      }; body ${body.slice(0, 300)}`;
    }
    return null;
  }

  return { document, operationOf, check, compile };
}

function ref(name: string): JsonObject {
  return { $ref: `#/components/responses/${name}` };
}

async function excerpt(response: Response): Promise<string> {
  return (await response.text()).slice(0, 300);
}
