/**
 * How session tokens travel: `__Host-` cookies for browsers, or the body and a Bearer
 * header for API clients (`"transport": "token"`), and the Origin rule for cookie writes.
 */
import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Deps } from "../lib/deps.ts";
import { ApiError } from "../lib/runtime/errors.ts";
import {
  authenticate,
  type Authenticated,
  type IssuedTokens,
} from "../lib/sessions/sessions.ts";
import { type AppEnv, unsafeMethods } from "./env.ts";
import { documented, type HeaderDoc } from "./route_docs.ts";
import { isoText } from "./iso_time.ts";

export const sessionCookie = "__Host-session";
export const refreshCookie = "__Host-refresh";
export const deviceCookie = "__Host-device";

/** The `Set-Cookie` of an answer that may recognise this browser. */
export const deviceCookieHeader: HeaderDoc = {
  description:
    "`__Host-device`, when this browser becomes recognised for the account (400 days)",
};

/** The `Set-Cookie` of an answer that may start or rotate a browser's session. */
export const sessionCookiesHeader: HeaderDoc = {
  description:
    "`__Host-session` (the access JWT) and `__Host-refresh`, for the cookie transport; " +
    "`__Host-device` when this browser becomes recognised",
};

/** The `Set-Cookie` of an answer that ends a browser's session. */
export const clearedCookiesHeader: HeaderDoc = {
  description: "`__Host-session` and `__Host-refresh`, cleared (`Max-Age=0`)",
};

/** Browsers cap cookie lifetimes at 400 days (RFC 6265bis); recognition lasts that long. */
const deviceCookieMaxAgeSeconds = 400 * 24 * 60 * 60;

/** Sets the recognised-device cookie. */
export function setDeviceCookie<E extends AppEnv>(
  c: Context<E>,
  value: string,
): void {
  setCookie(c, deviceCookie, value, {
    ...cookieOptions,
    maxAge: deviceCookieMaxAgeSeconds,
  });
}

const cookieOptions = {
  path: "/",
  secure: true,
  httpOnly: true,
  sameSite: "Lax",
} as const;

/** The session part of a completing login or refresh response, cookies set as asked. */
export function deliverTokens<E extends AppEnv>(
  c: Context<E>,
  tokens: IssuedTokens,
  transport: "cookie" | "token" | undefined,
  nowMs: number,
): Record<string, unknown> {
  const session = {
    id: tokens.session.id,
    expiresAt: isoText(tokens.session.absoluteExpiresAt),
  };
  if (transport === "token") {
    return {
      session,
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
    };
  }
  // Both cookies live as long as the session may; the JWT inside expires sooner.
  const maxAge = Math.max(
    0,
    Math.floor((tokens.session.absoluteExpiresAt - nowMs) / 1000),
  );
  setCookie(c, sessionCookie, tokens.accessToken, { ...cookieOptions, maxAge });
  setCookie(c, refreshCookie, tokens.refreshToken, {
    ...cookieOptions,
    maxAge,
  });
  return { session };
}

/** Clears both session cookies. */
export function clearSessionCookies<E extends AppEnv>(c: Context<E>): void {
  deleteCookie(c, sessionCookie, cookieOptions);
  deleteCookie(c, refreshCookie, cookieOptions);
}

/** The access token of a request and whether it came in a cookie. */
export function presentedAccessToken<E extends AppEnv>(
  c: Context<E>,
): { token: string | undefined; viaCookie: boolean } {
  const authorization = c.req.header("authorization");
  if (authorization) {
    const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(authorization);
    return { token: match?.[1], viaCookie: false };
  }
  return { token: getCookie(c, sessionCookie), viaCookie: true };
}

/**
 * API.md's CSRF rule: an unsafe request authenticated by cookie must come from our own
 * origin (`Origin`), or say so (`Sec-Fetch-Site: same-origin`), whatever its content
 * type. Hono's `csrf()` checks form types only, which is not enough here.
 */
export function assertSameOrigin<E extends AppEnv>(
  c: Context<E>,
  deps: Deps,
): void {
  if (!unsafeMethods.includes(c.req.method)) return;
  const origin = c.req.header("origin");
  if (origin && deps.config.appOrigins.includes(origin)) return;
  if (!origin && c.req.header("sec-fetch-site") === "same-origin") return;
  throw new ApiError("csrf_rejected");
}

/** Session data routes behind {@link requireSession} can read. */
export interface SessionEnv extends AppEnv {
  Variables: AppEnv["Variables"] & { auth: Authenticated };
}

/** Requires a valid session (Bearer or cookie); cookie writes must pass the Origin rule. */
export function requireSession(deps: Deps): MiddlewareHandler<SessionEnv> {
  return documented(
    async function requireSession(c, next) {
      const { token, viaCookie } = presentedAccessToken(c);
      if (viaCookie && token) assertSameOrigin(c, deps);
      c.set("auth", await authenticate(deps, token));
      return next();
    } satisfies MiddlewareHandler<SessionEnv>,
    {
      authenticated: true,
      problems: {
        401: ["unauthenticated", "session_revoked"],
        423: ["account_frozen"],
      },
    },
    { methods: unsafeMethods, problems: { 403: ["csrf_rejected"] } },
  );
}
