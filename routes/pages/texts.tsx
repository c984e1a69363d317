/** @jsxImportSource hono/jsx */
/**
 * The pages' words: every page renders inside its language ({@link InLanguage}), its
 * components take their text from the catalog with {@link useText}, and the page carries
 * the share of the catalog its script needs ({@link PageTexts}, read by client/i18n.ts).
 */
import { createContext, useContext } from "hono/jsx";
import type { Child } from "hono/jsx";
import { raw } from "hono/html";
import type { Language } from "../../lib/i18n/languages.ts";
import {
  catalogFiles,
  type CatalogKey,
  type Translator,
  translator,
} from "../../lib/i18n/translator.ts";

const PageLanguage = createContext<Translator>(translator("en"));

/** Renders `children` in `language`. */
export function InLanguage(
  { language, children }: { language: Language; children: Child },
) {
  return (
    <PageLanguage.Provider value={translator(language)}>
      {children}
    </PageLanguage.Provider>
  );
}

/** The text of the page's language; only while rendering inside {@link InLanguage}. */
export function useText(): Translator["t"] {
  return useContext(PageLanguage).t;
}

/** The page's language. */
export function usePageLanguage(): Language {
  return useContext(PageLanguage).language;
}

/** The parts of the catalog a page's script may need (catalog files of that name). */
export type ScriptPart = Exclude<keyof typeof catalogFiles.en, "messages">;

/**
 * The parts of the catalog each page's script reads, by the page's `data-page`; every
 * page has `common`. A test holds each script module to the parts of every page that
 * runs it.
 */
export const pageScriptParts = {
  home: ["common"],
  login: ["common", "signIn"],
  register: ["common", "signIn"],
  recover: ["common", "signIn"],
  security: ["common", "security"],
  "step-up": ["common", "security"],
  "link-action": ["common"],
} satisfies Record<string, ScriptPart[]>;

/** A page's name, as its `data-page` says it. */
export type PageName = keyof typeof pageScriptParts;

/** Each language's share for each set of parts, as the page carries it: made once. */
const scriptTexts = new Map<string, string>();

/**
 * The share of the catalog the page's script reads, as JSON that cannot end the
 * element early (`<` escaped). Not run: CSP's script rules do not apply to data.
 */
export function PageTexts({ parts }: { parts: readonly ScriptPart[] }) {
  const language = usePageLanguage();
  const key = `${language}:${parts.join()}`;
  let json = scriptTexts.get(key);
  if (json === undefined) {
    const files: Partial<Record<ScriptPart, Record<string, string>>> =
      catalogFiles[language];
    const texts: Partial<Record<CatalogKey, string>> = Object.assign(
      {},
      ...parts.map((part) => files[part]),
    );
    json = JSON.stringify(texts).replace(/</g, "\\u003c");
    scriptTexts.set(key, json);
  }
  return (
    <script type="application/json" id="page-texts">
      {raw(json)}
    </script>
  );
}
