/** `GET`/`PUT /v1/preferences`: the language of the account's pages and messages. */
import { Hono } from "hono";
import { z } from "zod";
import {
  accountLanguage,
  setAccountLanguage,
} from "../lib/account/preferences.ts";
import type { Deps } from "../lib/deps.ts";
import { languages } from "../lib/i18n/languages.ts";
import type { AppEnv } from "./env.ts";
import { requireSession, type SessionEnv } from "./session_transport.ts";
import { jsonBody } from "./validation.ts";
import { describe } from "./route_docs.ts";

const preferencesSchema = z.object({
  language: z.enum(languages).describe(
    "The language of the account's pages and messages",
  ),
});

/** Mounted at `/v1`. */
export function preferencesRoutes(deps: Deps): Hono<AppEnv> {
  const app = new Hono<SessionEnv>();
  app.use("/preferences", requireSession(deps));
  app.get(
    "/preferences",
    describe({
      summary: "The account's preferences",
      authenticated: true,
      responses: {
        200: {
          description:
            "The language of the account's pages and messages (the one it was registered in, until it is set)",
          schema: preferencesSchema,
        },
      },
    }),
    async (c) =>
      c.json({
        language: await accountLanguage(
          deps,
          c.get("auth").session.accountUuid,
        ),
      }),
  );
  app.put(
    "/preferences",
    describe({
      summary: "Set the language of the account's pages and messages",
      authenticated: true,
      responses: { 204: { description: "Set" } },
    }),
    jsonBody(preferencesSchema),
    async (c) => {
      await setAccountLanguage(
        deps,
        c.get("auth").session.accountUuid,
        c.req.valid("json").language,
      );
      return c.body(null, 204);
    },
  );
  return new Hono<AppEnv>().route("/", app);
}
