/**
 * Request validation with zod, and the OpenAPI metadata that travels with it.
 *
 * `jsonBody(schema)` and `describe({...})` are middleware whose functions carry their
 * schema and summary, so `routes/openapi.ts` reads the document off the mounted app's
 * routes: a route cannot be served without being documented by the same schema. Every
 * other layer a route runs through (the session, a rate limit, the body limit) carries
 * the answers it can give itself ({@link documented}), so the document lists them on
 * every route the layer runs for, and a route's own `describe()` lists only what its
 * handler answers.
 */
import type { MiddlewareHandler } from "hono";
import { zValidator } from "@hono/zod-validator";
import type { z } from "zod";
import { ApiError, type ErrorCode } from "../lib/runtime/errors.ts";

/** A response header worth documenting. */
export interface HeaderDoc {
  description: string;
  /** Whether every such response carries it. */
  required?: boolean;
}

/** A documented response that is not a problem. */
export interface ResponseDoc {
  description: string;
  schema?: z.ZodType;
  headers?: Record<string, HeaderDoc>;
}

/** What a layer (or a handler, through `describe()`) adds to a route's documentation. */
export interface DocPart {
  /** The problems it can answer, by status: `{ 401: ["invalid_code"] }`. */
  problems?: Partial<Record<number, readonly ErrorCode[]>>;
  /** Its answers count against a rate limit and carry the RateLimit headers. */
  rateLimited?: boolean;
  /** It needs a session (documented as a security requirement). */
  authenticated?: boolean;
  /** The methods it acts on; all when absent. */
  methods?: string[];
}

/** What a route says about itself. */
export interface OperationDoc extends DocPart {
  summary: string;
  /** Longer prose, shown under the summary. */
  description?: string;
  /** The answers that are not problems (success, mostly). */
  responses: Record<number, ResponseDoc>;
  /** Headers some problems of a status carry besides the usual ones. */
  problemHeaders?: Record<number, Record<string, HeaderDoc>>;
}

/** Marks a handler with its documentation. */
export const operationDoc = Symbol("operationDoc");
/** Marks a validator with its request schema. */
export const requestSchema = Symbol("requestSchema");
/** Marks a layer with the answers it gives on every route it runs for. */
export const layerDocs = Symbol("layerDocs");

type Documented = {
  [operationDoc]?: OperationDoc;
  [layerDocs]?: DocPart[];
};
/** Where a validator reads: the JSON body, the query string or the path parameters. */
type Target = "json" | "query" | "param";
type Validating = {
  [requestSchema]?: { target: Target; schema: z.ZodType };
};

/** Turns zod issues into API.md's `errors: [{path, message}]`. */
export function validationError(issues: z.core.$ZodIssue[]): ApiError {
  return new ApiError("invalid_request", "The request has invalid fields.", {
    extensions: {
      errors: issues.map((issue) => ({
        path: issue.path.map(String).join(".") || "(body)",
        message: issue.message,
      })),
    },
  });
}

function validator<T extends z.ZodType, Where extends Target>(
  target: Where,
  schema: T,
  refusal: (issues: z.core.$ZodIssue[]) => ApiError = validationError,
) {
  const middleware = zValidator(target, schema, (result) => {
    if (!result.success) throw refusal(result.error.issues);
  });
  (middleware as Validating)[requestSchema] = { target, schema };
  return middleware;
}

/**
 * Validates the JSON body; 400 `invalid_request` with `errors[]` when it does not fit,
 * and without them when the body is no JSON or is not declared as JSON.
 */
export const jsonBody = <T extends z.ZodType>(schema: T) =>
  documented(validator("json", schema), {
    problems: { 400: ["invalid_request"] },
  });

/** Validates the query string likewise. */
export const queryParameters = <T extends z.ZodType>(schema: T) =>
  documented(validator("query", schema), {
    problems: { 400: ["invalid_request"] },
  });

/**
 * Validates the path parameters. A value that cannot be an id names nothing, so it is
 * `404 not_found`, the answer to an id that is well formed but unknown.
 */
export const pathParameters = <T extends z.ZodType>(schema: T) =>
  documented(
    validator(
      "param",
      schema,
      () => new ApiError("not_found", "No such record."),
    ),
    { problems: { 404: ["not_found"] } },
  );

/** Documents a route; does nothing at request time. */
export function describe(doc: OperationDoc): MiddlewareHandler {
  // Not async: no promise of its own on every request, only the next layer's.
  const middleware: MiddlewareHandler & Documented = function describe(
    _c,
    next,
  ) {
    return next();
  };
  middleware[operationDoc] = doc;
  return middleware;
}

/** Marks a layer with the answers it gives; returns the layer itself. */
export function documented<T extends object>(layer: T, ...parts: DocPart[]): T {
  const marked = layer as T & Documented;
  marked[layerDocs] = [...(marked[layerDocs] ?? []), ...parts];
  return layer;
}

/** Reads the documentation marks of a handler. */
export function handlerDocs(handler: unknown): {
  doc?: OperationDoc;
  request?: { target: Target; schema: z.ZodType };
  parts: DocPart[];
} {
  return {
    doc: (handler as Documented)[operationDoc],
    request: (handler as Validating)[requestSchema],
    parts: (handler as Documented)[layerDocs] ?? [],
  };
}
