/** `GET /health`: the service and its database answer. */
import { Hono } from "hono";
import { healthProbeKey } from "../kv/keys.ts";
import type { Deps } from "../lib/deps.ts";
import type { AppEnv } from "./env.ts";
import { describe } from "./route_docs.ts";

/** Mounted at `/`. */
export function healthRoutes({ kv, log }: Deps): Hono<AppEnv> {
  return new Hono<AppEnv>().get(
    "/health",
    describe({
      summary: "Liveness with a KV round trip",
      responses: {
        200: {
          description: "Healthy",
          schema: (z) =>
            z.object({ status: z.literal("ok"), kv: z.literal("ok") }),
        },
        503: {
          description: "KV unreachable",
          schema: (z) =>
            z.object({
              status: z.literal("degraded"),
              kv: z.literal("unreachable"),
            }),
        },
      },
    }),
    async (c) => {
      try {
        await kv.get(healthProbeKey(), { consistency: "strong" });
        return c.json({ status: "ok", kv: "ok" });
      } catch (error) {
        log({
          level: "error",
          msg: "health check: KV unreachable",
          error: String(error),
        });
        return c.json({ status: "degraded", kv: "unreachable" }, 503);
      }
    },
  );
}
