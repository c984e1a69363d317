/**
 * API.md's request body limit. A body of declared length (`Content-Length`, no
 * `Transfer-Encoding`) is judged by that header alone: the HTTP server (hyper) reads
 * exactly the declared bytes and refuses a body that overruns them, so the header is
 * the size. Touching `request.body` to count would turn Deno's buffered body into a
 * stream, and every later read would take the stream's slow path (about 10 µs of a
 * locked login, measured in process). Bodies without a declared length are counted
 * as they stream, by Hono's middleware.
 */
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";

/** Refuses bodies over `maxBytes` through `refuse` (which throws or answers). */
export function limitRequestBody(
  maxBytes: number,
  refuse: () => never,
): MiddlewareHandler {
  const countStreamedBody = bodyLimit({ maxSize: maxBytes, onError: refuse });
  return function limitRequestBody(c, next) {
    const declared = c.req.header("content-length");
    if (declared === undefined || c.req.header("transfer-encoding")) {
      return countStreamedBody(c, next);
    }
    return Number(declared) > maxBytes ? refuse() : next();
  };
}
