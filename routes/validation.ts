/**
 * Request validation with zod: the validators refuse with API.md's problem, and carry
 * their schema for the document (`route_docs.ts`).
 */
import { zValidator } from "@hono/zod-validator";
import type { z } from "zod";
import { ApiError } from "../lib/runtime/errors.ts";
import {
  documented,
  requestSchema,
  type Target,
  type Validating,
} from "./route_docs.ts";

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
