/**
 * Registration, the first sign-in and recovery in German and Chinese, as a person whose
 * browser chose the language (the `lang` cookie) or who chose it with the header's
 * switch: headings, buttons, field errors and results are in that language.
 */
import type { Page } from "playwright-core";
import { assert, assertEquals } from "../helpers/assert.ts";
import {
  type BrowserCase,
  type BrowserRig,
  browserSuite,
  codeFromOutbox,
  enrolledAccount,
  nextTotp,
  openPage,
  recogniseBrowser,
} from "../helpers/browser.ts";
import { strongPasscode } from "../helpers/service.ts";

/** What a person reads on the way, in one language. */
interface Words {
  registerHeading: string;
  accountId: string;
  passcode: string;
  createAccount: string;
  accountIdMissing: string;
  verifyHeading: string;
  code: string;
  verify: string;
  readyHeading: string;
  continueToSignIn: string;
  signInHeading: string;
  passcodeMissing: string;
  continue: string;
  enrollHeading: string;
  codeFromApp: string;
  appCodeWrong: string;
  codesHeading: string;
  codesSaved: string;
}

const german: Words = {
  registerHeading: "Ihr Konto eröffnen",
  accountId: "Konto-ID (E-Mail oder Telefon)",
  passcode: "Passcode",
  createAccount: "Konto eröffnen",
  accountIdMissing: "Geben Sie Ihre E-Mail-Adresse oder Telefonnummer ein.",
  verifyHeading: "Prüfen Sie Ihre Nachrichten",
  code: "Code",
  verify: "Bestätigen",
  readyHeading: "Ihr Konto ist bereit",
  continueToSignIn: "Weiter zur Anmeldung",
  signInHeading: "Bei Exchange anmelden",
  passcodeMissing: "Geben Sie Ihren Passcode ein.",
  continue: "Weiter",
  enrollHeading: "Authenticator-App einrichten",
  codeFromApp: "Code aus der App",
  appCodeWrong:
    "Dieser Code ist falsch, schon verwendet oder abgelaufen. Warten Sie auf den nächsten Code in Ihrer App und versuchen Sie es erneut.",
  codesHeading: "Backup-Codes sichern",
  codesSaved:
    "Ich habe diese Codes an einem sicheren Ort gesichert, getrennt von meinem Telefon.",
};

const chinese: Words = {
  registerHeading: "创建您的账户",
  accountId: "账户 ID（电子邮箱或手机号）",
  passcode: "密码",
  createAccount: "创建账户",
  accountIdMissing: "请输入您的电子邮箱或手机号。",
  verifyHeading: "查看您的消息",
  code: "验证码",
  verify: "验证",
  readyHeading: "您的账户已就绪",
  continueToSignIn: "继续登录",
  signInHeading: "登录 Exchange",
  passcodeMissing: "请输入您的密码。",
  continue: "继续",
  enrollHeading: "设置身份验证器应用",
  codeFromApp: "应用中的验证码",
  appCodeWrong:
    "该验证码错误、已使用或已过期。请等待应用显示下一个验证码后重试。",
  codesHeading: "保存您的备用码",
  codesSaved: "我已将这些备用码保存在安全的地方，并与手机分开存放。",
};

/** The browser asks for `language` (as the header's switch leaves it). */
async function chooseLanguage(page: Page, rig: BrowserRig, language: string) {
  await page.context().addCookies([
    { name: "lang", value: language, url: rig.origin },
  ]);
}

/** The heading of the step on show. */
async function visibleHeading(page: Page, selector: string): Promise<string> {
  const heading = page.locator(selector);
  await heading.waitFor({ state: "visible" });
  return heading.innerText();
}

/**
 * Registers at /register and signs in for the first time with enrollment, saying what
 * each step shows in `words`' language.
 */
function registerAndSignIn(language: string, words: Words): BrowserCase {
  return async (page, rig) => {
    await chooseLanguage(page, rig, language);
    await openPage(page, rig, "/register");
    assertEquals(
      await page.evaluate("document.documentElement.lang"),
      language,
    );
    assertEquals(await visibleHeading(page, "h1"), words.registerHeading);

    // Sent empty: each field says what it needs, in the page's language.
    await page.getByRole("button", { name: words.createAccount, exact: true })
      .last().click();
    await page.locator("#register-form-accountId[aria-invalid=true]")
      .waitFor();
    assertEquals(
      await page.locator("#register-form-accountId-error").innerText(),
      words.accountIdMissing,
    );

    const accountId = `${language.slice(0, 2)}${
      crypto.randomUUID().slice(0, 6)
    }@example.com`;
    const register = page.locator("#register-form");
    await register.getByLabel(words.accountId).fill(accountId);
    await register.getByLabel(words.passcode, { exact: true }).fill(
      strongPasscode,
    );
    await register.getByRole("button", { name: words.createAccount }).click();
    assertEquals(
      await visibleHeading(page, "#step-verify h2"),
      words.verifyHeading,
    );
    const verify = page.locator("#verify-form");
    await verify.getByLabel(words.code, { exact: true }).fill(
      await codeFromOutbox(rig, accountId),
    );
    await verify.getByRole("button", { name: words.verify }).click();
    assertEquals(
      await visibleHeading(page, "#step-registered h2"),
      words.readyHeading,
    );
    await page.getByRole("link", { name: words.continueToSignIn }).click();
    await page.waitForURL("**/login");
    await page.waitForSelector("body[data-ready=true]");

    assertEquals(await visibleHeading(page, "h1"), words.signInHeading);
    const signIn = page.locator("#passcode-form");
    assertEquals(
      await signIn.getByLabel(words.accountId).inputValue(),
      accountId,
    );
    await signIn.getByRole("button", { name: words.continue }).click();
    await page.locator("#passcode-form-passcode[aria-invalid=true]").waitFor();
    assertEquals(
      await page.locator("#passcode-form-passcode-error").innerText(),
      words.passcodeMissing,
    );
    await signIn.getByLabel(words.passcode, { exact: true }).fill(
      strongPasscode,
    );
    await signIn.getByRole("button", { name: words.continue }).click();

    assertEquals(
      await visibleHeading(page, "#step-enroll h2"),
      words.enrollHeading,
    );
    await page.locator("#enroll-qr svg").waitFor();
    const secret = (await page.locator("#enroll-secret").textContent())!
      .replaceAll(" ", "");
    const enroll = page.locator("#enroll-form");
    // A wrong code: the page's own sentence for it, not the API's English.
    const code = nextTotp(rig, secret);
    await enroll.getByLabel(words.codeFromApp).fill(
      code === "000000" ? "111111" : "000000",
    );
    await enroll.locator("button[type=submit]").click();
    await page.locator("#enroll-form-code[aria-invalid=true]").waitFor();
    assertEquals(
      await page.locator("#enroll-form-code-error").innerText(),
      words.appCodeWrong,
    );
    await enroll.getByLabel(words.codeFromApp).fill(nextTotp(rig, secret));
    await enroll.locator("button[type=submit]").click();

    assertEquals(
      await visibleHeading(page, "#first-codes-title"),
      words.codesHeading,
    );
    assertEquals(await page.locator("#first-codes-list li").count(), 10);
    await page.getByLabel(words.codesSaved).check();
    await page.locator("#first-codes").getByRole("button", {
      name: words.continue,
    }).click();
    await page.waitForURL("**/security");
  };
}

const cases: [string, BrowserCase][] = [
  [
    "in German, a person registers and signs in for the first time",
    registerAndSignIn("de", german),
  ],
  [
    "in Chinese, a person registers and signs in for the first time",
    registerAndSignIn("zh-Hans", chinese),
  ],
  [
    "the header's switch on /login brings the page back in German",
    async (page, rig) => {
      await openPage(page, rig, "/login");
      assertEquals(await visibleHeading(page, "h1"), "Sign in to Exchange");
      await page.locator("#language-switch").selectOption("de");
      await page.waitForFunction("document.documentElement.lang === 'de'");
      await page.waitForSelector("body[data-ready=true]");
      assertEquals(await visibleHeading(page, "h1"), "Bei Exchange anmelden");
      assertEquals(
        await page.locator("#passcode-form button[type=submit]").innerText(),
        "Weiter",
      );
      assertEquals(
        await page.getByRole("link", { name: "Passcode vergessen?" }).count(),
        1,
      );
      // The choice stays: the next page comes in German too.
      await openPage(page, rig, "/register");
      assertEquals(await visibleHeading(page, "h1"), "Ihr Konto eröffnen");
    },
  ],
  [
    "in German, a forgotten passcode is reset with a code from the app",
    async (page, rig) => {
      const account = await enrolledAccount(rig);
      await recogniseBrowser(page.context(), rig, account);
      await chooseLanguage(page, rig, "de");
      await openPage(page, rig, "/recover");
      assertEquals(await visibleHeading(page, "h1"), "Konto wiederherstellen");
      await page.getByLabel("Konto-ID (E-Mail oder Telefon)").fill(
        account.accountId,
      );
      await page.getByRole("button", { name: "Wiederherstellungscode senden" })
        .click();
      assertEquals(
        await visibleHeading(page, "#step-reset h2"),
        "Neuen Passcode festlegen",
      );
      const reset = page.locator("#reset-form");
      await reset.getByLabel("Wiederherstellungscode").fill(
        await codeFromOutbox(rig, account.accountId),
      );
      await reset.getByLabel("Neuer Passcode", { exact: true }).fill(
        "amber glacier folds 7 quiet maps",
      );
      const factor = reset.getByLabel(
        "Code aus Ihrer Authenticator-App oder ein Backup-Code",
      );
      await factor.fill("12");
      await reset.getByRole("button", { name: "Passcode zurücksetzen" })
        .click();
      await page.locator("#reset-form-factor[aria-invalid=true]").waitFor();
      assertEquals(
        await page.locator("#reset-form-factor-error").innerText(),
        "Geben Sie die 6 Ziffern aus Ihrer App ein oder einen Backup-Code wie k7m2-q9xa-3h4p.",
      );
      await factor.fill(nextTotp(rig, account.secret));
      await reset.getByRole("button", { name: "Passcode zurücksetzen" })
        .click();
      assertEquals(
        await visibleHeading(page, "#done-title"),
        "Ihr Passcode wurde zurückgesetzt",
      );
      assert(
        (await page.locator("#done-text").innerText()).startsWith(
          "Alle Sitzungen wurden abgemeldet.",
        ),
      );
    },
  ],
  [
    "in Chinese, a lost authenticator starts the 48-hour reset, its end in Chinese",
    async (page, rig) => {
      const account = await enrolledAccount(rig);
      await chooseLanguage(page, rig, "zh-Hans");
      await openPage(page, rig, "/recover");
      assertEquals(await visibleHeading(page, "h1"), "找回您的账户");
      await page.getByLabel("账户 ID（电子邮箱或手机号）").fill(
        account.accountId,
      );
      await page.getByRole("button", { name: "发送找回验证码" }).click();
      await page.locator("#step-reset").waitFor({ state: "visible" });
      await page.getByRole("button", {
        name: "我丢失了身份验证器，也没有备用码",
      })
        .click();
      assertEquals(
        await visibleHeading(page, "#step-mfa-reset h2"),
        "身份验证器丢失",
      );
      const form = page.locator("#mfa-reset-form");
      await form.getByLabel("找回验证码").fill(
        await codeFromOutbox(rig, account.accountId),
      );
      await form.getByLabel("新密码", { exact: true }).fill(
        "amber glacier folds 7 quiet maps",
      );
      await form.getByRole("button", { name: "开始 48 小时重置" }).click();
      assertEquals(
        await visibleHeading(page, "#done-title"),
        "48 小时重置已开始",
      );
      const text = await page.locator("#done-text").innerText();
      // The moment in Chinese: a year, month and day as Chinese writes dates.
      assert(/^您的身份验证器将于 \d{4}年\d{1,2}月\d{1,2}日 /.test(text), text);
    },
  ],
];

browserSuite("sign-in pages in German and Chinese", cases);
