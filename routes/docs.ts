/**
 * `GET /docs`: the API reference, Swagger UI over `/openapi.json`. Everything it loads
 * comes from this origin (`deno task build` bundles `swagger-ui-dist` with its
 * initialisation into `docs.js` and `docs.css`), so its policy allows scripts and
 * styles from here and nothing inline, and it may fetch only this origin.
 */
import { Hono } from "hono";
import { html } from "hono/html";
import { secureHeaders } from "hono/secure-headers";
import type { Assets } from "../lib/runtime/assets.ts";
import type { AppEnv } from "./env.ts";

const docsSecureHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", "data:"],
    connectSrc: ["'self'"],
    formAction: ["'none'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
  },
  strictTransportSecurity: "max-age=63072000; includeSubDomains",
  referrerPolicy: "no-referrer",
  crossOriginResourcePolicy: "same-origin",
  xFrameOptions: "DENY",
});

/** Mounted at `/`. */
export function docsRoutes(assets: Assets, title: string): Hono<AppEnv> {
  return new Hono<AppEnv>().get(
    "/docs",
    docsSecureHeaders,
    (c) =>
      c.html(html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${title}: API reference</title>
    <link rel="stylesheet" href="${assets.url("docs.css")}">
  </head>
  <body>
    <main id="swagger-ui"></main>
    <noscript>The API reference needs JavaScript; the document itself is at
      <a href="/openapi.json">/openapi.json</a>.</noscript>
    <script type="module" src="${assets.url("docs.js")}"></script>
  </body>
</html>`),
  );
}
