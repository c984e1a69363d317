/**
 * The catalogs ship complete: every language has every key of every other, each text is
 * valid ICU MessageFormat, and each uses the same placeholders as the English one (a
 * translation that drops `{code}` would send a message without its code).
 */
import {
  type MessageFormatElement,
  parse,
  TYPE,
} from "@formatjs/icu-messageformat-parser";
import { languages } from "../../../lib/i18n/languages.ts";
import { catalogFiles, catalogs } from "../../../lib/i18n/translator.ts";
import { assertEquals } from "../../helpers/assert.ts";

function placeholders(
  elements: MessageFormatElement[],
  into = new Set<string>(),
) {
  for (const element of elements) {
    if (element.type === TYPE.literal || element.type === TYPE.pound) continue;
    into.add(element.value);
    if ("options" in element) {
      for (const option of Object.values(element.options)) {
        placeholders(option.value, into);
      }
    }
    if (element.type === TYPE.tag) placeholders(element.children, into);
  }
  return into;
}

Deno.test("every catalog has every key, valid ICU, and the English placeholders", () => {
  const english = catalogs.en;
  for (const language of languages) {
    const catalog = catalogs[language];
    assertEquals(
      Object.keys(catalog).sort(),
      Object.keys(english).sort(),
      `${language} has the keys English has`,
    );
    for (const [key, text] of Object.entries(catalog)) {
      const used = [...placeholders(parse(text!))].sort();
      const expected = [
        ...placeholders(parse(english[key as keyof typeof english]!)),
      ].sort();
      assertEquals(used, expected, `${language} ${key}`);
    }
  }
});

Deno.test("each key lives in one file, the same file in every language", () => {
  const englishFiles = Object.entries(catalogFiles.en);
  const seen = new Map<string, string>();
  for (const [file, keys] of englishFiles) {
    for (const key of Object.keys(keys)) {
      assertEquals(seen.get(key), undefined, `${key} in ${file}`);
      seen.set(key, file);
    }
  }
  for (const language of languages) {
    const files: Record<string, Record<string, string>> =
      catalogFiles[language];
    assertEquals(
      Object.keys(files).sort(),
      englishFiles.map(([file]) => file).sort(),
    );
    for (const [file, keys] of englishFiles) {
      assertEquals(
        Object.keys(files[file]).sort(),
        Object.keys(keys).sort(),
        `${language}/${file}.json`,
      );
    }
  }
});

Deno.test("a key's prefix names its file: common., signIn., security., message.", () => {
  const prefixes: Record<string, string> = {
    common: "common",
    signIn: "signIn",
    security: "security",
    messages: "message",
  };
  assertEquals(
    Object.keys(catalogFiles.en).sort(),
    Object.keys(prefixes).sort(),
  );
  for (const [file, keys] of Object.entries(catalogFiles.en)) {
    for (const key of Object.keys(keys)) {
      assertEquals(key.split(".")[0], prefixes[file], `${key} in ${file}`);
    }
  }
});
