/**
 * The pages' own sentence for each of the API's error codes, in each language, with
 * the page's share of the catalog as a page carries it (`common.*` only: these modules
 * run on every page). The API's `detail` is English and never shown.
 * Kept beside the modules, not under tests/: they are checked with the DOM's types,
 * which the server's tests are not (`deno task test` runs both).
 */
import type { Problem } from "./api.ts";
import { setTexts } from "./i18n.ts";
import { explainProblem, type FormShape } from "./problems.ts";
import { relativeDay, relativeTime } from "./time.ts";
import { withdrawalHold } from "./withdrawal_hold.ts";
import { type Language, languages } from "../lib/i18n/languages.ts";
import { formattingLocales } from "../lib/i18n/formatting_locales.ts";
import { catalogFiles } from "../lib/i18n/translator.ts";
import type { ErrorCode } from "../lib/runtime/errors.ts";
import { assert, assertEquals } from "../tests/helpers/assert.ts";

/** The page's language, with only the part every page carries. */
function onPage(language: Language): void {
  setTexts(language, catalogFiles[language].common);
}

const signInForm: FormShape = {
  fields: ["accountId", "passcode"],
  invalid: () => "Check the field.",
};
const noFields: FormShape = { fields: [], invalid: () => "" };
const at = "2026-11-28T14:05:00.000Z";

/** A problem as the API sends each code (its typing keeps the list whole). */
const problems: Record<ErrorCode, Partial<Problem>> = {
  invalid_request: {},
  payload_too_large: {},
  unauthenticated: {},
  csrf_rejected: {},
  rate_limited: {},
  account_locked: { lockedUntil: at },
  captcha_required: {},
  captcha_invalid: {},
  weak_passcode: { feedback: ["Add another word or two."] },
  invalid_credentials: {},
  invalid_code: {},
  invalid_ticket: {},
  session_revoked: {},
  step_up_locked: { lockedUntil: at },
  security_hold: { holdUntil: at },
  token_used: {},
  not_found: {},
  conflict: {},
  internal: {},
  account_frozen: {},
  settings_locked: {},
  details_mismatch: {},
  method_disabled: {},
};

function sentence(
  code: string,
  extra: Partial<Problem> = {},
  retryAfter: string | null = null,
  shape = noFields,
): string {
  const problem = {
    status: 400,
    code,
    detail: "Words of the API, in English.",
    ...extra,
  };
  const explained = explainProblem(problem, retryAfter, shape);
  return explained.form ?? Object.values(explained.fields).join(" ");
}

Deno.test("every error code has the page's own sentence in every language, never the API's detail", () => {
  for (const language of languages) {
    onPage(language);
    const seen = new Set<string>();
    for (const [code, extra] of Object.entries(problems)) {
      const text = sentence(code, extra);
      assert(text.length > 0, `${language} ${code}`);
      assert(
        !text.includes("Words of the API"),
        `${language} ${code}: ${text}`,
      );
      if (language === "zh-Hans") {
        assert(/\p{Script=Han}/u.test(text), `${code} in Chinese: ${text}`);
      }
      seen.add(text);
    }
    // Codes that mean the same share a sentence; the rest are told apart.
    assert(seen.size >= 19, `${language}: ${seen.size} different sentences`);
  }
});

Deno.test("the lockout warning counts the attempts left with the language's plural", () => {
  const warnings = (language: Language) => {
    onPage(language);
    return [3, 2, 1, 0].map((attemptsRemaining) =>
      sentence("invalid_credentials", { attemptsRemaining })
    );
  };
  assertEquals(warnings("en"), [
    "The account ID or passcode is wrong.",
    "The account ID or passcode is wrong. 2 attempts left before sign-in is locked for 2 hours.",
    "The account ID or passcode is wrong. 1 attempt left before sign-in is locked for 2 hours.",
    "The account ID or passcode is wrong. Sign-in is now locked for 2 hours after too many failed attempts.",
  ]);
  assertEquals(warnings("de"), [
    "Konto-ID oder Passcode ist falsch.",
    "Konto-ID oder Passcode ist falsch. Noch 2 Versuche, dann wird die Anmeldung für 2 Stunden gesperrt.",
    "Konto-ID oder Passcode ist falsch. Noch 1 Versuch, dann wird die Anmeldung für 2 Stunden gesperrt.",
    "Konto-ID oder Passcode ist falsch. Nach zu vielen Fehlversuchen ist die Anmeldung jetzt für 2 Stunden gesperrt.",
  ]);
  assertEquals(
    warnings("zh-Hans")[1],
    "账户 ID 或密码错误。还剩 2 次机会，之后登录将被锁定 2 小时。",
  );
  // On a form with a passcode field of its own, the sentence sits by it.
  onPage("de");
  assertEquals(
    explainProblem(
      { status: 401, code: "invalid_credentials", detail: "" },
      null,
      { ...signInForm, credentialsField: "passcode" },
    ),
    { fields: { passcode: "Dieser Passcode ist falsch." }, form: null },
  );
});

Deno.test("a rate limit says how long to wait, in the language's plural: seconds, minutes when long, or a minute", () => {
  onPage("en");
  assertEquals(
    sentence("rate_limited", {}, "1"),
    "Too many tries in a short time. Wait 1 second and try again.",
  );
  assertEquals(
    sentence("rate_limited", {}, "42"),
    "Too many tries in a short time. Wait 42 seconds and try again.",
  );
  assertEquals(
    sentence("rate_limited", {}, "3599"),
    "Too many tries in a short time. Wait 60 minutes and try again.",
  );
  onPage("de");
  assert(sentence("rate_limited", {}, "1").includes("Warten Sie 1 Sekunde "));
  assert(sentence("rate_limited", {}, "120").includes("Warten Sie 2 Minuten "));
  assert(sentence("rate_limited", {}, "42").includes("42 Sekunden"));
  assert(sentence("rate_limited").includes("eine Minute"));
  onPage("zh-Hans");
  assertEquals(
    sentence("rate_limited", {}, "42"),
    "短时间内尝试次数过多。请等待 42 秒后重试。",
  );
});

Deno.test("a lock's end is a local time written as the page's language writes it", () => {
  for (const language of languages) {
    onPage(language);
    const local = new Date(at).toLocaleString(formattingLocales[language], {
      dateStyle: "medium",
      timeStyle: "short",
    });
    const text = sentence("account_locked", { lockedUntil: at });
    assert(text.includes(local), `${language}: ${text} has ${local}`);
  }
  onPage("zh-Hans");
  assert(sentence("account_locked", { lockedUntil: at }).includes("2026年"));
  onPage("de");
  assert(
    sentence("step_up_locked", { lockedUntil: at }).includes("28.11.2026"),
  );
});

Deno.test("a weak passcode: the estimator's English advice on English pages only", () => {
  const feedback = ["Add another word or two."];
  onPage("en");
  assertEquals(
    sentence("weak_passcode", { feedback }),
    "That one is too easy to guess. Add another word or two.",
  );
  onPage("de");
  assertEquals(
    sentence("weak_passcode", { feedback }),
    "Dieser Passcode ist zu leicht zu erraten. Fügen Sie ein paar weitere Wörter hinzu, die nichts miteinander zu tun haben.",
  );
  onPage("zh-Hans");
  assertEquals(
    sentence("weak_passcode", { feedback }),
    "这个密码太容易被猜到。请再加几个互不相关的词。",
  );
});

Deno.test("relative times and the withdrawal hold in the page's language", () => {
  const now = Date.parse(at);
  const ago = (ms: number) => new Date(now - ms).toISOString();
  onPage("de");
  assertEquals(relativeTime(ago(10_000), now), "gerade eben");
  assertEquals(relativeTime(ago(5 * 60_000), now), "vor 5 Minuten");
  assertEquals(relativeDay(ago(40 * 86_400_000), now).slice(0, 3), "am ");
  onPage("zh-Hans");
  assertEquals(relativeTime(ago(10_000), now), "刚刚");
  assertEquals(relativeTime(ago(3 * 3_600_000), now), "3小时前");
  onPage("en");
  assertEquals(relativeTime(ago(5 * 60_000), now), "5 minutes ago");
  const headers = new Headers({ "Withdrawal-Hold-Until": at });
  onPage("de");
  assert(withdrawalHold(headers)!.startsWith("Auszahlungen sind bis "));
  onPage("zh-Hans");
  assert(withdrawalHold(headers)!.startsWith("提现已暂停至 "));
});
