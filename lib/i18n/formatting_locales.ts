/**
 * The locale each language writes dates and numbers in: English as written
 * internationally ("30 Nov 2026, 03:38"), not the American month-first form. Shared by
 * the messages and the pages' script, so a page and an e-mail write a time alike.
 */
import type { Language } from "./languages.ts";

export const formattingLocales: Record<Language, string> = {
  en: "en-GB",
  de: "de-DE",
  "zh-Hans": "zh-Hans-CN",
};
