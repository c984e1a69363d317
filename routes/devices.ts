/** Trusted devices: adding a passkey or security key (`/v1/devices/webauthn…`). */
import { Hono } from "hono";
import { z } from "zod";
import { findAccount } from "../kv/accounts.ts";
import type { Deps } from "../lib/deps.ts";
import { ApiError } from "../lib/runtime/errors.ts";
import {
  listTrustedDevices,
  removeTrustedDevice,
  renameTrustedDevice,
} from "../lib/devices/trusted_devices.ts";
import {
  finishPasskeyRegistration,
  startPasskeyRegistration,
} from "../lib/webauthn/webauthn_registration.ts";
import { type AppEnv, requestOrigin } from "./env.ts";
import {
  credentialIdField,
  idParameter,
  problemSchema,
  secondFactorFields,
} from "./fields.ts";
import { limitSecurityChanges } from "./rate_limit.ts";
import {
  refuseWhileLocked,
  withSettingsLockAnswers,
} from "./settings_guard.ts";
import { requireSession, type SessionEnv } from "./session_transport.ts";
import { describe, jsonBody } from "./validation.ts";

/** The browser's JSON of a WebAuthn response; @simplewebauthn/server checks the rest. */
export const webauthnResponseField = z.looseObject({
  id: credentialIdField,
  rawId: credentialIdField,
  type: z.literal("public-key"),
  response: z.looseObject({}),
});

/**
 * A device name as its owner types it: trimmed, 1 to 64 characters, without control
 * or format characters or line and paragraph separators (a line break, a right-to-left
 * override), which would make it look like something else where it is shown. Messages
 * never carry it; pages escape it.
 */
const deviceNameField = z.string().trim().min(1).max(64).regex(
  /^[^\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Zl}\p{Zp}]*$/u,
  "must not contain control characters or line breaks",
);

/** Mounted at `/v1`. */
export function deviceRoutes(deps: Deps): Hono<AppEnv> {
  const app = new Hono<SessionEnv>();
  app.use(
    "/devices",
    requireSession(deps),
    limitSecurityChanges(deps),
    refuseWhileLocked(deps),
  );
  app.use(
    "/devices/*",
    requireSession(deps),
    limitSecurityChanges(deps),
    refuseWhileLocked(deps),
  );
  const account = async (accountUuid: string) => {
    const entry = await findAccount(deps.kv, accountUuid);
    if (!entry) throw new ApiError("session_revoked");
    return entry.value;
  };
  const deviceSchema = z.object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(["webauthn", "browser"]),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
  });
  const secondFactor = z.object({
    ...secondFactorFields,
  });
  app
    .get(
      "/devices",
      describe({
        summary: "Trusted devices: passkeys and recognised browsers",
        authenticated: true,
        responses: {
          200: { description: "Devices", schema: z.array(deviceSchema) },
        },
      }),
      async (c) => {
        return c.json(
          await listTrustedDevices(deps, c.get("auth").session.accountUuid),
        );
      },
    )
    .patch(
      "/devices/:id",
      idParameter,
      describe({
        summary: "Rename a trusted device",
        authenticated: true,
        responses: withSettingsLockAnswers({
          200: { description: "The device", schema: deviceSchema },
          404: { description: "not_found", schema: problemSchema },
        }),
      }),
      jsonBody(z.object({ name: deviceNameField })),
      async (c) => {
        const { device, messageId } = await renameTrustedDevice(
          deps,
          await account(c.get("auth").session.accountUuid),
          c.req.valid("param").id,
          c.req.valid("json").name,
          requestOrigin(c),
        );
        c.get("messageIds").push(messageId);
        return c.json(device);
      },
    )
    .delete(
      "/devices/:id",
      idParameter,
      describe({
        summary: "Remove a trusted device (needs a current second factor)",
        authenticated: true,
        responses: withSettingsLockAnswers({
          204: { description: "Removed; a browser's sessions end" },
          400: { description: "invalid_code", schema: problemSchema },
          404: { description: "not_found", schema: problemSchema },
        }),
      }),
      jsonBody(secondFactor),
      async (c) => {
        c.get("messageIds").push(
          await removeTrustedDevice(
            deps,
            await account(c.get("auth").session.accountUuid),
            c.req.valid("param").id,
            c.req.valid("json"),
            requestOrigin(c),
          ),
        );
        return c.body(null, 204);
      },
    )
    .post(
      "/devices/webauthn/options",
      describe({
        summary:
          "Creation options for a new passkey (needs a current second factor)",
        authenticated: true,
        responses: withSettingsLockAnswers({
          200: { description: "PublicKeyCredentialCreationOptionsJSON" },
          400: { description: "invalid_code", schema: problemSchema },
        }),
      }),
      jsonBody(secondFactor),
      async (c) => {
        const body = c.req.valid("json");
        return c.json(
          await startPasskeyRegistration(
            deps,
            await account(c.get("auth").session.accountUuid),
            body,
            requestOrigin(c),
          ),
        );
      },
    )
    .post(
      "/devices/webauthn",
      describe({
        summary: "Register the passkey from the browser's response",
        authenticated: true,
        responses: withSettingsLockAnswers({
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
        }),
      }),
      jsonBody(
        z.object({
          response: webauthnResponseField,
          name: deviceNameField,
        }),
      ),
      async (c) => {
        const body = c.req.valid("json");
        const { credential, messageId } = await finishPasskeyRegistration(
          deps,
          await account(c.get("auth").session.accountUuid),
          body.response as never,
          body.name,
          requestOrigin(c),
        );
        c.get("messageIds").push(messageId);
        return c.json({
          id: credential.id,
          name: credential.name,
          createdAt: new Date(credential.createdAt).toISOString(),
        }, 201);
      },
    );
  return new Hono<AppEnv>().route("/", app);
}
