/** The Hono environment shared by every route of the app. */
import type { Context } from "hono";
import type { RequestOrigin } from "../lib/deps.ts";

/** What Deno.serve passes as the second handler argument (Hono's `c.env`). */
export interface ServeBindings {
  remoteAddr?: { hostname?: string };
}

/** Bindings and per-request variables. */
export interface AppEnv {
  Bindings: ServeBindings;
  Variables: {
    requestId: string;
    /** Messages queued by this request, delivered before the response leaves. */
    messageIds: string[];
  };
}

/**
 * The client's address and user agent. The address comes from the connection; proxy
 * headers are not trusted here (a later `TRUSTED_PROXY` setting may opt in).
 */
export function requestOrigin<E extends AppEnv>(c: Context<E>): RequestOrigin {
  return {
    ip: c.env?.remoteAddr?.hostname ?? null,
    userAgent: c.req.header("user-agent")?.slice(0, 256) ?? null,
  };
}
