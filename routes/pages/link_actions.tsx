/** @jsxImportSource hono/jsx */
/**
 * The pages behind the links in messages: `/freeze` ("this wasn't me") and
 * `/recovery/cancel`. A GET only shows what will happen and a button, because mail
 * scanners follow links; the button posts the token back to the same page, which acts.
 * They work without JavaScript: a frightened owner may open the link anywhere. The
 * token is never logged (the request log records the route, not the query).
 */
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { raw } from "hono/html";
import type { Deps } from "../../lib/deps.ts";
import { freezeAccount } from "../../lib/account/account_freeze.ts";
import { cancelRecovery } from "../../lib/account/recovery_cancellation.ts";
import { ApiError } from "../../lib/runtime/errors.ts";
import { type AppEnv, requestOrigin } from "../env.ts";
import { linkTokenField } from "../fields.ts";
import { AuthCard, Layout, type PageContext } from "./layout.tsx";

/** The context a page renders with, as the other pages get it. */
export type PageContextFor = (
  c: Context<AppEnv>,
  path: string,
  notice?: string,
) => PageContext;

/** What a link page says and does. */
interface LinkAction {
  title: string;
  /** What pressing the button does, in a list. */
  effects: string[];
  button: string;
  act(deps: Deps, token: string, c: Context<AppEnv>): Promise<string[]>;
  done: string;
}

const actions: Record<string, LinkAction> = {
  "/freeze": {
    title: "Freeze your account",
    effects: [
      "Every session ends: whoever is signed in is signed out.",
      "A pending recovery or change of your account ID is cancelled.",
      "Withdrawals are held, and nobody can sign in, step up or change a setting.",
      "To unfreeze it, you recover it at /recover with a code sent to your address and your second factor, and choose a new passcode.",
    ],
    button: "Freeze my account",
    act: (deps, token, c) => freezeAccount(deps, token, requestOrigin(c)),
    done:
      "Your account is frozen. We sent you a message saying how to unfreeze it: recover it at /recover.",
  },
  "/recovery/cancel": {
    title: "Cancel the recovery of your account",
    effects: [
      "The pending recovery is cancelled: your passcode and second factors stay as they are.",
      "If somebody else asked for it, they also know your address: consider freezing your account from the link in our messages.",
    ],
    button: "Cancel the recovery",
    act: (deps, token, c) => cancelRecovery(deps, token, requestOrigin(c)),
    done: "The recovery is cancelled. We sent you a message confirming it.",
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
    const render = (
      c: Context<AppEnv>,
      view: { token: string | null; result?: string; error?: string },
    ) => {
      const context = contextFor(c, path, view.error);
      return c.html(
        <>
          {raw("<!DOCTYPE html>")}
          <Layout context={context} title={action.title} page="link-action">
            <AuthCard title={action.title}>
              {view.result
                ? <p role="status">{view.result}</p>
                : view.error
                ? <p role="alert">Nothing was changed.</p>
                : view.token === null
                ? (
                  <p>
                    This link is incomplete. Open the whole link from our
                    message, or copy it into the address bar.
                  </p>
                )
                : (
                  <>
                    <p>Pressing the button below does this:</p>
                    <ul>
                      {action.effects.map((effect) => (
                        <li key={effect}>{effect}</li>
                      ))}
                    </ul>
                    <form method="post">
                      <input type="hidden" name="token" value={view.token} />
                      <button type="submit">{action.button}</button>
                    </form>
                  </>
                )}
            </AuthCard>
          </Layout>
        </>,
        view.error ? 400 : 200,
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
        if (!(error instanceof ApiError) || error.status >= 500) throw error;
        return render(c, { token: null, error: error.message });
      }
      return render(c, { token: null, result: action.done });
    });
  }
  return app;
}
