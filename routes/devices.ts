/** Trusted devices: adding a passkey or security key (`/v1/devices/webauthn…`). */
import { Hono } from "hono";
import { z } from "zod";
import { findAccount } from "../kv/accounts.ts";
import type { Deps } from "../lib/deps.ts";
import { ApiError } from "../lib/errors.ts";
import {
  finishPasskeyRegistration,
  startPasskeyRegistration,
} from "../lib/webauthn_registration.ts";
import { type AppEnv, requestOrigin } from "./env.ts";
import { problemSchema, sixDigitCode } from "./fields.ts";
import { requireSession, type SessionEnv } from "./session_transport.ts";
import { describe, jsonBody } from "./validation.ts";

/** The browser's JSON of a WebAuthn response; @simplewebauthn/server checks the rest. */
export const webauthnResponseField = z.looseObject({
  id: z.string().min(1).max(1024),
  rawId: z.string().min(1).max(1024),
  type: z.literal("public-key"),
  response: z.looseObject({}),
});

/** Mounted at `/v1`. */
export function deviceRoutes(deps: Deps): Hono<AppEnv> {
  const app = new Hono<SessionEnv>();
  app.use("/devices/*", requireSession(deps));
  const account = async (accountUuid: string) => {
    const entry = await findAccount(deps.kv, accountUuid);
    if (!entry) throw new ApiError("session_revoked");
    return entry.value;
  };
  app
    .post(
      "/devices/webauthn/options",
      describe({
        summary:
          "Creation options for a new passkey (needs a current second factor)",
        authenticated: true,
        responses: {
          200: { description: "PublicKeyCredentialCreationOptionsJSON" },
          400: { description: "invalid_code", schema: problemSchema },
        },
      }),
      jsonBody(
        z.object({
          totp: sixDigitCode.optional(),
          backupCode: z.string().min(12).max(20).optional(),
        }),
      ),
      async (c) => {
        const body = c.req.valid("json");
        c.header("Cache-Control", "no-store");
        return c.json(
          await startPasskeyRegistration(
            deps,
            await account(c.var.auth.session.accountUuid),
            body,
          ),
        );
      },
    )
    .post(
      "/devices/webauthn",
      describe({
        summary: "Register the passkey from the browser's response",
        authenticated: true,
        responses: {
          201: {
            description: "Registered",
            schema: z.object({
              id: z.string(),
              name: z.string(),
              createdAt: z.string(),
            }),
          },
          400: { description: "invalid_request", schema: problemSchema },
          409: {
            description: "conflict: no pending options",
            schema: problemSchema,
          },
        },
      }),
      jsonBody(
        z.object({
          response: webauthnResponseField,
          name: z.string().trim().min(1).max(64),
        }),
      ),
      async (c) => {
        const body = c.req.valid("json");
        const { credential, messageId } = await finishPasskeyRegistration(
          deps,
          await account(c.var.auth.session.accountUuid),
          body.response as never,
          body.name,
          requestOrigin(c),
        );
        c.var.messageIds.push(messageId);
        return c.json({
          id: credential.id,
          name: credential.name,
          createdAt: new Date(credential.createdAt).toISOString(),
        }, 201);
      },
    );
  return new Hono<AppEnv>().route("/", app);
}
