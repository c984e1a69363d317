/**
 * `/docs` in a real Chromium: Swagger UI renders the service's document, loads nothing
 * from another origin, and breaks no rule of the page's Content-Security-Policy.
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { browserMissing, startBrowserRig, step } from "../helpers/browser.ts";

Deno.test({
  name:
    "/docs renders the API reference with no CSP violation and nothing from elsewhere",
  ignore: browserMissing !== null,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const rig = await startBrowserRig();
    const context = await rig.browser.newContext();
    try {
      const page = await context.newPage();
      const violations: string[] = [];
      const elsewhere: string[] = [];
      page.on("console", (message) => {
        if (/Content.Security.Policy/i.test(message.text())) {
          violations.push(message.text());
        }
      });
      page.on("request", (request) => {
        if (!request.url().startsWith(`${rig.origin}/`)) {
          elsewhere.push(request.url());
        }
      });
      // Chromium reports violations on the console ("Refused to … Content Security
      // Policy"); the event catches any it would not. Registered before the page's own
      // scripts, through DevTools, which the policy does not govern.
      await page.addInitScript({
        content:
          `document.addEventListener("securitypolicyviolation", (event) =>
          console.error("Content-Security-Policy: " + event.violatedDirective +
            " " + event.blockedURI));`,
      });
      await step(page, "API reference", async () => {
        await page.goto(`${rig.origin}/docs`);
        const title = page.locator(".info .title");
        await title.waitFor({ state: "visible" });
        assert(
          (await title.textContent())!.includes("Exchange login service"),
          "the API title is shown",
        );
        // An operation of the document, rendered from /openapi.json.
        await page.locator("#operations-session-get_v1_session").waitFor();
        // Let late work (fonts, lazy styles) show any violation too.
        await page.waitForLoadState("networkidle");
      });
      assertEquals(violations, []);
      assertEquals(elsewhere, []);
    } finally {
      await context.close();
      await rig.close();
    }
  },
});
