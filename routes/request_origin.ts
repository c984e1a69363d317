/**
 * What a request says of its sender: address, user agent, language. Apart from env.ts
 * because the language matcher it loads is needed by no route built with the app.
 */
import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import {
  acceptedLanguages,
  chooseLanguage,
  type Language,
} from "../lib/i18n/languages.ts";
import type { RequestOrigin } from "../lib/deps.ts";
import type { AppEnv } from "./env.ts";

/** The client's address (resolved once per request) and user agent. */
export function requestOrigin<E extends AppEnv>(c: Context<E>): RequestOrigin {
  return {
    ip: c.get("clientIp")(),
    userAgent: c.req.header("user-agent")?.slice(0, 256) ?? null,
    language: requestLanguage(c),
  };
}

/** The cookie a page's language switch sets before sign-in. */
export const languageCookie = "lang";

/**
 * The language a request asks for: the language switch's cookie, else the best match
 * of `Accept-Language`, else English.
 */
export function requestLanguage<E extends AppEnv>(c: Context<E>): Language {
  return chooseLanguage(
    getCookie(c, languageCookie),
    ...acceptedLanguages(c.req.header("accept-language")),
  );
}
