/**
 * The physical baselines of the HTTP benchmark: a bare Hono app on the app's own KV,
 * answering a small JSON body (`/json`), and the same after reading one small record
 * (`/kv`), the least a session check with revocation can cost.
 */
import { Hono } from "hono";
import { benchBaselineProbeKey } from "../kv/keys.ts";

const kv = await Deno.openKv(Deno.env.get("DENO_KV_PATH"));
const probeKey = benchBaselineProbeKey();
await kv.set(probeKey, { id: "probe", ok: true });

const app = new Hono()
  .get("/json", (c) => c.json({ ok: true }))
  .get("/kv", async (c) => c.json((await kv.get(probeKey)).value));

Deno.serve({
  hostname: "127.0.0.1",
  port: Number(Deno.env.get("PORT")),
  onListen: () => console.log("baseline listening"),
}, app.fetch);
