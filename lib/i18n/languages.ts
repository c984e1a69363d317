/**
 * The languages of the service's pages and messages, and the choice among them: the
 * account's preference, else the browser's `Accept-Language` (RFC 9110 §12.5.4), else
 * English. Matching follows the Unicode locale matching rules (`de-AT` → `de`,
 * `zh-CN` → `zh-Hans`), through formatjs's implementation of them.
 */
import { match } from "@formatjs/intl-localematcher";

/** Every language with a complete catalog. */
export const languages = ["en", "de", "zh-Hans"] as const;
export type Language = typeof languages[number];

/** Where nothing else decides. */
export const defaultLanguage: Language = "en";

/** What each language is called in itself, for the language switch. */
export const languageNames: Record<Language, string> = {
  en: "English",
  de: "Deutsch",
  "zh-Hans": "简体中文",
};

/** Whether a text names a supported language exactly. */
export function isLanguage(text: unknown): text is Language {
  return typeof text === "string" &&
    (languages as readonly string[]).includes(text);
}

/**
 * The language tags of an `Accept-Language` header, most wanted first; malformed or
 * refused (`q=0`) entries are dropped, and at most 20 are read.
 */
export function acceptedLanguages(header: string | null | undefined): string[] {
  if (!header) return [];
  return header.split(",").slice(0, 20).map((part, index) => {
    const [tag, ...parameters] = part.trim().split(";");
    const q = parameters.map((parameter) =>
      /^\s*q=([0-9.]+)\s*$/.exec(parameter)
    )
      .find(Boolean)?.[1];
    return { tag: tag.trim(), quality: q === undefined ? 1 : Number(q), index };
  }).filter(({ tag, quality }) =>
    /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(tag) && quality > 0 &&
    quality <= 1
  ).sort((a, b) => b.quality - a.quality || a.index - b.index)
    .map(({ tag }) => tag);
}

/**
 * The supported language for the first of the asked tags that one fits (`de-AT` → `de`),
 * in the order asked; English when none fits.
 */
export function chooseLanguage(
  ...asked: (string | null | undefined)[]
): Language {
  for (const candidate of asked) {
    if (!candidate) continue;
    if (isLanguage(candidate)) return candidate;
    try {
      const fitting = match([candidate], languages, "und", {
        algorithm: "best fit",
      });
      if (isLanguage(fitting)) return fitting;
    } catch {
      // A tag Intl refuses (it passed the syntax check above, but is not valid BCP 47).
    }
  }
  return defaultLanguage;
}
