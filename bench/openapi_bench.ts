/**
 * What documenting a route costs each request: a session check (`GET /v1/session`,
 * the real `requireSession` on an in-memory KV) served by the same handler four ways:
 * undocumented, with this service's `describe()` layer, as an `@hono/zod-openapi`
 * route, and with `hono-openapi`'s `describeRoute()` layer. Each app is asked for its
 * OpenAPI document once first, so every variant compared is one that works.
 */
import { Hono } from "hono";
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { describeRoute, generateSpecs, resolver } from "hono-openapi";
import { z } from "zod";
import { buildOpenApiDocument } from "../routes/openapi.ts";
import {
  requireSession,
  type SessionEnv,
} from "../routes/session_transport.ts";
import { describe } from "../routes/validation.ts";
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
const check = requireSession(service.deps);
const answer = (c: { get(key: "auth"): SessionEnv["Variables"]["auth"] }) => ({
  accountId: c.get("auth").session.accountId,
  sessionId: c.get("auth").session.id,
});

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
  "describe()": buildOpenApiDocument(described as never, {
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

const apps = {
  "no documentation layer": plain,
  "describe() (this service)": described,
  "@hono/zod-openapi": zodOpenApi,
  "hono-openapi describeRoute()": honoOpenApi,
};
for (const [name, app] of Object.entries(apps)) {
  const response = await app.request("/v1/session", { headers });
  if (response.status !== 200) throw new Error(`${name}: ${response.status}`);
  await response.body?.cancel();
  Deno.bench(name, {
    group: "session check",
    baseline: name === "no documentation layer",
  }, async () => {
    const response = await app.request("/v1/session", { headers });
    await response.arrayBuffer();
  });
}
