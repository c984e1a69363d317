/** @jsxImportSource hono/jsx */
/** The pages and their assets: `/`, `/login`, `/register`, `/recover`, `/security`. */
import { type Context, Hono } from "hono";
import { NONCE, secureHeaders } from "hono/secure-headers";
import type { Assets } from "../../lib/runtime/assets.ts";
import type { Deps } from "../../lib/deps.ts";
import { ApiError } from "../../lib/runtime/errors.ts";
import type { AppEnv } from "../env.ts";
import type { PageContext } from "./layout.tsx";
import {
  HomePage,
  LoginPage,
  RecoverPage,
  RegisterPage,
  SecurityPage,
} from "./screens.tsx";

/**
 * Pages may run exactly the module this response names (a fresh nonce each time), its
 * CAPTCHA worker, and talk to this origin; nothing else, nothing inline.
 */
export const pageSecureHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    scriptSrc: [NONCE, "'strict-dynamic'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", "data:"],
    connectSrc: ["'self'"],
    workerSrc: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
  },
  strictTransportSecurity: "max-age=63072000; includeSubDomains",
  referrerPolicy: "no-referrer",
  crossOriginResourcePolicy: "same-origin",
  xFrameOptions: "DENY",
});

const pages = {
  "/": HomePage,
  "/login": LoginPage,
  "/register": RegisterPage,
  "/recover": RecoverPage,
  "/security": SecurityPage,
};

/** What a page says when one of its forms arrives instead of going through the module. */
const javaScriptNeeded =
  "JavaScript is needed to continue. Nothing you entered was used: wait until the page has loaded, with JavaScript allowed, and enter it again.";

/** Mounted at `/`. */
export function pageRoutes(deps: Deps, assets: Assets): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  for (const [path, Page] of Object.entries(pages)) {
    const render = (c: Context<AppEnv>, notice?: string) => {
      const context: PageContext = {
        nonce: c.get("secureHeadersNonce") ?? "",
        origin: deps.config.appOrigins[0],
        path,
        notice,
        asset: assets.url,
      };
      return c.html(<Page context={context} />);
    };
    app.get(path, pageSecureHeaders, (c) => render(c));
    // A form sent before the module ran, or with scripts off. The body is never read:
    // it holds passcodes and codes, and the module sends them to the API itself.
    app.post(path, pageSecureHeaders, (c) => render(c, javaScriptNeeded));
  }
  app.get("/assets/:name", (c) => {
    const asset = assets.files.get(c.req.param("name"));
    if (!asset) throw new ApiError("not_found");
    // Versioned URLs never change content; anything else revalidates.
    c.header(
      "Cache-Control",
      c.req.query("v") === asset.version
        ? "public, max-age=31536000, immutable"
        : "no-cache",
    );
    c.header("Content-Type", asset.contentType);
    return c.body(asset.body);
  });
  return app;
}
