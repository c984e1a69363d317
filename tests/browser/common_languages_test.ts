/**
 * What every page shares, in German and Chinese: the header (its links, the skip link,
 * the language switch), the show-passcode button, and the pages' own sentences for the
 * API's error codes: the lockout said before it happens, with the language's plurals,
 * and the lock's end as a local time written the language's way, in the browser's
 * time zone. One service and browser for the file; each case has its own context.
 */
import type { Page } from "playwright-core";
import { assert, assertEquals } from "../helpers/assert.ts";
import {
  addCookies,
  allViolations,
  type BrowserCase,
  type BrowserRig,
  browserSuite,
  type ContextOptions,
  enrolledAccount,
  openPage,
} from "../helpers/browser.ts";

const cases: [string, BrowserCase, ContextOptions?][] = [];
function browserTest(
  name: string,
  run: BrowserCase,
  options?: ContextOptions,
) {
  cases.push([name, run, options]);
}

/** The language the page is written in, as the switch's cookie asks it. */
async function inLanguage(page: Page, rig: BrowserRig, language: string) {
  await page.context().addCookies([
    { name: "lang", value: language, url: rig.origin },
  ]);
}

/**
 * Sends the sign-in form with a wrong passcode `times` times; resolves to the form's
 * line after each answer.
 */
async function wrongPasscodes(
  page: Page,
  accountId: string,
  times: number,
): Promise<string[]> {
  const message = page.locator("#passcode-form-message");
  const seen: string[] = [];
  for (let i = 1; i <= times; i++) {
    await page.locator("#passcode-form-accountId").fill(accountId);
    await page.locator("#passcode-form-passcode").fill(`wrong passcode ${i}`);
    await page.locator("#passcode-form button[type=submit]").click();
    await page.locator("#passcode-form button[type=submit]:enabled").waitFor();
    await message.locator("text=/./").waitFor();
    seen.push(await message.innerText());
    // The next answer must be a new one, not this text still standing.
    await page.evaluate(
      'document.getElementById("passcode-form-message").textContent = ""',
    );
  }
  return seen;
}

browserTest(
  "in German, three wrong passcodes for an account warn in German: 2 attempts left",
  async (page, rig) => {
    const account = await enrolledAccount(rig);
    await inLanguage(page, rig, "de");
    await openPage(page, rig, "/login");
    assertEquals(await page.getAttribute("html", "lang"), "de");
    const seen = await wrongPasscodes(page, account.accountId, 4);
    assertEquals(seen, [
      "Konto-ID oder Passcode ist falsch.",
      "Konto-ID oder Passcode ist falsch.",
      "Konto-ID oder Passcode ist falsch. Noch 2 Versuche, dann wird die Anmeldung für 2 Stunden gesperrt.",
      "Konto-ID oder Passcode ist falsch. Noch 1 Versuch, dann wird die Anmeldung für 2 Stunden gesperrt.",
    ]);
    // The warning stands right above the form's button, announced.
    const warning = page.locator("#passcode-form [role=alert]");
    assertEquals(await warning.getAttribute("id"), "passcode-form-message");
  },
);

browserTest(
  "in Chinese, a locked sign-in says until when in Chinese, in the browser's time zone",
  async (page, rig) => {
    await inLanguage(page, rig, "zh-Hans");
    await openPage(page, rig, "/login");
    assertEquals(await page.getAttribute("html", "lang"), "zh-Hans");
    const accountId = `locked${crypto.randomUUID().slice(0, 6)}@example.com`;
    const seen = await wrongPasscodes(page, accountId, 6);
    assertEquals(
      seen[2],
      "账户 ID 或密码错误。还剩 2 次机会，之后登录将被锁定 2 小时。",
    );
    assertEquals(
      seen[4],
      "账户 ID 或密码错误。失败次数过多，登录已被锁定 2 小时。",
    );
    // Locked for 2 hours from the service's (test) clock, said in Shanghai's time.
    const until = new Date(rig.service.clock.now() + 2 * 60 * 60 * 1000);
    const shanghai = (at: Date) =>
      at.toLocaleString("zh-Hans-CN", {
        dateStyle: "medium",
        timeStyle: "short",
        timeZone: "Asia/Shanghai",
      });
    // The lock ends within the minute of the fifth attempt.
    const expected = [shanghai(until), shanghai(new Date(+until - 60_000))];
    assert(
      /^\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d$/.test(expected[0]),
      expected[0],
    );
    assert(
      expected.some((time) =>
        seen[5] ===
          `失败次数过多：已锁定至 ${time}。您之前登录过的浏览器仍可继续使用。`
      ),
      seen[5],
    );
  },
  { timezoneId: "Asia/Shanghai", locale: "en-US" },
);

browserTest(
  "in German, the header, the skip link and the show-passcode button speak German; signed in, so does sign-out",
  async (page, rig) => {
    const account = await enrolledAccount(rig);
    await inLanguage(page, rig, "de");
    await openPage(page, rig, "/login");
    const menu = page.getByRole("navigation", { name: "Konto", exact: true });
    assert(await menu.getByRole("link", { name: "Anmelden" }).isVisible());
    assert(
      await menu.getByRole("link", { name: "Konto eröffnen" }).isVisible(),
    );
    assertEquals(
      await menu.getByRole("combobox", { name: "Sprache" }).inputValue(),
      "de",
    );
    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Zum Inhalt springen" });
    assert(await skip.isVisible(), "the skip link shows when focused");
    const reveal = page.locator("#passcode-form button[data-reveal]");
    assertEquals(await reveal.getAttribute("aria-label"), "Anzeigen: Passcode");
    await reveal.click();
    assertEquals(
      await reveal.getAttribute("aria-label"),
      "Verbergen: Passcode",
    );
    assertEquals(await reveal.innerText(), "Verbergen");
    assertEquals(await allViolations(page), []);

    await addCookies(page.context(), rig, account.cookies);
    await openPage(page, rig, "/security");
    const signOut = menu.getByRole("button", { name: "Abmelden" });
    assert(await signOut.isVisible());
    assertEquals(
      await menu.getByRole("link", { name: "Anmelden" }).isVisible(),
      false,
    );
    await signOut.click();
    await page.waitForURL("**/login");
    await page.waitForSelector("body[data-ready=true]");
    assert(await menu.getByRole("link", { name: "Anmelden" }).isVisible());
  },
  { viewport: { width: 390, height: 844 } },
);

browserTest(
  "the language switch brings the page again in the chosen language, and keeps it",
  async (page, rig) => {
    await openPage(page, rig, "/login");
    assertEquals(await page.getAttribute("html", "lang"), "en");
    const languageSwitch = page.getByRole("combobox", { name: "Language" });
    await Promise.all([
      page.waitForEvent("load"),
      languageSwitch.selectOption("zh-Hans"),
    ]);
    await page.waitForSelector("body[data-ready=true]");
    assertEquals(await page.getAttribute("html", "lang"), "zh-Hans");
    const menu = page.getByRole("navigation", { name: "账户", exact: true });
    assert(await menu.getByRole("link", { name: "创建账户" }).isVisible());
    await openPage(page, rig, "/register");
    assertEquals(await page.getAttribute("html", "lang"), "zh-Hans");
    assertEquals(
      await page.getByRole("combobox", { name: "语言" }).inputValue(),
      "zh-Hans",
    );
  },
);

browserSuite("the shared page parts in German and Chinese", cases);
