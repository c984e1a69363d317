/**
 * Text in a language: ICU MessageFormat (plurals, selects, numbers, dates) by formatjs,
 * from one catalog per language. A key missing from a language falls back to English
 * (a test compares the catalogs' keys, so that never ships); a key missing from every
 * catalog is a programming error and throws.
 */
import { createIntl, createIntlCache, type IntlShape } from "@formatjs/intl";
import de from "./catalogs/de.json" with { type: "json" };
import en from "./catalogs/en.json" with { type: "json" };
import zhHans from "./catalogs/zh-Hans.json" with { type: "json" };
import { defaultLanguage, type Language } from "./languages.ts";

/** Every key of the catalogs (English is the reference). */
export type CatalogKey = keyof typeof en;

/** The catalogs as shipped, for tests and the client's share of them. */
export const catalogs: Record<Language, Partial<Record<CatalogKey, string>>> = {
  en,
  de,
  "zh-Hans": zhHans,
};

/**
 * The locale dates and numbers are written in: English as written internationally
 * ("30 Nov 2026, 03:38"), not the American month-first form.
 */
const formattingLocales: Record<Language, string> = {
  en: "en-GB",
  de: "de-DE",
  "zh-Hans": "zh-Hans-CN",
};

/** Values a message takes. */
export type MessageValues = Record<string, string | number | Date>;

/** Text of one language. */
export interface Translator {
  language: Language;
  /** The catalog's text for `key`, formatted with `values`. */
  t(key: CatalogKey, values?: MessageValues): string;
  /** A moment as people write it, in UTC: "30 Nov 2026, 03:38 UTC". */
  utcDateTime(atMs: number): string;
  /** A day as people write it, in UTC: "28 Nov 2026". */
  utcDate(atMs: number): string;
}

const cache = createIntlCache();
const translators = new Map<Language, Translator>();

/** The translator of a language (built once, then kept). */
export function translator(language: Language): Translator {
  const known = translators.get(language);
  if (known) return known;
  const intl: IntlShape<string> = createIntl({
    locale: formattingLocales[language],
    defaultLocale: formattingLocales[defaultLanguage],
    messages: { ...en, ...catalogs[language] },
    onError(error) {
      throw error;
    },
  }, cache);
  const made: Translator = {
    language,
    t(key, values) {
      if (!(key in intl.messages)) throw new TypeError(`No text for "${key}"`);
      return intl.formatMessage({ id: key }, values) as string;
    },
    utcDateTime: (atMs) =>
      `${
        intl.formatDate(atMs, {
          dateStyle: "medium",
          timeStyle: "short",
          timeZone: "UTC",
          hourCycle: "h23",
        })
      } UTC`,
    utcDate: (atMs) =>
      intl.formatDate(atMs, { dateStyle: "medium", timeZone: "UTC" }),
  };
  translators.set(language, made);
  return made;
}
