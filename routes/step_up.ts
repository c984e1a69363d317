/** Step-up: `POST /v1/step-up`, `/v1/step-up/options` and `/v1/step-up/consume`. */
import { Hono } from "hono";
import { z } from "zod";
import type { Deps } from "../lib/deps.ts";
import {
  type ActionDetails,
  detailsDigest,
  maxDetailsBytes,
} from "../lib/step_up/action_details.ts";
import {
  consumeActionToken,
  stepUp,
  stepUpActions,
  tradingPasscodeProof,
} from "../lib/step_up/step_up.ts";
import {
  passkeyStepUpOptions,
  passkeyStepUpProof,
} from "../lib/webauthn/passkey_step_up.ts";
import { webauthnResponseField } from "./devices.ts";
import { webauthnRequestOptions } from "./login.ts";
import type { AppEnv } from "./env.ts";
import { requestOrigin } from "./request_origin.ts";
import { rateLimit } from "./rate_limit.ts";
import { requireSession, type SessionEnv } from "./session_transport.ts";
import { jsonBody } from "./validation.ts";
import { describe } from "./route_docs.ts";

/** What an action token authorises besides its action (API.md, Step-up details). */
const detailsField = z.record(z.string(), z.unknown()).describe(
  `a JSON object (e.g. asset, amount, destination), at most ${maxDetailsBytes} bytes as RFC 8785 canonical JSON`,
);

/** The digest of optional details, or null. */
const digestOf = (details: ActionDetails | undefined) =>
  details === undefined ? Promise.resolve(null) : detailsDigest(details);

/** Mounted at `/v1`. */
export function stepUpRoutes(deps: Deps): Hono<AppEnv> {
  const authed = new Hono<SessionEnv>();
  authed.use("/step-up", requireSession(deps));
  authed.use("/step-up/options", requireSession(deps));
  authed.post(
    "/step-up",
    describe({
      summary:
        "Exchange the trading passcode, or a passkey's answer to /v1/step-up/options, for a 5-minute action token bound to the details",
      authenticated: true,
      responses: {
        200: {
          description:
            "Action token: a JWT with `aud` = the service's origin + `/actions`, `act`, `jti`, `sub`, `sid`, and `dtl` when details were given",
          schema: z.object({
            actionToken: z.string(),
            expiresIn: z.literal(300),
          }),
        },
      },
      problems: {
        401: ["invalid_code"],
        403: ["security_hold"],
        409: ["conflict", "details_mismatch"],
        423: ["step_up_locked", "account_frozen"],
      },
    }),
    rateLimit(deps, "code"),
    jsonBody(
      z.object({
        action: z.enum(stepUpActions),
        details: detailsField.optional(),
        tradingPasscode: z.string().regex(/^\d{6}$/, "must be 6 digits")
          .meta({ examples: ["284915"] }).optional(),
        webauthn: webauthnResponseField.optional().describe(
          "a passkey's answer to POST /v1/step-up/options, in place of tradingPasscode",
        ),
      }).refine(
        (body) => (body.tradingPasscode === undefined) !== !body.webauthn,
        {
          path: ["tradingPasscode"],
          message: "required: tradingPasscode or webauthn, one of them",
        },
      ),
    ),
    async (c) => {
      const body = c.req.valid("json");
      const { session } = c.get("auth");
      const origin = requestOrigin(c);
      const request = {
        action: body.action,
        dtl: await digestOf(body.details),
      };
      const proof = body.webauthn
        ? passkeyStepUpProof(
          deps,
          session,
          request,
          body.webauthn as never,
          origin,
        )
        : tradingPasscodeProof(
          deps,
          session.accountUuid,
          body.tradingPasscode!,
        );
      return c.json(await stepUp(deps, session, request, proof, origin));
    },
  );
  authed.post(
    "/step-up/options",
    describe({
      summary:
        "WebAuthn request options whose challenge commits to the action and its details, to step up with a passkey",
      authenticated: true,
      responses: {
        200: {
          description: "PublicKeyCredentialRequestOptionsJSON",
          schema: webauthnRequestOptions,
        },
      },
      problems: { 409: ["conflict"], 423: ["account_frozen"] },
    }),
    rateLimit(deps, "code"),
    jsonBody(z.object({
      action: z.enum(stepUpActions),
      details: detailsField.optional(),
    })),
    async (c) => {
      const body = c.req.valid("json");
      return c.json(
        await passkeyStepUpOptions(deps, c.get("auth").session, {
          action: body.action,
          dtl: await digestOf(body.details),
        }),
      );
    },
  );
  return new Hono<AppEnv>()
    .post(
      "/step-up/consume",
      describe({
        summary:
          "Redeem an action token (once), with the details it was given for",
        responses: {
          200: {
            description: "Redeemed; details repeats the bound details",
            schema: z.object({
              action: z.enum(stepUpActions),
              accountId: z.string(),
              details: z.record(z.string(), z.unknown()).optional(),
            }),
          },
        },
        problems: {
          401: ["unauthenticated"],
          403: ["security_hold"],
          409: ["token_used", "details_mismatch"],
          423: ["account_frozen"],
        },
        description:
          "Needs no session: the service that carries out the action calls it. " +
          "`401 unauthenticated` for a token that is not valid or expired, or whose " +
          "session has ended; such a refusal, and `409 details_mismatch`, spend nothing.",
      }),
      jsonBody(z.object({
        actionToken: z.string().min(10).max(4096).meta({
          examples: ["eyJhbGciOiJFZERTQSJ9.e30.c2lnbmF0dXJl"],
        }),
        details: detailsField.optional(),
      })),
      async (c) => {
        const body = c.req.valid("json");
        return c.json(
          await consumeActionToken(deps, body.actionToken, body.details),
        );
      },
    )
    .route("/", authed);
}
