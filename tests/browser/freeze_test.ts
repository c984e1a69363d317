/**
 * "This wasn't me" in a real Chromium: the owner reads the freeze link in a message in
 * the development outbox, opens it, reads what will happen, and presses the button.
 */
import type { BrowserContext } from "playwright-core";
import { assert, assertEquals } from "../helpers/assert.ts";
import {
  browserMissing,
  seriousViolations,
  startBrowserRig,
  step,
} from "../helpers/browser.ts";
import { signedInAccount } from "../helpers/brakes.ts";
import { passcodeVerdict, strongPasscode } from "../helpers/service.ts";

Deno.test({
  name: "the owner freezes the account from the link in /dev/outbox",
  ignore: browserMissing !== null,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const rig = await startBrowserRig();
    let context: BrowserContext | undefined;
    try {
      const account = await signedInAccount(rig.service);
      const set = await account.send("/v1/trading-passcode", {
        tradingPasscode: "284915",
        totp: account.totp(),
      }, "PUT");
      assertEquals(set.status, 204);
      await rig.service.deps.deliverer.settled();

      context = await rig.browser.newContext({
        viewport: { width: 390, height: 844 },
      });
      const page = await context.newPage();
      const link = await step(page, "freeze link in the outbox", async () => {
        await page.goto(`${rig.origin}/dev/outbox`);
        const text = await page.locator("pre").first().textContent() ?? "";
        const found = /https?:\/\/\S+\/freeze\?token=[A-Za-z0-9_-]{43}/.exec(
          text,
        )?.[0];
        assert(found, text);
        return found;
      });
      await step(page, "the page says what will happen", async () => {
        await page.goto(link);
        await page.getByRole("heading", { name: "Freeze your account" })
          .waitFor();
        assert(
          (await page.locator("main").textContent())?.includes(
            "Every session ends",
          ),
        );
        assertEquals(await seriousViolations(page), []);
      });
      // Opening it changed nothing (mail scanners open links too).
      assertEquals(
        await passcodeVerdict(rig.service, account.accountId, strongPasscode),
        "accepted",
      );
      await step(page, "the button freezes", async () => {
        await page.getByRole("button", { name: "Freeze my account" }).click();
        await page.getByText("Your account is frozen").waitFor();
        assertEquals(await seriousViolations(page), []);
      });
      assertEquals(
        await passcodeVerdict(rig.service, account.accountId, strongPasscode),
        "account_frozen",
      );
      await step(page, "the link works once", async () => {
        await page.goto(link);
        await page.getByRole("button", { name: "Freeze my account" }).click();
        await page.getByText("Nothing was changed").waitFor();
      });
    } finally {
      await context?.close();
      await rig.close();
    }
  },
});
