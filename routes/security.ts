/**
 * The security audit and history: `GET` (read) and `POST` (opened, recorded)
 * `/v1/security/audit`, `GET /v1/security/events`.
 */
import { Hono } from "hono";
import { z } from "zod";
import {
  listSecurityEvents,
  securityEventRetentionMs,
} from "../kv/security_events.ts";
import type { Deps } from "../lib/deps.ts";
import { runSecurityAudit } from "../lib/account/security_audit.ts";
import { ApiError } from "../lib/runtime/errors.ts";
import { type AppEnv, requestOrigin } from "./env.ts";
import { requireSession, type SessionEnv } from "./session_transport.ts";
import { isoTime } from "./fields.ts";
import { describe, queryParameters } from "./validation.ts";

/** Events per page. */
const pageSize = 20;

/** Mounted at `/v1`. */
export function securityRoutes(deps: Deps): Hono<AppEnv> {
  const app = new Hono<SessionEnv>();
  app.use("/security/*", requireSession(deps));
  const auditSchema = z.object({
    checks: z.array(z.object({
      id: z.string(),
      status: z.enum(["ok", "warn", "critical"]),
      detail: z.string(),
    })),
    nextAuditDue: isoTime,
    lastAuditAt: isoTime.nullable(),
  });
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
    async (c) =>
      c.json(
        await runSecurityAudit(
          deps,
          c.get("auth").session.accountUuid,
          requestOrigin(c),
          { record: false },
        ),
      ),
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
    async (c) =>
      c.json(
        await runSecurityAudit(
          deps,
          c.get("auth").session.accountUuid,
          requestOrigin(c),
          { record: true },
        ),
      ),
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
          at: new Date(event.at).toISOString(),
          ip: event.ip,
          userAgent: event.userAgent,
        })),
        cursor: page.cursor,
      });
    },
  );
  return new Hono<AppEnv>().route("/", app);
}
