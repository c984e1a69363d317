/**
 * A service of the exchange that trusts the login service's tokens, as an integrator
 * would write it: a small Hono app with an account endpoint and a withdrawal endpoint.
 *
 * - Access tokens are verified offline with the login service's JWKS (`iss` = its
 *   origin, `aud` = its origin + `/v1`, `typ: JWT`, EdDSA or ES256 by the key's `kid`).
 *   Offline means a revoked session's token still passes here until it expires, at
 *   most 15 minutes later; the login service itself refuses it at once. Anything that
 *   must not outlive a sign-out asks the login service (as the withdrawal does).
 * - A withdrawal needs an action token (`POST /v1/step-up` with the trading passcode,
 *   `action: "withdrawal"`): checked offline first (audience origin + `/actions`, the
 *   same account and session as the access token, `act: withdrawal`), then redeemed
 *   online, once, with `POST /v1/step-up/consume`, which refuses a used or expired
 *   token, one whose session has ended, and withdrawals on a security hold.
 * - The redemption sends the withdrawal's details (`asset`, `amount`, `destination`).
 *   The step-up bound the token to the details the owner approved (its `dtl` claim),
 *   so the login service refuses any others (`409 details_mismatch`, spending
 *   nothing) and answers with the approved ones, which are compared here too: the
 *   token authorises this withdrawal, not a withdrawal.
 *
 * Run it beside a login service:
 * `LOGIN_ORIGIN=http://localhost:8000 PORT=8100 deno run --allow-net --allow-env examples/resource_server.ts`
 */
import { Hono } from "hono";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { z } from "zod";

/** What the resource server needs to know. */
export interface ResourceServerOptions {
  /** The login service's origin (its first `APP_ORIGIN`): tokens' `iss`, its API. */
  loginOrigin: string;
  /** The time tokens are judged at; the wall clock unless a test moves its own. */
  now?: () => number;
}

/** Who the access token says is calling. */
interface Caller {
  /** The account's stable id (`sub`), not its e-mail or phone. */
  subject: string;
  sessionId: string;
  amr: string[];
}

type Env = { Variables: { caller: Caller } };

const withdrawalRequest = z.object({
  asset: z.string().regex(/^[A-Z0-9]{2,10}$/),
  amount: z.string().regex(/^\d{1,18}(\.\d{1,18})?$/),
  destination: z.string().min(1).max(128),
  actionToken: z.string().min(10).max(4096),
});

/** Builds the app; nothing is fetched until the first token needs the keys. */
export function createResourceServer(
  options: ResourceServerOptions,
): Hono<Env> {
  const { loginOrigin } = options;
  const now = options.now ?? Date.now;
  // Fetched on first use, cached, and fetched again for a `kid` it does not know
  // (a rotated key), at most every 30 seconds.
  const jwks = createRemoteJWKSet(
    new URL("/.well-known/jwks.json", loginOrigin),
  );
  const verify = (token: string, audience: string) =>
    jwtVerify(token, jwks, {
      issuer: loginOrigin,
      audience,
      typ: "JWT",
      // The key's own algorithms only: never `none`, never a symmetric one.
      algorithms: ["EdDSA", "ES256"],
      currentDate: new Date(now()),
      requiredClaims: ["sub", "sid", "iat", "exp"],
    });

  const app = new Hono<Env>();
  app.use("/api/*", async (c, next) => {
    const token = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(
      c.req.header("authorization") ?? "",
    )?.[1];
    if (!token) return c.json({ error: "unauthenticated" }, 401);
    try {
      const { payload } = await verify(token, `${loginOrigin}/v1`);
      c.set("caller", {
        subject: payload.sub!,
        sessionId: String(payload.sid),
        amr: Array.isArray(payload.amr) ? payload.amr.map(String) : [],
      });
    } catch {
      return c.json({ error: "unauthenticated" }, 401);
    }
    await next();
  });

  app.get("/api/account", (c) => c.json(c.get("caller")));

  app.post("/api/withdrawals", async (c) => {
    const parsed = withdrawalRequest.safeParse(
      await c.req.json().catch(() => null),
    );
    if (!parsed.success) return c.json({ error: "invalid_request" }, 400);
    const { actionToken, ...details } = parsed.data;
    const caller = c.get("caller");

    // Offline first: a token for something else, or somebody else's, goes no further.
    try {
      const { payload } = await verify(actionToken, `${loginOrigin}/actions`);
      if (
        payload.act !== "withdrawal" || payload.sub !== caller.subject ||
        payload.sid !== caller.sessionId
      ) throw new Error("not this caller's withdrawal");
    } catch {
      return c.json({ error: "step_up_required" }, 403);
    }

    // Online, once: the login service knows whether it was used, whether its session
    // still lives, and whether withdrawals are on hold.
    const redemption = await fetch(
      new URL("/v1/step-up/consume", loginOrigin),
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ actionToken, details }),
      },
    );
    const redeemed = await redemption.json();
    if (redemption.status !== 200) {
      return c.json({ error: "step_up_refused", reason: redeemed.code }, 403);
    }
    if (
      redeemed.action !== "withdrawal" ||
      !sameDetails(redeemed.details ?? {}, details)
    ) {
      return c.json({ error: "step_up_refused", reason: "details" }, 403);
    }

    // Here a real service would move the funds.
    return c.json({
      status: "executed",
      id: crypto.randomUUID(),
      accountId: redeemed.accountId,
      ...details,
    }, 201);
  });
  return app;
}

/** Whether the approved details are these, whatever the order of their fields. */
function sameDetails(
  approved: Record<string, unknown>,
  details: Record<string, string>,
): boolean {
  const names = Object.keys(details);
  return Object.keys(approved).length === names.length &&
    names.every((name) => approved[name] === details[name]);
}

if (import.meta.main) {
  const loginOrigin = Deno.env.get("LOGIN_ORIGIN") ?? "http://localhost:8000";
  const port = Number(Deno.env.get("PORT") ?? "8100");
  Deno.serve({ port }, createResourceServer({ loginOrigin }).fetch);
}
