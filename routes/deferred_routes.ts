/**
 * Every route but the health probe and the session check, built on the first request
 * that needs one of them: their modules (the pages, sign-up and sign-in, recovery,
 * passkeys, the security centre, the schemas of their bodies) are most of the app, and
 * an edge isolate started for a session check or a probe should not wait for them.
 * routes/app.ts dispatches to these routes inside its own request frame.
 */
import { Hono } from "hono";
import type { Deps } from "../lib/deps.ts";
import type { Assets } from "../lib/runtime/assets.ts";
import { accountFreezeRoutes } from "./account_freeze.ts";
import { accountIdRoutes } from "./account_id.ts";
import { accountRoutes } from "./accounts.ts";
import { antiPhishingRoutes } from "./anti_phishing.ts";
import { captchaRoutes } from "./captcha.ts";
import { devRoutes } from "./dev.tsx";
import { deviceRoutes } from "./devices.ts";
import { docsRoutes } from "./docs.ts";
import type { AppEnv } from "./env.ts";
import { loginRoutes } from "./login.ts";
import { mfaRoutes } from "./mfa.ts";
import { pageRoutes } from "./pages/routes.tsx";
import { passcodeRoutes } from "./passcode.ts";
import { preferencesRoutes } from "./preferences.ts";
import { recoveryRoutes } from "./recovery.ts";
import { securityRoutes } from "./security.ts";
import { sessionRoutes } from "./session.ts";
import { stepUpRoutes } from "./step_up.ts";
import { tradingPasscodeRoutes } from "./trading_passcode.ts";
import { wellKnownRoutes } from "./well_known.ts";

/** The routes, mounted at their full paths on an app of their own. */
export function deferredRoutes(
  deps: Deps,
  assets: { built: Assets; brand: Assets },
  apiTitle: string,
): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.route("/", pageRoutes(deps, assets.built, assets.brand));
  app.route("/", wellKnownRoutes(deps));
  app.route("/v1", captchaRoutes(deps));
  app.route("/v1", accountRoutes(deps));
  app.route("/v1", loginRoutes(deps));
  app.route("/v1", sessionRoutes(deps));
  app.route("/v1", mfaRoutes(deps));
  app.route("/v1", deviceRoutes(deps));
  app.route("/v1", antiPhishingRoutes(deps));
  app.route("/v1", recoveryRoutes(deps));
  app.route("/v1", passcodeRoutes(deps));
  app.route("/v1", accountIdRoutes(deps));
  app.route("/v1", tradingPasscodeRoutes(deps));
  app.route("/v1", stepUpRoutes(deps));
  app.route("/v1", securityRoutes(deps));
  app.route("/v1", preferencesRoutes(deps));
  app.route("/v1", accountFreezeRoutes(deps));
  if (deps.config.appEnv === "development") app.route("/dev", devRoutes(deps));
  app.route("/", docsRoutes(assets.built, apiTitle));
  return app;
}
