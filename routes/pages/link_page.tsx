/** @jsxImportSource hono/jsx */
/** The page behind a link in a message (routes/pages/link_actions.tsx acts on it). */
import { AuthCard, Layout, type PageContext } from "./layout.tsx";
import type { CatalogKey } from "../../lib/i18n/translator.ts";
import { useText } from "./texts.tsx";

/** What a link page says: its texts are `common.link.<name>.*`. */
export interface LinkTexts {
  name: "freeze" | "cancelRecovery";
  /** How many effects the page lists (`effect1`, `effect2`, ...). */
  effects: number;
}

/** What the page shows: the button for a token, or what pressing it did. */
export interface LinkView {
  token: string | null;
  done?: boolean;
  invalid?: boolean;
}

/** The action's text `part` (`t` throws for a missing key; the link pages' tests render each). */
const linkText = (action: LinkTexts, part: string) =>
  `common.link.${action.name}.${part}` as CatalogKey;

export function LinkPage(
  { action, view, context }: {
    action: LinkTexts;
    view: LinkView;
    context: PageContext;
  },
) {
  const t = useText();
  const title = t(linkText(action, "title"));
  return (
    <Layout context={context} title={title} page="link-action">
      <AuthCard title={title}>
        {view.done
          ? <p role="status">{t(linkText(action, "done"))}</p>
          : view.invalid
          ? <p role="alert">{t("common.link.nothingChanged")}</p>
          : view.token === null
          ? <p>{t("common.link.incomplete")}</p>
          : (
            <>
              <p>{t("common.link.pressing")}</p>
              <ul>
                {Array.from(
                  { length: action.effects },
                  (_, i) => (
                    <li key={i}>{t(linkText(action, `effect${i + 1}`))}</li>
                  ),
                )}
              </ul>
              <form method="post">
                <input type="hidden" name="token" value={view.token} />
                <button type="submit">{t(linkText(action, "button"))}</button>
              </form>
            </>
          )}
      </AuthCard>
    </Layout>
  );
}
