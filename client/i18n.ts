/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="esnext" />
/**
 * The page's words for its script: the server puts the page's share of the catalog in
 * the page (`<script type="application/json" id="page-texts">`, routes/pages/texts.tsx)
 * in the page's language (`<html lang>`), and this formats them with ICU MessageFormat
 * (plurals, numbers, dates), as the server formats its own.
 */
import { IntlMessageFormat } from "intl-messageformat";
import { formattingLocales } from "../lib/i18n/formatting_locales.ts";
import { isLanguage, type Language } from "../lib/i18n/languages.ts";
import type { CatalogKey } from "../lib/i18n/translator.ts";

/** The page's language. */
export let language: Language = "en";

/** The locale times and numbers are written in on this page. */
export let locale: string = formattingLocales.en;

let texts: Partial<Record<CatalogKey, string>> = {};
const formats = new Map<CatalogKey, IntlMessageFormat>();

/**
 * Takes a language and its words: the page's own, as it loads; a test's, where there is
 * no page.
 */
export function setTexts(
  tag: string,
  words: Partial<Record<CatalogKey, string>>,
): void {
  language = isLanguage(tag) ? tag : "en";
  locale = formattingLocales[language];
  texts = words;
  formats.clear();
}

if (typeof document !== "undefined") {
  setTexts(
    document.documentElement.lang,
    JSON.parse(document.getElementById("page-texts")?.textContent || "{}"),
  );
}

/** The page's text for `key`, formatted with `values`. */
export function t(
  key: CatalogKey,
  values?: Record<string, string | number | Date>,
): string {
  let format = formats.get(key);
  if (!format) {
    const text = texts[key];
    // A test holds every key the script names to the page's share of the catalog.
    if (text === undefined) throw new TypeError(`No text for "${key}"`);
    format = new IntlMessageFormat(text, locale);
    formats.set(key, format);
  }
  return String(format.format(values));
}

/**
 * Sentences one after another, as the language writes them: after a space, or (Chinese)
 * right after the full stop. Empty ones are left out.
 */
export function sentences(...parts: (string | null | undefined)[]): string {
  return parts.filter(Boolean).join(language === "zh-Hans" ? "" : " ");
}
