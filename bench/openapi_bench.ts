/**
 * What documenting a route costs each request: a session check (`GET /v1/session`,
 * the real `requireSession` on an in-memory KV) served by the same handler four ways:
 * undocumented, with this service's `describe()` layer, as an `@hono/zod-openapi`
 * route, and with `hono-openapi`'s `describeRoute()` layer. Each app is asked for its
 * OpenAPI document once first, so every variant compared is one that works. A second
 * group sets the same session without KV or JWT, so that the few hundred nanoseconds
 * a layer costs are not lost in the noise of a KV read.
 */
import { Hono, type MiddlewareHandler } from "hono";
import { cpuUsage } from "node:process";
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { describeRoute, generateSpecs, resolver } from "hono-openapi";
import { z } from "zod";
import { buildOpenApiDocument } from "../routes/openapi.ts";
import {
  requireSession,
  type SessionEnv,
} from "../routes/session_transport.ts";
import { describe } from "../routes/route_docs.ts";
import {
  createTestService,
  enrollAndLogIn,
  registerAccount,
} from "../tests/helpers/service.ts";

const service = await createTestService();
const accountId = await registerAccount(service);
const { body } = await enrollAndLogIn(service, accountId);
const headers = { authorization: `Bearer ${body.accessToken}` };

const sessionSchema = z.object({
  accountId: z.string(),
  sessionId: z.string(),
});
const summary = "The current session";
const answer = (c: { get(key: "auth"): SessionEnv["Variables"]["auth"] }) => ({
  accountId: c.get("auth").session.accountId,
  sessionId: c.get("auth").session.id,
});

/** The four apps around one session middleware. */
async function appsAround(check: MiddlewareHandler<SessionEnv>) {
  const plain = new Hono<SessionEnv>();
  plain.use("/v1/session", check);
  plain.get("/v1/session", (c) => c.json(answer(c)));

  const described = new Hono<SessionEnv>();
  described.use("/v1/session", check);
  described.get(
    "/v1/session",
    describe({
      summary,
      responses: { 200: { description: "Session", schema: sessionSchema } },
    }),
    (c) => c.json(answer(c)),
  );

  const zodOpenApi = new OpenAPIHono<SessionEnv>();
  zodOpenApi.use("/v1/session", check);
  zodOpenApi.openapi(
    createRoute({
      method: "get",
      path: "/v1/session",
      summary,
      responses: {
        200: {
          description: "Session",
          content: { "application/json": { schema: sessionSchema } },
        },
      },
    }),
    (c) => c.json(answer(c), 200),
  );

  const honoOpenApi = new Hono<SessionEnv>();
  honoOpenApi.use("/v1/session", check);
  honoOpenApi.get(
    "/v1/session",
    describeRoute({
      summary,
      responses: {
        200: {
          description: "Session",
          content: { "application/json": { schema: resolver(sessionSchema) } },
        },
      },
    }),
    (c) => c.json(answer(c)),
  );

  const documents = {
    "describe()": buildOpenApiDocument(described.routes, {
      title: "t",
      version: "1",
      serverUrl: "http://localhost",
    }),
    "@hono/zod-openapi": zodOpenApi.getOpenAPI31Document({
      openapi: "3.1.0",
      info: { title: "t", version: "1" },
    }),
    "hono-openapi": await generateSpecs(honoOpenApi),
  };
  for (const [name, document] of Object.entries(documents)) {
    const paths = (document as { paths?: Record<string, unknown> }).paths ?? {};
    if (!paths["/v1/session"]) throw new Error(`${name} did not document it`);
  }
  return {
    "no documentation layer": plain,
    "describe() (this service)": described,
    "@hono/zod-openapi": zodOpenApi,
    "hono-openapi describeRoute()": honoOpenApi,
  };
}

// The real check: the JWT (verified once, then cached) and the session record in KV.
const realCheck = requireSession(service.deps);
// The same session, set without KV or JWT: what is left is routing, the layers
// and the answer, where a documentation layer's cost can be seen.
const { auth } = await new Promise<{ auth: SessionEnv["Variables"]["auth"] }>(
  (resolve) => {
    const probe = new Hono<SessionEnv>();
    probe.get("/", realCheck, (c) => {
      resolve({ auth: c.get("auth") });
      return c.body(null, 204);
    });
    probe.request("/", { headers });
  },
);
const fixedCheck: MiddlewareHandler<SessionEnv> = (c, next) => {
  c.set("auth", auth);
  return next();
};

const groups = {
  "session check": await appsAround(realCheck),
  "routing and layers only": await appsAround(fixedCheck),
};

async function sessionCheck(app: Hono<SessionEnv>): Promise<void> {
  const response = await app.request("/v1/session", { headers });
  if (response.status !== 200) throw new Error(`answered ${response.status}`);
  await response.arrayBuffer();
}

for (const [group, apps] of Object.entries(groups)) {
  for (const [name, app] of Object.entries(apps)) {
    await sessionCheck(app);
    Deno.bench(name, {
      group,
      baseline: name === "no documentation layer",
    }, () => sessionCheck(app));
  }
}

/**
 * `deno run bench/openapi_bench.ts`: the same apps taking turns, 2,000 checks each
 * per round for 15 rounds, and the median CPU time per check (process.cpuUsage). On a
 * shared machine wall-clock timings of one app after another swing more than the few
 * hundred nanoseconds being measured; CPU time, interleaved, does not.
 */
if (import.meta.main) {
  const rounds = 15;
  const checksPerRound = 2000;
  for (const [group, apps] of Object.entries(groups)) {
    const samples = new Map<string, number[]>();
    for (let round = 0; round < rounds; round++) {
      for (const [name, app] of Object.entries(apps)) {
        const before = cpuUsage();
        for (let i = 0; i < checksPerRound; i++) await sessionCheck(app);
        const used = cpuUsage(before);
        samples.set(name, [
          ...samples.get(name) ?? [],
          (used.user + used.system) / checksPerRound,
        ]);
      }
    }
    console.log(`${group}: median CPU µs per check over ${rounds} rounds`);
    for (const [name, values] of samples) {
      const sorted = values.sort((a, b) => a - b);
      console.log(`  ${name.padEnd(30)} ${sorted[rounds >> 1].toFixed(2)}`);
    }
  }
  service.close();
}
