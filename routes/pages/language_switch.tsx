/** @jsxImportSource hono/jsx */
/**
 * The language switch in every page's header (client/language_switch.ts makes it work):
 * each language named in itself, marked with its own `lang` so a screen reader says
 * "Deutsch" in German. Off until the page's script has attached it.
 */
import { languageNames, languages } from "../../lib/i18n/languages.ts";
import { usePageLanguage, useText } from "./texts.tsx";

export function LanguageSwitch() {
  const t = useText();
  const current = usePageLanguage();
  return (
    <select
      id="language-switch"
      class="language-switch"
      aria-label={t("common.language")}
      disabled
      autocomplete="off"
    >
      {languages.map((language) => (
        <option
          value={language}
          lang={language}
          selected={language === current}
        >
          {languageNames[language]}
        </option>
      ))}
    </select>
  );
}
