/**
 * Text in a language: ICU MessageFormat (plurals, selects, numbers, dates) by formatjs,
 * from one catalog per language. A key missing from a language falls back to English
 * (a test compares the catalogs' keys, so that never ships); a key missing from every
 * catalog is a programming error and throws.
 */
import { createIntl, createIntlCache, type IntlShape } from "@formatjs/intl";
import deCommon from "./catalogs/de/common.json" with { type: "json" };
import deMessages from "./catalogs/de/messages.json" with { type: "json" };
import deSecurity from "./catalogs/de/security.json" with { type: "json" };
import deSignIn from "./catalogs/de/sign_in.json" with { type: "json" };
import enCommon from "./catalogs/en/common.json" with { type: "json" };
import enMessages from "./catalogs/en/messages.json" with { type: "json" };
import enSecurity from "./catalogs/en/security.json" with { type: "json" };
import enSignIn from "./catalogs/en/sign_in.json" with { type: "json" };
import zhCommon from "./catalogs/zh-Hans/common.json" with { type: "json" };
import zhMessages from "./catalogs/zh-Hans/messages.json" with { type: "json" };
import zhSecurity from "./catalogs/zh-Hans/security.json" with { type: "json" };
import zhSignIn from "./catalogs/zh-Hans/sign_in.json" with { type: "json" };
import { formattingLocales } from "./formatting_locales.ts";
import { defaultLanguage, type Language } from "./languages.ts";

/**
 * One catalog per language, kept in a file per part of the product, so that work on one
 * part does not touch another's file: the messages (`message.*`), what every page shows
 * (`common.*`), sign-in, registration and recovery (`signIn.*`), the security centre and
 * step-up (`security.*`). A key lives in the file its prefix names; a test holds each
 * language's files to English's.
 */
export const catalogFiles = {
  en: {
    common: enCommon,
    signIn: enSignIn,
    security: enSecurity,
    messages: enMessages,
  },
  de: {
    common: deCommon,
    signIn: deSignIn,
    security: deSecurity,
    messages: deMessages,
  },
  "zh-Hans": {
    common: zhCommon,
    signIn: zhSignIn,
    security: zhSecurity,
    messages: zhMessages,
  },
} satisfies Record<Language, Record<string, Record<string, string>>>;

const en = { ...enCommon, ...enSignIn, ...enSecurity, ...enMessages };

/** Every key of the catalogs (English is the reference). */
export type CatalogKey = keyof typeof en;

/** The catalogs as shipped, for tests and the pages' share of them. */
export const catalogs = Object.fromEntries(
  Object.entries(catalogFiles).map((
    [language, files],
  ) => [language, Object.assign({}, ...Object.values(files))]),
) as Record<Language, Partial<Record<CatalogKey, string>>>;

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
