/**
 * Sign-in and registration as a person meets them in Chromium: what is hidden stays
 * hidden, errors sit by their fields in plain words, and the keyboard alone suffices.
 * One service and browser for the file; each test has its own browser context.
 */
import type { Page } from "playwright-core";
import { totpCodeAt } from "../../lib/totp.ts";
import { assert, assertEquals } from "../helpers/assert.ts";
import {
  addCookies,
  browserMissing,
  type BrowserRig,
  enrolledAccount,
  startBrowserRig,
  step,
} from "../helpers/browser.ts";
import { strongPasscode } from "../helpers/service.ts";

/** The cases of this file, run as steps of one test sharing the rig. */
const cases: [string, (page: Page, rig: BrowserRig) => Promise<void>][] = [];
function browserTest(
  name: string,
  fn: (page: Page, rig: BrowserRig) => Promise<void>,
) {
  cases.push([name, fn]);
}

async function open(page: Page, rig: BrowserRig, path: string) {
  await page.goto(`${rig.origin}${path}`);
  await page.waitForSelector("body[data-ready=true]");
}

function nextTotp(rig: BrowserRig, secret: string): string {
  rig.service.clock.advanceSeconds(30);
  return totpCodeAt(secret, rig.service.clock.now());
}

browserTest(
  "an account without a passkey is not offered one, and a short history no older events",
  async (page, rig) => {
    const account = await enrolledAccount(rig);
    await addCookies(
      page.context(),
      rig,
      account.cookies.filter((cookie) => cookie.name === "__Host-device"),
    );
    await open(page, rig, "/login");
    await page.getByLabel("Account ID (e-mail or phone)").fill(
      account.accountId,
    );
    await page.getByLabel("Passcode", { exact: true }).fill(strongPasscode);
    await page.getByRole("button", { name: "Continue" }).click();
    await page.locator("#step-mfa").waitFor({ state: "visible" });
    assertEquals(await page.locator("#use-passkey").isVisible(), false);
    assert(await page.locator("#use-backup-code").isVisible());
    await page.locator("#totp-form input").fill(nextTotp(rig, account.secret));
    await page.locator("#totp-form button[type=submit]").click();
    await page.waitForURL("**/security");
    await page.waitForSelector("body[data-ready=true]");
    assert((await page.locator("#history li").count()) > 0);
    assertEquals(await page.locator("#history-more").isVisible(), false);
  },
);

Deno.test({
  name: "sign-in and registration pages",
  ignore: browserMissing !== null,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const rig = await startBrowserRig();
    try {
      for (const [name, fn] of cases) {
        await t.step(name, async () => {
          const context = await rig.browser.newContext();
          try {
            const page = await context.newPage();
            await step(page, name, () => fn(page, rig));
          } finally {
            await context.close();
          }
        });
      }
    } finally {
      await rig.close();
    }
  },
});
