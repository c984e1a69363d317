/**
 * The language before and after sign-in: the switch keeps a visitor's choice in a
 * cookie; once signed in it is the account's (`PUT /v1/preferences`), so messages
 * follow; and signing in on a browser brings the account's language to it.
 */
import { assertEquals } from "../helpers/assert.ts";
import {
  addCookies,
  type BrowserCase,
  browserSuite,
  enrolledAccount,
  nextTotp,
  openPage,
  recogniseBrowser,
} from "../helpers/browser.ts";
import { signInAgain, strongPasscode } from "../helpers/service.ts";

const cases: [string, BrowserCase][] = [];

cases.push([
  "signed in, the switch changes the account's language, and a sign-in elsewhere brings it along",
  async (page, rig) => {
    const account = await enrolledAccount(rig);
    await addCookies(page.context(), rig, account.cookies);
    await openPage(page, rig, "/security");
    assertEquals(await page.getAttribute("html", "lang"), "en");
    await Promise.all([
      page.waitForEvent("load"),
      page.getByRole("combobox", { name: "Language" }).selectOption("de"),
    ]);
    await page.waitForSelector("body[data-ready=true]");
    assertEquals(await page.getAttribute("html", "lang"), "de");

    // The account's own preference changed, not only this browser's cookie.
    const headers = await signInAgain(
      rig.service,
      account.accountId,
      account.secret,
    );
    const preferences = await rig.service.request("/v1/preferences", {
      headers,
    });
    assertEquals((await preferences.json()).language, "de");

    // Another browser, which has never seen the account, in English until sign-in.
    const other = await rig.browser.newContext();
    try {
      const elsewhere = await other.newPage();
      await recogniseBrowser(other, rig, account);
      await openPage(elsewhere, rig, "/login");
      assertEquals(await elsewhere.getAttribute("html", "lang"), "en");
      await elsewhere.getByLabel("Account ID (e-mail or phone)").fill(
        account.accountId,
      );
      await elsewhere.getByLabel("Passcode", { exact: true }).fill(
        strongPasscode,
      );
      await elsewhere.getByRole("button", { name: "Continue" }).click();
      await elsewhere.locator("#totp-form input").fill(
        nextTotp(rig, account.secret),
      );
      await elsewhere.locator("#totp-form button[type=submit]").click();
      await elsewhere.waitForURL("**/security");
      await elsewhere.waitForSelector("body[data-ready=true]");
      assertEquals(await elsewhere.getAttribute("html", "lang"), "de");
      assertEquals(
        await elsewhere.locator("#sign-out").innerText(),
        "Abmelden",
      );
    } finally {
      await other.close();
    }
  },
]);

browserSuite("the language follows the account once signed in", cases);
