/** `GET /.well-known/jwks.json`: the public keys that verify our tokens. */
import { Hono } from "hono";
import type { Deps } from "../lib/deps.ts";
import type { AppEnv } from "./env.ts";
import { z } from "zod";
import { describe } from "./route_docs.ts";

/** Mounted at `/`. */
export function wellKnownRoutes({ keyring }: Deps): Hono<AppEnv> {
  const body = { keys: keyring.publicJwks };
  return new Hono<AppEnv>().get(
    "/.well-known/jwks.json",
    describe({
      summary: "The public keys that verify access and action tokens",
      responses: {
        200: {
          description:
            "A JWK Set (RFC 7517): public keys only, each with `kid`, `alg` and `use`",
          schema: z.object({
            keys: z.array(z.looseObject({
              kty: z.string(),
              kid: z.string(),
              alg: z.enum(["EdDSA", "ES256"]),
              use: z.literal("sig"),
            })),
          }),
          headers: {
            "Cache-Control": {
              description: "`public, max-age=300`: verifiers may cache it",
              required: true,
            },
          },
        },
      },
    }),
    (c) => {
      // Verifiers may cache for a few minutes; rotation publishes a key before using it.
      c.header("Cache-Control", "public, max-age=300");
      return c.json(body);
    },
  );
}
