/**
 * The security centre and the step-up page in German and Chinese, as a person whose
 * browser chose the language (the `lang` cookie): headings, dialogs, field errors,
 * results, counts and dates are in that language, dates in the page's language even
 * where the browser's own is another.
 */
import type { Page } from "playwright-core";
import { assert, assertEquals } from "../helpers/assert.ts";
import {
  addCookies,
  type BrowserCase,
  type BrowserRig,
  browserSuite,
  type ContextOptions,
  enrolledAccount,
  nextTotp,
  openPage,
} from "../helpers/browser.ts";
import { json } from "../helpers/service.ts";

const cases: [string, BrowserCase, ContextOptions?][] = [];
function browserTest(
  name: string,
  run: BrowserCase,
  options?: ContextOptions,
) {
  cases.push([name, run, options]);
}

/** Asserts that `text` matches `pattern`, showing the text where it does not. */
function assertMatch(text: string, pattern: RegExp): void {
  assert(
    pattern.test(text),
    `${JSON.stringify(text)} does not match ${pattern}`,
  );
}

/** The page's language, as the header's switch leaves it. */
async function inLanguage(page: Page, rig: BrowserRig, language: string) {
  await page.context().addCookies([{
    name: "lang",
    value: language,
    domain: new URL(rig.origin).hostname,
    path: "/",
  }]);
}

/** A signed-in browser, in `language`, on /security; returns the account. */
async function signedIn(page: Page, rig: BrowserRig, language: string) {
  const account = await enrolledAccount(rig);
  await addCookies(page.context(), rig, account.cookies);
  await inLanguage(page, rig, language);
  await openPage(page, rig, "/security");
  return account;
}

/** The cards' headings, in order. */
async function cardHeadings(page: Page): Promise<string[]> {
  return await page.locator("section.area h2").allInnerTexts();
}

browserTest(
  "German: the security centre's cards, a field error and two changes said in German",
  async (page, rig) => {
    const account = await signedIn(page, rig, "de");
    assertEquals(await page.locator("html").getAttribute("lang"), "de");
    assertEquals(await page.locator("h1").innerText(), "Sicherheit");
    assertEquals(await cardHeadings(page), [
      "Anmeldung und Zwei-Schritt-Verifizierung",
      "Passkeys und Browser",
      "Sitzungen",
      "Handels-Passcode",
      "Anti-Phishing-Code",
      "Konto-ID",
      "Einstellungssperre",
      "Sicherheitsverlauf",
    ]);
    assertEquals(
      await page.locator("#audit-title").innerText(),
      "Sicherheitscheck",
    );
    // No trading passcode, no anti-phishing code, no settings lock yet.
    assertEquals(
      await page.locator("#audit-summary").innerText(),
      "3 von 10 Prüfungen brauchen Ihre Aufmerksamkeit.",
    );
    assertEquals(
      await page.locator("#trading-pill").innerText(),
      "Nicht festgelegt",
    );
    assertEquals(await page.locator("#lock-pill").innerText(), "Aus");
    assertEquals(
      await page.locator("#backup-fact").innerText(),
      "10 von 10 übrig",
    );
    // This session was signed in by an API client, which sent no user agent.
    const thisSession = await page.locator("#sessions > li", {
      hasText: "Diese Sitzung",
    }).innerText();
    assert(thisSession.includes("Unbekannter Browser"), thisSession);
    assert(thisSession.includes("jetzt aktiv"), thisSession);
    // The browser it recognised keeps the name the service gave it ("an unknown
    // browser on an unknown system"), which the page says in German.
    const browsers = await page.locator("#devices > li").allInnerTexts();
    assert(
      browsers.some((text) => text.includes("Unbekannter Browser")),
      browsers.join(" | "),
    );
    assert(
      !browsers.some((text) => / on |unknown/.test(text)),
      browsers.join(" | "),
    );

    // The anti-phishing code: an empty field is said at the field, then it is set.
    await page.getByRole("button", { name: "Code festlegen" }).last().click();
    const phishing = page.getByRole("dialog", { name: "Anti-Phishing-Code" });
    await phishing.getByRole("button", { name: "Code speichern" }).click();
    assertEquals(
      await phishing.locator("#phishing-form-code-error").innerText(),
      "Geben Sie einen Code mit 4 bis 20 Zeichen ein.",
    );
    await phishing.getByLabel("Anti-Phishing-Code", { exact: true }).fill(
      "Blaue-Otter_7",
    );
    await phishing.getByLabel("Code aus Ihrer Authenticator-App").fill(
      nextTotp(rig, account.secret),
    );
    await phishing.getByRole("button", { name: "Code speichern" }).click();
    await page.locator("#phishing-status", {
      hasText:
        "Gespeichert. Jede Nachricht von uns beginnt jetzt mit Blaue-Otter_7.",
    }).waitFor();
    assertEquals(await page.locator("#phishing-pill").innerText(), "An");
    await page.locator("#history > li", {
      hasText: "Anti-Phishing-Code geändert",
    }).waitFor();

    // The trading passcode, inside the confirmation window that change opened.
    await page.getByRole("button", { name: "Handels-Passcode festlegen" })
      .last().click();
    const trading = page.getByRole("dialog", { name: "Handels-Passcode" });
    assertMatch(
      await trading.locator("[data-confirmed-note]").innerText(),
      /^Noch \d:\d\d bestätigt: kein Code nötig\.$/,
    );
    await trading.getByLabel("Neuer Handels-Passcode", { exact: true }).fill(
      "12345",
    );
    await trading.getByRole("button", { name: "Speichern" })
      .click();
    assertEquals(
      await trading.locator("#trading-form-tradingPasscode-error").innerText(),
      "Der Handels-Passcode besteht aus genau 6 Ziffern.",
    );
    await trading.getByLabel("Neuer Handels-Passcode", { exact: true }).fill(
      "284915",
    );
    await trading.getByRole("button", { name: "Speichern" })
      .click();
    await page.locator("#trading-status", {
      hasText: "Handels-Passcode gespeichert.",
    }).waitFor();
    assertEquals(await page.locator("#trading-pill").innerText(), "An");
    assertEquals(
      await page.locator("#audit-summary").innerText(),
      "1 von 10 Prüfungen braucht Ihre Aufmerksamkeit.",
    );
  },
);

browserTest(
  "Chinese: the cards' headings, a lock's days and the checkup's dates written for zh, whatever the browser's own language",
  async (page, rig) => {
    const account = await signedIn(page, rig, "zh-Hans");
    assertEquals(await page.locator("html").getAttribute("lang"), "zh-Hans");
    assertEquals(await page.locator("h1").innerText(), "安全中心");
    assertEquals(await cardHeadings(page), [
      "登录与两步验证",
      "通行密钥与浏览器",
      "会话",
      "交易密码",
      "防钓鱼码",
      "账户 ID",
      "设置锁定",
      "安全记录",
    ]);
    assertEquals(
      await page.locator("#audit-summary").innerText(),
      "10 项检查中有 3 项需要您处理。",
    );

    // Reviewing the checklist says by when to review it again: a date for zh.
    await page.getByRole("button", { name: "查看全部检查" }).click();
    await page.getByRole("button", { name: "隐藏详情" }).waitFor();
    assertMatch(
      await page.locator("#audit-next").innerText(),
      /请在 \d{4}年\d{1,2}月\d{1,2}日 前再次查看。$/,
    );

    // Locking the settings: the days counted in Chinese.
    await page.getByRole("button", { name: "锁定设置" }).last().click();
    const lock = page.getByRole("dialog", { name: "锁定安全设置" });
    await lock.getByLabel("解锁等待天数").fill("3");
    await lock.getByLabel("身份验证器应用中的验证码").fill(
      nextTotp(rig, account.secret),
    );
    await lock.getByRole("button", { name: "锁定设置" }).click();
    await page.locator("#lock-status", {
      hasText: "设置已锁定。从申请解锁起需等待 3 天。",
    }).waitFor();
    assertEquals(await page.locator("#lock-pill").innerText(), "已锁定");
    assertEquals(await page.locator("#lock-delay").innerText(), "3 天");
    // The checkup says the audit's finding in Chinese, with the audit's number.
    assertEquals(
      await page.locator(
        '#audit-passed [data-check="settings_lock"] .check-detail',
      )
        .innerText(),
      "您的安全设置已锁定；解锁需等待 3 天。",
    );

    // Starting the unlock names its end: a date and time for zh.
    await page.getByRole("button", { name: "开始解锁" }).click();
    const unlock = page.getByRole("dialog", { name: "开始解锁？" });
    assert(
      (await unlock.innerText()).includes("您的设置将在 3 天后解锁。"),
      await unlock.innerText(),
    );
    await unlock.getByLabel("身份验证器应用中的验证码").fill(
      nextTotp(rig, account.secret),
    );
    await unlock.getByRole("button", { name: "开始解锁" }).click();
    await page.locator("#lock-status", { hasText: "倒计时已开始" }).waitFor();
    assertMatch(
      await page.locator("#lock-until").innerText(),
      /^\d{4}年\d{1,2}月\d{1,2}日 \d{1,2}:\d\d$/,
    );
    // The checkup's finding names the same moment, written for zh.
    assertEquals(
      await page.locator('#audit [data-check="settings_lock"] .check-detail')
        .innerText(),
      `您的安全设置将于 ${await page.locator("#lock-until")
        .innerText()} 解锁。如非本人操作，请再次锁定。`,
    );
  },
  { locale: "en-US", timezoneId: "Asia/Shanghai" },
);

const withdrawal = {
  asset: "BTC",
  amount: "0.25",
  destination: "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
};

browserTest(
  "German: the step-up page says what is being approved, a wrong passcode and the approval in German",
  async (page, rig) => {
    const account = await enrolledAccount(rig);
    const cookie = account.cookies.map((c) => `${c.name}=${c.value}`).join(
      "; ",
    );
    const set = await rig.service.request(
      "/v1/trading-passcode",
      json(
        {
          tradingPasscode: "284915",
          totp: nextTotp(rig, account.secret),
        },
        "PUT",
        { cookie, origin: rig.origin },
      ),
    );
    assertEquals(set.status, 204);
    await addCookies(page.context(), rig, account.cookies);
    await inLanguage(page, rig, "de");
    await openPage(
      page,
      rig,
      `/step-up?${new URLSearchParams({
        action: "withdrawal",
        ...withdrawal,
      })}`,
    );
    assertEquals(
      await page.locator("h1").innerText(),
      "Diese Auszahlung freigeben",
    );
    assertEquals(
      await page.locator("#approval-sentence").innerText(),
      `Sie geben frei: Auszahlung von 0.25 BTC an ${withdrawal.destination}`,
    );
    assertEquals(
      await page.locator(".approval-details dt").allInnerTexts(),
      ["Betrag", "Asset", "Zieladresse"],
    );
    assert(
      (await page.locator(".approval-warning").innerText()).startsWith(
        "Eine Auszahlung kann nicht rückgängig gemacht werden.",
      ),
    );

    const passcode = page.getByLabel("Handels-Passcode", { exact: true });
    await passcode.fill("135790");
    await page.getByRole("button", { name: "Freigeben", exact: true }).click();
    await page.locator("#step-up-form-tradingPasscode[aria-invalid=true]")
      .waitFor();
    assertEquals(
      await page.locator("#step-up-form-tradingPasscode-error").innerText(),
      "Dieser Handels-Passcode ist falsch. Nach 5 Fehleingaben in Folge werden Freigaben für 2 Stunden gesperrt.",
    );
    await passcode.fill("284915");
    await page.getByRole("button", { name: "Freigeben", exact: true }).click();
    await page.getByRole("heading", { name: "Freigegeben" }).waitFor();
    assert(
      (await page.locator("#approved-shown").innerText()).startsWith(
        "Ihr Freigabecode gilt einmal",
      ),
    );
    assertEquals(
      await page.locator("#copy-token").innerText(),
      "Kopieren",
    );
  },
);

browserSuite("the security centre and step-up in German and Chinese", cases);
