/**
 * The OpenAPI metadata that travels with the routes.
 *
 * `describe({...})` is middleware whose function carries a route's summary and answers,
 * and the validators of `validation.ts` carry their request schema, so `openapi.ts`
 * reads the document off the mounted app's routes: a route cannot be served without
 * being documented by the same schema. Every other layer a route runs through (the
 * session, a rate limit, the body limit) carries the answers it can give itself
 * ({@link documented}), so the document lists them on every route the layer runs for,
 * and a route's own `describe()` lists only what its handler answers.
 *
 * zod is imported for its types only: the routes built before the first answer
 * (health, the session check, the document) describe their answers with
 * {@link SchemaOf}, built when the document is, so zod loads with the other routes.
 */
import type { MiddlewareHandler } from "hono";
import type { z } from "zod";
import type { ErrorCode } from "../lib/runtime/errors.ts";

/** A response header worth documenting. */
export interface HeaderDoc {
  description: string;
  /** Whether every such response carries it. */
  required?: boolean;
}

/** zod's namespace, handed to a schema built when the document is. */
export type Zod = typeof z;

/** A schema, or how to build it with zod when the document is built. */
export type SchemaOf = z.ZodType | ((zod: Zod) => z.ZodType);

/** A documented response that is not a problem. */
export interface ResponseDoc {
  description: string;
  schema?: SchemaOf;
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
export type Target = "json" | "query" | "param";
export type Validating = {
  [requestSchema]?: { target: Target; schema: z.ZodType };
};

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
