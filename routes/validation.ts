/**
 * Request validation with zod, and the OpenAPI metadata that travels with it.
 *
 * `jsonBody(schema)` and `describe({...})` are middleware whose functions carry their
 * schema and summary, so `routes/openapi.ts` reads the document off the mounted app's
 * routes: a route cannot be served without being documented by the same schema.
 */
import type { MiddlewareHandler } from "hono";
import { zValidator } from "@hono/zod-validator";
import type { z } from "zod";
import { ApiError } from "../lib/runtime/errors.ts";

/** A documented response. */
export interface ResponseDoc {
  description: string;
  schema?: z.ZodType;
}

/** What a route says about itself. */
export interface OperationDoc {
  summary: string;
  responses: Record<number, ResponseDoc>;
  /** Whether the route needs a session (documented as a security requirement). */
  authenticated?: boolean;
}

/** Marks a handler with its documentation. */
export const operationDoc = Symbol("operationDoc");
/** Marks a validator with its request schema. */
export const requestSchema = Symbol("requestSchema");

type Documented = { [operationDoc]?: OperationDoc };
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

/** Validates the JSON body; 400 `invalid_request` with `errors[]` when it does not fit. */
export const jsonBody = <T extends z.ZodType>(schema: T) =>
  validator("json", schema);

/** Validates the query string likewise. */
export const queryParameters = <T extends z.ZodType>(schema: T) =>
  validator("query", schema);

/**
 * Validates the path parameters. A value that cannot be an id names nothing, so it is
 * `404 not_found`, the answer to an id that is well formed but unknown.
 */
export const pathParameters = <T extends z.ZodType>(schema: T) =>
  validator(
    "param",
    schema,
    () => new ApiError("not_found", "No such record."),
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

/** Reads the documentation marks of a handler. */
export function handlerDocs(handler: unknown): {
  doc?: OperationDoc;
  request?: { target: Target; schema: z.ZodType };
} {
  return {
    doc: (handler as Documented)[operationDoc],
    request: (handler as Validating)[requestSchema],
  };
}
