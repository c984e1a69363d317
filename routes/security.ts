/**
 * The security audit and history: `GET` (read) and `POST` (opened, recorded)
 * `/v1/security/audit`, `GET /v1/security/events`.
 */
import { type Context, Hono } from "hono";
import { z } from "zod";
import {
  listSecurityEvents,
  securityEventRetentionMs,
} from "../kv/security_events.ts";
import type { Deps } from "../lib/deps.ts";
import { runSecurityAudit } from "../lib/account/security_audit.ts";
import { ApiError } from "../lib/runtime/errors.ts";
import type { AppEnv } from "./env.ts";
import { requestOrigin } from "./request_origin.ts";
import { findAccount } from "../kv/accounts.ts";
import {
  lockSettings,
  startSettingsUnlock,
} from "../lib/account/settings_lock_change.ts";
import {
  maxUnlockDelayDays,
  minUnlockDelayDays,
  settingsLockView,
} from "../lib/safeguards/settings_lock.ts";
import { confirmChange } from "../lib/webauthn/passkey_confirmation.ts";
import { proofOf, withOneFactor } from "./change_proof.ts";
import { limitSecurityChanges } from "./rate_limit.ts";
import { requireSession, type SessionEnv } from "./session_transport.ts";
import { isoTime } from "./fields.ts";
import { jsonBody, queryParameters } from "./validation.ts";
import { describe } from "./route_docs.ts";
import { isoText } from "./iso_time.ts";

/** Events per page. */
const pageSize = 20;

/** Mounted at `/v1`. */
export function securityRoutes(deps: Deps): Hono<AppEnv> {
  const app = new Hono<SessionEnv>();
  app.use("/security/*", requireSession(deps));
  app.use("/security/lock", limitSecurityChanges(deps));
  const auditSchema = z.object({
    checks: z.array(z.object({
      id: z.string(),
      status: z.enum(["ok", "warn", "critical"]),
      detail: z.string().describe("The finding in English"),
      facts: z.object({
        count: z.number().int().min(0).optional(),
        days: z.number().int().min(0).optional(),
        at: isoTime.optional(),
        devices: z.array(z.string()).optional(),
        recovery: z.enum(["authenticator", "passcode"]).optional(),
        passkeysOnly: z.boolean().optional(),
      }).optional().describe(
        "The finding's values, for a page that says it in its own language",
      ),
    })),
    nextAuditDue: isoTime,
    lastAuditAt: isoTime.nullable(),
  });
  /** The audit's answer; reading it records nothing, opening the checklist does. */
  const audit =
    (options: { record: boolean }) => async (c: Context<SessionEnv>) =>
      c.json(
        await runSecurityAudit(
          deps,
          c.get("auth").session.accountUuid,
          requestOrigin(c),
          options,
        ),
      );
  app.get(
    "/security/audit",
    describe({
      summary: "Read the security audit (records nothing)",
      authenticated: true,
      responses: {
        200: {
          description:
            "Checks, the last recorded audit and the next due date (now if none was recorded)",
          schema: auditSchema,
        },
      },
    }),
    audit({ record: false }),
  );
  app.post(
    "/security/audit",
    describe({
      summary:
        "Open the security checklist: the audit, recorded at most once a day",
      authenticated: true,
      responses: {
        200: {
          description:
            "Checks, the last recorded audit (this one, unless one was recorded within a day) and the next due date",
          schema: auditSchema,
        },
      },
    }),
    audit({ record: true }),
  );
  app.get(
    "/security/events",
    describe({
      summary: "The account's security history, newest first (180 days)",
      authenticated: true,
      responses: {
        200: {
          description:
            "A page of events and the cursor of the next (null at the end)",
          schema: z.object({
            events: z.array(z.object({
              type: z.string(),
              at: isoTime,
              ip: z.string().nullable(),
              userAgent: z.string().nullable(),
            })),
            cursor: z.string().nullable(),
          }),
        },
      },
    }),
    queryParameters(z.object({
      cursor: z.string().regex(/^[A-Za-z0-9_=-]{1,512}$/).optional().meta({
        description: "The `cursor` of the previous page",
        examples: ["AAAA"],
      }),
    })),
    async (c) => {
      const { cursor } = c.req.valid("query");
      let page;
      try {
        page = await listSecurityEvents(
          deps.kv,
          c.get("auth").session.accountUuid,
          {
            limit: pageSize,
            cursor,
            notBefore: deps.clock.now() - securityEventRetentionMs,
          },
        );
      } catch {
        // KV refuses a cursor it did not make.
        throw new ApiError("invalid_request", "The cursor is not valid.", {
          extensions: {
            errors: [{ path: "cursor", message: "not a valid cursor" }],
          },
        });
      }
      return c.json({
        events: page.events.map((event) => ({
          type: event.type,
          at: isoText(event.at),
          ip: event.ip,
          userAgent: event.userAgent,
        })),
        cursor: page.cursor,
      });
    },
  );
  app.get(
    "/security/lock",
    describe({
      summary: "The settings lock: whether it is on, its delay, its countdown",
      authenticated: true,
      responses: {
        200: {
          description:
            "unlocksAt is the end of a running unlock countdown, else null",
          schema: lockSchema,
        },
      },
    }),
    async (c) => {
      const account = await findAccount(
        deps.kv,
        c.get("auth").session.accountUuid,
      );
      if (!account) throw new ApiError("session_revoked");
      return c.json(settingsLockView(account.value, deps.clock.now()));
    },
  );
  app.put(
    "/security/lock",
    describe({
      summary:
        "Lock every security setting with an unlock delay of 1 to 30 days; cancels a running unlock countdown",
      authenticated: true,
      responses: { 204: { description: "Locked; the owner is told" } },
      problems: {
        400: ["invalid_code"],
        403: ["settings_locked", "method_disabled"],
        409: ["conflict"],
        423: ["account_locked", "account_frozen"],
      },
      description:
        "`403 settings_locked`: a lock in force cannot be shortened. " +
        "`409 conflict`: no pending passkey confirmation challenge.",
    }),
    jsonBody(withOneFactor({
      unlockDelayDays: z.number().int().min(minUnlockDelayDays).max(
        maxUnlockDelayDays,
      ),
    })),
    async (c) => {
      const body = c.req.valid("json");
      const { session } = c.get("auth");
      const origin = requestOrigin(c);
      c.get("messageIds").push(
        ...await lockSettings(
          deps,
          session.accountUuid,
          body.unlockDelayDays,
          () => confirmChange(deps, session, proofOf(body), origin),
          origin,
        ),
      );
      return c.body(null, 204);
    },
  );
  app.delete(
    "/security/lock",
    describe({
      summary:
        "Start the unlock countdown: the settings unlock after the lock's delay, announced now and at the end",
      authenticated: true,
      responses: {
        202: {
          description: "Counting down (an earlier countdown is kept)",
          schema: z.object({ unlocksAt: isoTime }),
        },
      },
      problems: {
        400: ["invalid_code"],
        403: ["method_disabled"],
        409: ["conflict"],
        423: ["account_locked", "account_frozen"],
      },
      description:
        "`409 conflict`: the settings are not locked, or no pending passkey " +
        "confirmation challenge.",
    }),
    jsonBody(withOneFactor({})),
    async (c) => {
      const body = c.req.valid("json");
      const { session } = c.get("auth");
      const origin = requestOrigin(c);
      const { unlocksAt, messageIds } = await startSettingsUnlock(
        deps,
        session.accountUuid,
        () => confirmChange(deps, session, proofOf(body), origin),
        origin,
      );
      c.get("messageIds").push(...messageIds);
      return c.json({ unlocksAt: isoText(unlocksAt) }, 202);
    },
  );
  return new Hono<AppEnv>().route("/", app);
}

const lockSchema = z.object({
  locked: z.boolean(),
  unlockDelayDays: z.number().int().nullable(),
  unlocksAt: z.string().nullable(),
});
