/**
 * The answer to a request no route takes; loaded with the deferred routes, since only
 * a request that no route before them answers can need it.
 */
import type { RouterRoute } from "hono/types";
import { ApiError } from "../lib/runtime/errors.ts";
import { routePattern } from "./openapi.ts";

/**
 * What a request no route answers gets: `405` with `Allow` when the path is served for
 * other methods, else `404`.
 */
export function notFound(routes: RouterRoute[], path: string): ApiError {
  const allowed = allowedMethods(routes, path);
  if (allowed.length > 0) {
    return new ApiError("invalid_request", `Use ${allowed.join(", ")}.`, {
      status: 405,
      headers: { Allow: allowed.join(", ") },
    });
  }
  return new ApiError("not_found", `Nothing at ${path}.`);
}

/** Methods served at a path, for 405 with `Allow`. */
function allowedMethods(routes: RouterRoute[], path: string): string[] {
  const methods = new Set<string>();
  for (const route of routes) {
    // Middleware for every path of some methods is not a route of this path.
    if (route.method === "ALL" || route.path === "/*") continue;
    if (routePattern(route.path).test(path)) methods.add(route.method);
  }
  if (methods.has("GET")) methods.add("HEAD");
  return [...methods].sort();
}
