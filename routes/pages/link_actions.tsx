/** @jsxImportSource hono/jsx */
/**
 * The pages behind the links in messages: `/freeze` ("this wasn't me") and
 * `/recovery/cancel`. A GET only shows what will happen and a button, because mail
 * scanners follow links; the button posts the token back to the same page, which acts.
 * They work without JavaScript: a frightened owner may open the link anywhere. The
 * token is never logged (the request log records the route, not the query).
 */
import { type Context, Hono, type MiddlewareHandler } from "hono";
import type { Deps } from "../../lib/deps.ts";
import { freezeAccount } from "../../lib/account/account_freeze.ts";
import { cancelRecovery } from "../../lib/account/recovery_cancellation.ts";
import { ApiError } from "../../lib/runtime/errors.ts";
import type { AppEnv } from "../env.ts";
import { requestOrigin } from "../request_origin.ts";
import { linkTokenField } from "../fields.ts";
import type { PageContext } from "./layout.tsx";
import type { LinkTexts, LinkView } from "./link_page.tsx";
import { renderPage } from "./render.tsx";
import { lazy } from "../../lib/runtime/lazy.ts";

/** The context a page renders with, as the other pages get it. */
export type PageContextFor = (
  c: Context<AppEnv>,
  path: string,
  notice?: PageContext["notice"],
) => PageContext;

/** The page's view, loaded with the first link opened (a session check never needs it). */
const linkPage = lazy(async () => (await import("./link_page.tsx")).LinkPage);

/** What a link page says (its texts) and does. */
interface LinkAction extends LinkTexts {
  act(deps: Deps, token: string, c: Context<AppEnv>): Promise<string[]>;
}

const actions: Record<string, LinkAction> = {
  "/freeze": {
    name: "freeze",
    effects: 4,
    act: (deps, token, c) => freezeAccount(deps, token, requestOrigin(c)),
  },
  "/recovery/cancel": {
    name: "cancelRecovery",
    effects: 2,
    act: (deps, token, c) => cancelRecovery(deps, token, requestOrigin(c)),
  },
};

/** A token as the link carries it, or null for anything else. */
const parsedToken = (value: unknown): string | null =>
  linkTokenField.safeParse(value).success ? value as string : null;

/** Mounted at `/` by the pages' routes, behind their secure headers. */
export function linkActionPages(
  deps: Deps,
  contextFor: PageContextFor,
  pageSecureHeaders: MiddlewareHandler<AppEnv>,
): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  for (const [path, action] of Object.entries(actions)) {
    const render = async (
      c: Context<AppEnv>,
      view: LinkView,
    ) => {
      const LinkPage = await linkPage();
      const context = contextFor(
        c,
        path,
        view.invalid ? "common.link.invalid" : undefined,
      );
      c.status(view.invalid ? 400 : 200);
      return renderPage(
        c,
        context,
        <LinkPage action={action} view={view} context={context} />,
      );
    };
    app.get(
      path,
      pageSecureHeaders,
      (c) => render(c, { token: parsedToken(c.req.query("token")) }),
    );
    app.post(path, pageSecureHeaders, async (c) => {
      const form = await c.req.parseBody().catch(() => ({}));
      const token = parsedToken((form as Record<string, unknown>).token);
      if (token === null) return render(c, { token: null });
      try {
        c.get("messageIds").push(...await action.act(deps, token, c));
      } catch (error) {
        // The one refusal of both actions: a used, expired or mistyped link.
        if (!(error instanceof ApiError) || error.code !== "invalid_code") {
          throw error;
        }
        return render(c, { token: null, invalid: true });
      }
      return render(c, { token: null, done: true });
    });
  }
  return app;
}
