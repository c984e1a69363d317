/** @jsxImportSource hono/jsx */
/**
 * The pages and their assets: `/`, `/login`, `/register`, `/recover`, `/security`,
 * `/step-up`.
 */
import { type Context, Hono } from "hono";
import type { FC } from "hono/jsx";
import { getCookie } from "hono/cookie";
import { NONCE, secureHeaders } from "hono/secure-headers";
import type { Asset, Assets } from "../../lib/runtime/assets.ts";
import type { Deps } from "../../lib/deps.ts";
import { ApiError } from "../../lib/runtime/errors.ts";
import type { AppEnv } from "../env.ts";
import { requestLanguage } from "../request_origin.ts";
import { refreshCookie } from "../session_transport.ts";
import { logoName } from "./brand.ts";
import { linkActionPages } from "./link_actions.tsx";
import type { PageContext } from "./layout.tsx";
import { renderPage } from "./render.tsx";
import { lazy } from "../../lib/runtime/lazy.ts";

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

type Page = FC<{ context: PageContext }>;

/**
 * Each page's view, loaded with its first request: an isolate that answers the API
 * alone never loads the pages' components (about 40 ms of a cold start).
 */
const pages: Record<string, () => Promise<Page>> = {
  "/": lazy(async () => (await import("./home.tsx")).HomePage),
  "/login": lazy(async () => (await import("./login.tsx")).LoginPage),
  "/register": lazy(async () => (await import("./register.tsx")).RegisterPage),
  "/recover": lazy(async () => (await import("./recover.tsx")).RecoverPage),
  "/security": lazy(async () => (await import("./security.tsx")).SecurityPage),
  "/step-up": lazy(async () => (await import("./step_up.tsx")).StepUpPage),
};

/**
 * Mounted at `/`. `brand` is the answer of `loadBrandAssets` (brand.ts), read when
 * the app is built, so a bad `BRAND_LOGO` stops the start, not the first page.
 */
export function pageRoutes(
  deps: Deps,
  built: Assets,
  brand: Assets,
): Hono<AppEnv> {
  const files = new Map<string, Asset>([...built.files, ...brand.files]);
  const asset = (name: string) =>
    brand.files.has(name) ? brand.url(name) : built.url(name);
  const logo = logoName(deps.config.brand);
  const contextFor = (
    c: Context<AppEnv>,
    path: string,
    notice?: PageContext["notice"],
  ): PageContext => ({
    nonce: c.get("secureHeadersNonce") ?? "",
    origin: deps.config.appOrigins[0],
    path,
    language: requestLanguage(c),
    query: new URL(c.req.url).searchParams,
    notice,
    brandName: deps.config.brand.name,
    logo,
    // Only a hint (the cookie is HttpOnly): the module asks the API.
    maybeSignedIn: getCookie(c, refreshCookie) !== undefined,
    asset,
  });
  const app = new Hono<AppEnv>();
  for (const [path, view] of Object.entries(pages)) {
    const render = async (
      c: Context<AppEnv>,
      notice?: PageContext["notice"],
    ) => {
      const Page = await view();
      const context = contextFor(c, path, notice);
      return renderPage(c, context, <Page context={context} />);
    };
    app.get(path, pageSecureHeaders, (c) => render(c));
    // A form sent before the module ran, or with scripts off. The body is never read:
    // it holds passcodes and codes, and the module sends them to the API itself.
    app.post(
      path,
      pageSecureHeaders,
      (c) => render(c, "common.javaScriptNeeded"),
    );
  }
  app.route("/", linkActionPages(deps, contextFor, pageSecureHeaders));
  // Browsers ask for it on pages without a <link rel="icon">: the API's, the outbox.
  app.get("/favicon.ico", (c) => c.redirect(asset(logo), 301));
  app.get("/assets/:name", (c) => {
    const asset = files.get(c.req.param("name"));
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
