/** `GET /.well-known/jwks.json`: the public keys that verify our tokens. */
import { Hono } from "hono";
import type { Deps } from "../lib/deps.ts";
import type { AppEnv } from "./env.ts";

/** Mounted at `/`. */
export function wellKnownRoutes({ keyring }: Deps): Hono<AppEnv> {
  const body = { keys: keyring.publicJwks };
  return new Hono<AppEnv>().get("/.well-known/jwks.json", (c) => {
    // Verifiers may cache for a few minutes; rotation publishes a key before using it.
    c.header("Cache-Control", "public, max-age=300");
    return c.json(body);
  });
}
