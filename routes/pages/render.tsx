/** @jsxImportSource hono/jsx */
/**
 * A page's answer: the document in the request's language, which the answer names
 * (`Content-Language`) and varies by (the language switch's cookie, `Accept-Language`).
 */
import type { Context } from "hono";
import type { Child } from "hono/jsx";
import { raw } from "hono/html";
import type { AppEnv } from "../env.ts";
import type { PageContext } from "./layout.tsx";
import { InLanguage } from "./texts.tsx";

/** Answers `page`, rendered in the context's language. */
export function renderPage(
  c: Context<AppEnv>,
  context: PageContext,
  page: Child,
): Response | Promise<Response> {
  c.header("Content-Language", context.language);
  c.header("Vary", "Cookie, Accept-Language", { append: true });
  // The doctype keeps browsers out of quirks mode (form margins, box sizes).
  return c.html(
    <>
      {raw("<!DOCTYPE html>")}
      <InLanguage language={context.language}>{page}</InLanguage>
    </>,
  );
}
