/** "This wasn't me": `POST /v1/account/freeze` with the token of a message's link. */
import { Hono } from "hono";
import { z } from "zod";
import { freezeAccount } from "../lib/account/account_freeze.ts";
import type { Deps } from "../lib/deps.ts";
import type { AppEnv } from "./env.ts";
import { requestOrigin } from "./request_origin.ts";
import { linkTokenField } from "./fields.ts";
import { rateLimit } from "./rate_limit.ts";
import { jsonBody } from "./validation.ts";
import { describe } from "./route_docs.ts";

/** Mounted at `/v1`. */
export function accountFreezeRoutes(deps: Deps): Hono<AppEnv> {
  return new Hono<AppEnv>().post(
    "/account/freeze",
    describe({
      summary:
        "Freeze the account with the token of a message's freeze link: every session ends, pending recoveries and account-ID changes are cancelled, withdrawals are held, and everything answers 423 account_frozen until a recovery reset",
      responses: {
        200: {
          description: "Frozen (also when it was frozen already)",
          schema: z.object({ status: z.literal("frozen") }),
        },
      },
      problems: { 400: ["invalid_code"] },
      description: "`400 invalid_code`: the token is unknown, used or expired.",
    }),
    rateLimit(deps, "code"),
    jsonBody(z.object({ token: linkTokenField })),
    async (c) => {
      c.get("messageIds").push(
        ...await freezeAccount(
          deps,
          c.req.valid("json").token,
          requestOrigin(c),
        ),
      );
      return c.json({ status: "frozen" });
    },
  );
}
