/** The Hono environment shared by every route of the app. */
import type { Context } from "hono";
import { canonicalAddress } from "../lib/runtime/client_address.ts";
import type { Log } from "../lib/runtime/log_writer.ts";

/** What Deno.serve passes as the second handler argument (Hono's `c.env`). */
export interface ServeBindings {
  remoteAddr?: { hostname?: string };
}

/** Methods that may carry a body or change state (RFC 9110's unsafe methods). */
export const unsafeMethods = ["POST", "PUT", "PATCH", "DELETE"];

/**
 * Bindings and per-request variables. Read variables with `c.get(name)`: Hono's
 * `c.var` copies every variable into a new object on each access, on the hot path.
 */
export interface AppEnv {
  Bindings: ServeBindings & {
    /** The request frame of routes/app.ts that a deferred route answers inside. */
    frame?: Context<AppEnv>;
  };
  Variables: {
    requestId: string;
    /** See {@link clientIpResolver}; call it where the address is needed. */
    clientIp: () => string | null;
    /** Messages queued by this request, delivered before the response leaves. */
    messageIds: string[];
    /** The route a deferred route's answer came from, for the log line and metrics. */
    route?: string;
    /** The problem's `code` of an error answer, for the answer's metrics. */
    problemCode?: string;
    /** The CSP nonce of a page response (set by the page's secure headers). */
    secureHeadersNonce?: string;
  };
}

/**
 * The client's address: the connection's, unless `TRUSTED_PROXY` names how many proxies
 * of ours append to `X-Forwarded-For`; then the entry the outermost of them wrote.
 * Entries further left are the client's own word and never trusted. Only the canonical
 * text of a parsed address comes out (`lib/runtime/client_address.ts`), or null.
 */
function resolveClientIp<E extends AppEnv>(
  c: Context<E>,
  trustedProxyHops: number,
  log: Log,
): string | null {
  const connection = canonicalAddress(c.env?.remoteAddr?.hostname);
  if (trustedProxyHops === 0) return connection;
  const forwarded = (c.req.header("x-forwarded-for") ?? "").split(",")
    .map((part) => part.trim()).filter(Boolean);
  const entry = forwarded[forwarded.length - trustedProxyHops];
  if (entry === undefined) return connection;
  const address = canonicalAddress(entry);
  if (address !== null) return address;
  // Our proxies write addresses: this is a wrong hop count, or a proxy that passed a
  // client's forgery on. Ignored like a missing entry; the log shows a bounded excerpt.
  log({
    level: "warn",
    msg: "X-Forwarded-For entry is not an address; ignored",
    id: c.get("requestId"),
    entry: entry.slice(0, 64),
    entryChars: entry.length,
  });
  return connection;
}

/**
 * {@link resolveClientIp} on first use, then remembered: the connection's address is a
 * call into the runtime, and a session check never needs it.
 */
export function clientIpResolver<E extends AppEnv>(
  c: Context<E>,
  trustedProxyHops: number,
  log: Log,
): () => string | null {
  let resolved: string | null | undefined;
  return () =>
    resolved === undefined
      ? resolved = resolveClientIp(c, trustedProxyHops, log)
      : resolved;
}
