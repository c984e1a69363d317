/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="esnext" />
/**
 * The language switch in every page's header. The choice is kept in the `lang` cookie,
 * which the server reads to write the page; once signed in it is the account's too
 * (`PUT /v1/preferences`), so messages follow it. {@link adoptAccountLanguage} brings an
 * account's language to a browser it signs in on.
 */
import { call } from "./api.ts";
import type { Session } from "./account_menu.ts";
import { language } from "./i18n.ts";

const year = 365 * 24 * 60 * 60;

function rememberLanguage(chosen: string): void {
  const secure = location.protocol === "https:" ? "; Secure" : "";
  document.cookie = `lang=${
    encodeURIComponent(chosen)
  }; Path=/; Max-Age=${year}; SameSite=Lax${secure}`;
}

/** Wires the switch: the page comes again in the chosen language. */
export function attachLanguageSwitch(session: Session | null): void {
  const select = document.getElementById("language-switch");
  if (!(select instanceof HTMLSelectElement)) return;
  select.disabled = false;
  select.addEventListener("change", async () => {
    const chosen = select.value;
    select.disabled = true;
    if (session) {
      // The account's messages follow; a failure leaves the page as it was.
      try {
        await call("PUT", "/v1/preferences", { language: chosen });
      } catch {
        select.value = language;
        select.disabled = false;
        return;
      }
    }
    rememberLanguage(chosen);
    location.reload();
  });
}

/**
 * After a sign-in: the account's language becomes this browser's, so the next page is in
 * it. Resolves to whether it differs from the page's.
 */
export async function adoptAccountLanguage(): Promise<boolean> {
  try {
    const { language: chosen } = await call<{ language: string }>(
      "GET",
      "/v1/preferences",
    );
    rememberLanguage(chosen);
    return chosen !== language;
  } catch {
    return false;
  }
}
