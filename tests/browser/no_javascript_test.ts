/**
 * The sign-in page in a Chromium with JavaScript turned off: Enter on a filled form must
 * not put the passcode into the address, and the page says that JavaScript is needed.
 */
import { assert } from "../helpers/assert.ts";
import { browserMissing, startBrowserRig, step } from "../helpers/browser.ts";

Deno.test({
  name:
    "without JavaScript, Enter on the sign-in form keeps the passcode out of the URL",
  ignore: browserMissing !== null,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const rig = await startBrowserRig();
    const context = await rig.browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      const passcode = "plum radar nineteen kettles";
      await step(page, "no-JS sign-in", async () => {
        await page.goto(`${rig.origin}/login`);
        await page.getByLabel("Account ID (e-mail or phone)").fill(
          "someone@example.com",
        );
        await page.getByLabel("Passcode", { exact: true }).fill(passcode);
        const sent = page.waitForRequest((request) =>
          request.isNavigationRequest()
        );
        await page.getByLabel("Passcode", { exact: true }).press("Enter");
        const request = await sent;
        await page.waitForLoadState();
        for (const url of [request.url(), page.url()]) {
          assert(!url.includes("plum") && !url.includes("passcode"), url);
          assert(!url.includes("someone"), url);
        }
        // Text locators skip <noscript>; its paragraph is found by class.
        const noscript = page.locator("p.noscript");
        assert(await noscript.isVisible(), "the noscript message is shown");
        assert((await noscript.textContent())!.includes("needs JavaScript"));
        assert(
          await page.getByText("JavaScript is needed to continue").isVisible(),
          "the answer says why nothing happened",
        );
      });
    } finally {
      await context.close();
      await rig.close();
    }
  },
});
