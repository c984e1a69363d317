/**
 * Login: passcode, then TOTP enrollment or a second factor, then a session; or a
 * passkey alone.
 */
import { type Context, Hono } from "hono";
import { createFactory } from "hono/factory";
import { z } from "zod";
import { normaliseAccountId } from "../lib/account_id.ts";
import { requireCaptcha } from "../lib/safeguards/captcha_gate.ts";
import type { Deps } from "../lib/deps.ts";
import {
  beginTotpEnrollment,
  invalidCredentials,
  resendDeviceCode,
  startLogin,
  verifyDevice,
} from "../lib/login/login.ts";
import { loginLockout } from "../lib/safeguards/lockout.ts";
import {
  type CompletedLogin,
  completeWithBackupCode,
  completeWithTotp,
} from "../lib/login/login_completion.ts";
import type { RequestOrigin } from "../lib/deps.ts";
import type { AppEnv } from "./env.ts";
import { requestOrigin } from "./request_origin.ts";
import {
  backupCodeField,
  captchaField,
  isoTime,
  passcodeField,
  presentedAccountIdField,
  sixDigitCode,
} from "./fields.ts";
import {
  deliverTokens,
  deviceCookie,
  sessionCookiesHeader,
  setDeviceCookie,
} from "./session_transport.ts";
import { getCookie } from "hono/cookie";
import {
  rateLimit,
  rateLimitedDoc,
  throttle,
  throttleGuard,
} from "./rate_limit.ts";
import { webauthnResponseField } from "./devices.ts";
import {
  completeWithWebauthn,
  webauthnLoginOptions,
} from "../lib/webauthn/webauthn_login.ts";
import {
  passkeyLoginOptions,
  signInWithPasskey,
} from "../lib/webauthn/passkey_login.ts";
import { jsonBody } from "./validation.ts";
import { describe, type OperationDoc } from "./route_docs.ts";

const factory = createFactory<AppEnv>();

const ticketField = z.string().min(10).max(100).meta({
  description: "The ticket of `POST /v1/login`",
  examples: ["bG9naW4tdGlja2V0LWV4YW1wbGUtb2YtNDMtY2hhcnM"],
});
const transportField = z.enum(["cookie", "token"]).optional().describe(
  '"token" returns the tokens in the body instead of setting cookies',
);

/** The body of a step that completes the login: ticket, transport, the factor's fields. */
type CompletionBody<P extends z.ZodRawShape> = z.infer<z.ZodObject<P>> & {
  ticket: string;
  transport?: z.infer<typeof transportField>;
};

const ticketState = z.object({
  status: z.literal("pending"),
  ticket: z.string(),
  expiresIn: z.number(),
  requires: z.array(z.enum(["device_verification", "mfa_enrollment", "mfa"])),
  methods: z.array(z.enum(["totp", "webauthn", "backup_code"])),
});

const authenticatedState = z.object({
  status: z.literal("authenticated"),
  session: z.object({ id: z.string(), expiresAt: isoTime }),
  amr: z.array(z.string()),
  accessToken: z.string().optional(),
  refreshToken: z.string().optional(),
  backupCodes: z.array(z.string()).optional(),
  backupCodesRemaining: z.number().optional(),
});

/** WebAuthn options as `@simplewebauthn/server` makes them (the JSON itself). */
export const webauthnRequestOptions = z.looseObject({
  challenge: z.string(),
  allowCredentials: z.array(z.looseObject({ id: z.string() })).optional(),
});

/** The refusals of a step that checks a code against the ticket. */
const codeFailures = {
  401: ["invalid_code", "invalid_ticket"],
  // An account that accepts passkeys alone refuses app and backup codes.
  403: ["method_disabled"],
  409: ["conflict"],
  423: ["account_locked", "account_frozen"],
} as const satisfies OperationDoc["problems"];

/** Mounted at `/v1`. */
export function loginRoutes(deps: Deps): Hono<AppEnv> {
  /** The answer of a completed sign-in: cookies or tokens, as the client asked. */
  const authenticated = (
    c: Context<AppEnv>,
    completed: CompletedLogin,
    transport: z.infer<typeof transportField>,
  ) => {
    c.get("messageIds").push(...completed.messageIds);
    if (completed.deviceCookie) setDeviceCookie(c, completed.deviceCookie);
    return c.json({
      status: "authenticated",
      ...deliverTokens(c, completed, transport, deps.clock.now()),
      amr: completed.amr,
      ...(completed.backupCodes ? { backupCodes: completed.backupCodes } : {}),
      ...(completed.backupCodesRemaining !== undefined
        ? { backupCodesRemaining: completed.backupCodesRemaining }
        : {}),
    });
  };

  /**
   * The handlers of a step that completes the login with a second factor: the ticket,
   * the factor's own fields (`proof`) and the transport in, the session out.
   */
  const completion = <P extends z.ZodRawShape>(
    summary: string,
    proof: P,
    complete: (
      body: CompletionBody<P>,
      origin: RequestOrigin,
    ) => Promise<CompletedLogin>,
  ) =>
    factory.createHandlers(
      describe({
        summary,
        responses: {
          200: {
            description:
              'Authenticated: the tokens in the body with `"transport":"token"`, else as cookies',
            schema: authenticatedState,
            headers: { "Set-Cookie": sessionCookiesHeader },
          },
        },
        problems: codeFailures,
      }),
      rateLimit(deps, "code"),
      // Typed as the parts it is built from: zod's type for an object spread with a
      // generic shape is one whose fields TypeScript cannot look up.
      jsonBody(
        z.object({
          ticket: ticketField,
          ...proof,
          transport: transportField,
        }) as z.ZodType as z.ZodType<CompletionBody<P>>,
      ),
      async (c) => {
        const body = c.req.valid("json");
        return authenticated(
          c,
          await complete(body, requestOrigin(c)),
          body.transport,
        );
      },
    );

  return new Hono<AppEnv>()
    .post(
      "/login",
      describe({
        summary: "Step 1: account ID, passcode and CAPTCHA; returns a ticket",
        responses: {
          200: {
            description: "What the login still requires",
            schema: ticketState,
          },
        },
        problems: {
          ...rateLimitedDoc.problems,
          400: ["captcha_required", "captcha_invalid"],
          401: ["invalid_credentials"],
          423: ["account_locked", "account_frozen"],
        },
        rateLimited: true,
      }),
      jsonBody(z.object({
        accountId: presentedAccountIdField,
        passcode: passcodeField,
        captcha: captchaField,
      })),
      async (c) => {
        const body = c.req.valid("json");
        const accountId = await normaliseAccountId(body.accountId);
        if (!accountId) {
          // The answer of an unknown account, at the same price to the client: a
          // counted request, a spent CAPTCHA and a hash. (No lockout: the ID names
          // nobody, and its format is the client's own mistake, not a secret; its
          // count stays where a first failure leaves it.)
          await throttle(deps, c, "login");
          await requireCaptcha(deps, body.captcha);
          await deps.hasher.verify(
            await deps.dummyPasscodeHash(),
            body.passcode,
          );
          throw invalidCredentials(loginLockout.maxFailures - 1);
        }
        const { state, messageIds } = await startLogin(deps, {
          accountId,
          passcode: body.passcode,
          captcha: body.captcha,
          deviceCookie: getCookie(c, deviceCookie),
          throttle: throttleGuard(deps, c, "login"),
        }, requestOrigin(c));
        c.get("messageIds").push(...messageIds);
        return c.json(state);
      },
    )
    .post(
      "/login/device",
      describe({
        summary: "The new-device code sent to the account's address",
        responses: {
          200: {
            description: "What the login still requires",
            schema: ticketState,
          },
        },
        problems: codeFailures,
      }),
      rateLimit(deps, "code"),
      jsonBody(z.object({ ticket: ticketField, code: sixDigitCode })),
      async (c) => {
        const body = c.req.valid("json");
        return c.json(
          await verifyDevice(deps, body.ticket, body.code, requestOrigin(c)),
        );
      },
    )
    .post(
      "/login/device/resend",
      describe({
        summary:
          "Send a new new-device code in place of the last (once a minute per ticket)",
        responses: {
          202: {
            description:
              "Sent; `expiresIn` is the seconds the ticket (and so the code) has left",
            schema: z.object({
              status: z.literal("verification_sent"),
              expiresIn: z.number(),
            }),
          },
        },
        problems: {
          401: ["invalid_ticket"],
          409: ["conflict"],
          423: ["account_locked", "account_frozen"],
        },
        description:
          "`429 rate_limited` with `Retry-After` also when this ticket was sent a " +
          "code less than a minute ago; `409 conflict` when it needs no device code.",
      }),
      rateLimit(deps, "code"),
      jsonBody(z.object({ ticket: ticketField })),
      async (c) => {
        const { expiresIn, messageIds } = await resendDeviceCode(
          deps,
          c.req.valid("json").ticket,
          requestOrigin(c),
        );
        c.get("messageIds").push(...messageIds);
        return c.json({ status: "verification_sent", expiresIn }, 202);
      },
    )
    .post(
      "/login/totp/enroll",
      describe({
        summary: "A new TOTP secret for enrollment inside login",
        responses: {
          200: {
            description: "Secret, otpauth URI and QR code",
            schema: z.object({
              secret: z.string(),
              otpauthUri: z.string(),
              qrSvg: z.string(),
            }),
          },
        },
        problems: { 401: ["invalid_ticket"], 409: ["conflict"] },
      }),
      rateLimit(deps, "code"),
      jsonBody(z.object({ ticket: ticketField })),
      async (c) => {
        return c.json(
          await beginTotpEnrollment(deps, c.req.valid("json").ticket),
        );
      },
    )
    .post(
      "/login/totp",
      ...completion(
        "Complete MFA (or enrollment) with a TOTP code",
        { code: sixDigitCode },
        (body, origin) =>
          completeWithTotp(deps, body.ticket, body.code, origin),
      ),
    )
    .post(
      "/login/webauthn/options",
      describe({
        summary:
          "Request options for a passkey or security key of this account",
        responses: {
          200: {
            description: "PublicKeyCredentialRequestOptionsJSON",
            schema: webauthnRequestOptions,
          },
        },
        problems: { 401: ["invalid_ticket"], 409: ["conflict"] },
      }),
      rateLimit(deps, "code"),
      jsonBody(z.object({ ticket: ticketField })),
      async (c) => {
        return c.json(
          await webauthnLoginOptions(deps, c.req.valid("json").ticket),
        );
      },
    )
    .post(
      "/login/webauthn",
      ...completion(
        "Complete MFA with a passkey or security key",
        { response: webauthnResponseField },
        (body, origin) =>
          completeWithWebauthn(
            deps,
            body.ticket,
            body.response as never,
            origin,
          ),
      ),
    )
    .post(
      "/login/passkey/options",
      describe({
        summary:
          "Request options for signing in with a passkey alone (discoverable, user verification required)",
        responses: {
          200: {
            description:
              "PublicKeyCredentialRequestOptionsJSON without `allowCredentials`; the challenge is single-use, 5 minutes",
            schema: webauthnRequestOptions,
          },
        },
      }),
      rateLimit(deps, "code"),
      async (c) => c.json(await passkeyLoginOptions(deps)),
    )
    .post(
      "/login/passkey",
      describe({
        summary:
          "Sign in with a passkey alone: user verification makes it two factors",
        responses: {
          200: {
            description:
              'Authenticated (`amr` hwk, user, mfa): the tokens in the body with `"transport":"token"`, else as cookies',
            schema: authenticatedState,
            headers: { "Set-Cookie": sessionCookiesHeader },
          },
        },
        problems: {
          401: ["invalid_code"],
          423: ["account_locked", "account_frozen"],
        },
        description:
          "`401 invalid_code` for an unknown, used or expired challenge, an unknown " +
          "or removed passkey, and an assertion that does not verify (user " +
          "verification, user handle, origin, signature).",
      }),
      rateLimit(deps, "code"),
      jsonBody(z.object({
        response: webauthnResponseField,
        transport: transportField,
      })),
      async (c) => {
        const body = c.req.valid("json");
        const completed = await signInWithPasskey(deps, {
          response: body.response as never,
          deviceCookie: getCookie(c, deviceCookie),
        }, requestOrigin(c));
        return authenticated(c, completed, body.transport);
      },
    )
    .post(
      "/login/backup-code",
      ...completion(
        "Complete MFA with a single-use backup code",
        { code: backupCodeField },
        (body, origin) =>
          completeWithBackupCode(deps, body.ticket, body.code, origin),
      ),
    );
}
