/**
 * axe-core finds no violation at all (of any impact) on sign-in, registration, the
 * security centre and the step-up page, in light and dark, at desktop and 390-px phone
 * width; nor in an open dialog (the settings lock's and the passkeys-only switch's
 * too), nor with a field error shown. The security centre, the step-up page and the
 * development outbox fit 390 px without scrolling sideways.
 */
import type { Page } from "playwright-core";
import { assertEquals } from "../helpers/assert.ts";
import {
  addCookies,
  allViolations,
  browserMissing,
  enrolledAccount,
  openPage,
  startBrowserRig,
  step,
} from "../helpers/browser.ts";

/** A withdrawal to approve, with an address as long as they come. */
const stepUp =
  "/step-up?action=withdrawal&asset=BTC&amount=0.25&destination=bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq&memo=104729";

/** Whether the page fits its width, without scrolling sideways. */
function fits(page: Page): Promise<boolean> {
  return page.evaluate(
    "document.documentElement.scrollWidth <= document.documentElement.clientWidth",
  );
}

Deno.test({
  name: "no accessibility violation in light and dark, desktop and phone",
  ignore: browserMissing !== null,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const rig = await startBrowserRig();
    try {
      const account = await enrolledAccount(rig);
      for (const colorScheme of ["light", "dark"] as const) {
        for (const width of [1280, 390]) {
          await t.step(`${colorScheme}, ${width} px`, async () => {
            const context = await rig.browser.newContext({
              colorScheme,
              viewport: { width, height: 860 },
            });
            try {
              const page = await context.newPage();
              await step(page, `axe ${colorScheme} ${width}`, async () => {
                for (const path of ["/login", "/register"]) {
                  await openPage(page, rig, path);
                  assertEquals(await allViolations(page), [], path);
                }
                // A field error shown: its colour and ties checked too.
                await page.locator("#register-form button[type=submit]")
                  .click();
                await page.locator("[aria-invalid=true]").first().waitFor();
                assertEquals(await allViolations(page), [], "field errors");
                await addCookies(context, rig, account.cookies);
                await openPage(page, rig, "/security");
                await page.locator("#history li").first().waitFor();
                assertEquals(await allViolations(page), [], "/security");
                if (width === 390) {
                  assertEquals(await fits(page), true, "/security fits 390 px");
                  // The development outbox too, with its long message lines.
                  await page.goto(`${rig.origin}/dev/outbox`, {
                    waitUntil: "load",
                  });
                  assertEquals(await fits(page), true, "/dev/outbox fits");
                  assertEquals(await allViolations(page), [], "/dev/outbox");
                  await openPage(page, rig, "/security");
                }
                await page.getByRole("button", { name: "Add a passkey" })
                  .click();
                await page.getByRole("dialog", { name: "Add a passkey" })
                  .waitFor();
                assertEquals(await allViolations(page), [], "a dialog");
                await page.keyboard.press("Escape");
                // The brakes' dialogs, each as it opens in its own state.
                for (
                  const id of [
                    "lock-dialog",
                    "unlock-dialog",
                    "policy-on-dialog",
                    "policy-off-dialog",
                  ]
                ) {
                  await page.evaluate(
                    `document.getElementById("${id}").showModal()`,
                  );
                  assertEquals(await allViolations(page), [], id);
                  await page.evaluate(
                    `document.getElementById("${id}").close()`,
                  );
                }
                await openPage(page, rig, stepUp);
                assertEquals(await allViolations(page), [], "/step-up");
                if (width === 390) {
                  assertEquals(await fits(page), true, "/step-up fits 390 px");
                }
              });
            } finally {
              await context.close();
            }
          });
        }
      }
    } finally {
      await rig.close();
    }
  },
});
