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
import type { AppEnv } from "./env.ts";
import { requestOrigin } from "./request_origin.ts";
import {
  credentialIdField,
  idParameter,
  isoTime,
  withSecondFactor,
} from "./fields.ts";
import { limitSecurityChanges } from "./rate_limit.ts";
import { refuseWhileLocked } from "./settings_guard.ts";
import { requireSession, type SessionEnv } from "./session_transport.ts";
import {
  announceWithdrawalHold,
  withdrawalHoldHeaderDoc,
} from "./withdrawal_hold_header.ts";
import { jsonBody } from "./validation.ts";
import { describe } from "./route_docs.ts";
import { isoText } from "./iso_time.ts";

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
).meta({ examples: ["Laptop passkey"] });

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
    createdAt: isoTime,
    lastUsedAt: isoTime.nullable(),
    browser: z.object({
      browser: z.string().nullable(),
      system: z.string().nullable(),
    }).optional().describe(
      "A browser's make and system by known names (null where unknown)",
    ),
  });
  const secondFactor = withSecondFactor({});
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
        responses: {
          200: { description: "The device", schema: deviceSchema },
        },
        problems: { 404: ["not_found"], 409: ["conflict"] },
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
        responses: {
          204: {
            description:
              "Removed; a browser's sessions end; a passkey's removal holds withdrawals for 24 hours",
            headers: withdrawalHoldHeaderDoc(false),
          },
        },
        problems: {
          400: ["invalid_code"],
          404: ["not_found"],
          409: ["conflict"],
          423: ["account_locked"],
        },
      }),
      jsonBody(secondFactor),
      async (c) => {
        const { session } = c.get("auth");
        const { messageId, holdUntil } = await removeTrustedDevice(
          deps,
          session,
          await account(session.accountUuid),
          c.req.valid("param").id,
          c.req.valid("json"),
          requestOrigin(c),
        );
        c.get("messageIds").push(messageId);
        announceWithdrawalHold(c, holdUntil);
        return c.body(null, 204);
      },
    )
    .post(
      "/devices/webauthn/options",
      describe({
        summary:
          "Creation options for a new passkey (needs a current second factor)",
        authenticated: true,
        responses: {
          200: {
            description: "PublicKeyCredentialCreationOptionsJSON",
            schema: z.looseObject({
              challenge: z.string(),
              rp: z.looseObject({ id: z.string().optional() }),
              user: z.looseObject({ id: z.string() }),
            }),
          },
        },
        problems: { 400: ["invalid_code"], 423: ["account_locked"] },
      }),
      jsonBody(secondFactor),
      async (c) => {
        const body = c.req.valid("json");
        const { session } = c.get("auth");
        return c.json(
          await startPasskeyRegistration(
            deps,
            session,
            await account(session.accountUuid),
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
        responses: {
          201: {
            description: "Registered; withdrawals are held for 24 hours",
            headers: withdrawalHoldHeaderDoc(true),
            schema: z.object({
              id: z.string(),
              name: z.string(),
              createdAt: isoTime,
            }),
          },
        },
        problems: { 409: ["conflict"] },
        description:
          "`400 invalid_request` also when the authenticator's response fails " +
          "verification; `409 conflict` when no options are pending.",
      }),
      jsonBody(
        z.object({
          response: webauthnResponseField,
          name: deviceNameField,
        }),
      ),
      async (c) => {
        const body = c.req.valid("json");
        const { credential, messageId, holdUntil } =
          await finishPasskeyRegistration(
            deps,
            await account(c.get("auth").session.accountUuid),
            body.response as never,
            body.name,
            requestOrigin(c),
          );
        c.get("messageIds").push(messageId);
        announceWithdrawalHold(c, holdUntil);
        return c.json({
          id: credential.id,
          name: credential.name,
          createdAt: isoText(credential.createdAt),
        }, 201);
      },
    );
  return new Hono<AppEnv>().route("/", app);
}
