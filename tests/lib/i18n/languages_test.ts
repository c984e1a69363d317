import {
  acceptedLanguages,
  chooseLanguage,
} from "../../../lib/i18n/languages.ts";
import { translator } from "../../../lib/i18n/translator.ts";
import { assertEquals } from "../../helpers/assert.ts";

Deno.test("the language: a supported preference, else the browser's best match, else English", () => {
  const fromHeader = (header: string) =>
    chooseLanguage(...acceptedLanguages(header));
  assertEquals(fromHeader("de-AT,de;q=0.9,en;q=0.8"), "de");
  assertEquals(fromHeader("zh-CN,zh;q=0.9"), "zh-Hans");
  assertEquals(fromHeader("fr-FR,pt-BR;q=0.9,de;q=0.5"), "de");
  assertEquals(fromHeader("fr-FR,fr;q=0.9"), "en");
  assertEquals(fromHeader("en;q=0.1, de"), "de");
  assertEquals(fromHeader("de;q=0, en"), "en");
  // The best-liked language that fits wins, even over an exact tag further down.
  assertEquals(fromHeader("zh-TW;q=0.9, zh-CN, en;q=0.5"), "zh-Hans");
  assertEquals(fromHeader("de-CH, en"), "de");
  assertEquals(chooseLanguage("xx", "de-AT", "en"), "de");
  assertEquals(fromHeader(`x${"-abcdefgh".repeat(40)}, <script>, de`), "de");
  assertEquals(chooseLanguage("zh-Hans", "de"), "zh-Hans");
  assertEquals(chooseLanguage(null, undefined), "en");
});

Deno.test("times in messages are written as people write them, in UTC", () => {
  const at = Date.UTC(2026, 10, 30, 3, 38, 33);
  assertEquals(translator("en").utcDateTime(at), "30 Nov 2026, 03:38 UTC");
  assertEquals(translator("de").utcDateTime(at), "30.11.2026, 03:38 UTC");
  assertEquals(
    translator("zh-Hans").utcDateTime(at),
    "2026年11月30日 03:38 UTC",
  );
});
