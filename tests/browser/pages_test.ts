/**
 * The pages in a real Chromium: every flow of the guide as a person does it, with codes
 * from the development outbox, TOTP codes from otpauth, and a passkey from the DevTools
 * protocol's virtual authenticator.
 */
import type { BrowserContext, Page } from "playwright-core";
import { totpCodeAt } from "../../lib/crypto/totp.ts";
import { assert, assertEquals } from "../helpers/assert.ts";
import {
  browserMissing,
  type BrowserRig,
  codeFromOutbox,
  seriousViolations,
  startBrowserRig,
  step,
  withoutPasskeyAutofill,
} from "../helpers/browser.ts";
import { strongPasscode } from "../helpers/service.ts";

const newPasscode = "amber glacier folds 7 quiet maps";

/** The next TOTP step's code (the test clock moves on, so no code is a replay). */
function nextTotp(rig: BrowserRig, secret: string): string {
  rig.service.clock.advanceSeconds(30);
  return totpCodeAt(secret, rig.service.clock.now());
}

async function open(page: Page, rig: BrowserRig, path: string) {
  await page.goto(`${rig.origin}${path}`);
  await page.waitForSelector("body[data-ready=true]");
}

/** Fills a form's fields by label and submits it with its button. */
async function submit(
  page: Page,
  formId: string,
  fields: Record<string, string>,
) {
  const form = page.locator(`#${formId}`);
  for (const [label, value] of Object.entries(fields)) {
    await form.getByLabel(label, { exact: true }).fill(value);
  }
  await form.locator("button[type=submit]").click();
}

async function signInStart(
  page: Page,
  rig: BrowserRig,
  accountId: string,
  passcode: string,
) {
  await open(page, rig, "/login");
  await submit(page, "passcode-form", {
    "Account ID (e-mail or phone)": accountId,
    "Passcode": passcode,
  });
}

Deno.test({
  name:
    "a person registers, enrolls, adds a passkey, signs in with it, sets the codes, recovers",
  ignore: browserMissing !== null,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const rig = await startBrowserRig();
    let context: BrowserContext | undefined;
    try {
      context = await rig.browser.newContext({
        viewport: { width: 390, height: 844 },
      });
      const page = await context.newPage();
      const cspViolations: string[] = [];
      page.on("console", (message) => {
        if (/Content Security Policy/i.test(message.text())) {
          cspViolations.push(message.text());
        }
      });
      const accountId = `person${crypto.randomUUID().slice(0, 6)}@example.com`;

      await step(page, "register", async () => {
        await open(page, rig, "/register");
        await submit(page, "register-form", {
          "Account ID (e-mail or phone)": accountId,
          "Passcode": strongPasscode,
        });
        await page.locator("#step-verify").waitFor({ state: "visible" });
        await submit(page, "verify-form", {
          "Code": await codeFromOutbox(rig, accountId),
        });
        await page.locator("#step-registered").waitFor({ state: "visible" });
      });

      const secret = await step(
        page,
        "first login with enrollment",
        async () => {
          await signInStart(page, rig, accountId, strongPasscode);
          await page.locator("#step-enroll").waitFor({ state: "visible" });
          assert(await page.locator("#enroll-qr svg").count() === 1);
          const secret = (await page.locator("#enroll-secret").textContent())!;
          await submit(page, "enroll-form", {
            "Code from the app": nextTotp(rig, secret),
          });
          await page.locator("#step-backup-codes").waitFor({
            state: "visible",
          });
          assertEquals(await page.locator("#first-codes-list li").count(), 10);
          await page.getByLabel("I have saved these codes").check();
          await page.getByRole("button", { name: "Continue" }).click();
          await page.waitForURL("**/security");
          await page.waitForSelector("body[data-ready=true]");
          return secret;
        },
      );

      await step(page, "security page shows the checklist", async () => {
        const critical = page.locator(
          '#audit [data-check="trading_passcode"][data-status="critical"]',
        );
        await critical.waitFor();
        assert(
          (await page.locator("#signed-in-as").textContent())!.includes(
            accountId,
          ),
        );
      });

      await step(page, "add a passkey", async () => {
        const cdp = await context!.newCDPSession(page);
        await cdp.send("WebAuthn.enable");
        await cdp.send("WebAuthn.addVirtualAuthenticator", {
          options: {
            protocol: "ctap2",
            transport: "internal",
            hasResidentKey: true,
            hasUserVerification: true,
            isUserVerified: true,
            automaticPresenceSimulation: true,
          },
        });
        await page.getByRole("button", { name: "Add a passkey" }).click();
        await submit(page, "passkey-form", {
          "Passkey name": "Phone passkey",
          "Code from your authenticator app": nextTotp(rig, secret),
        });
        await page.locator("#devices-status", { hasText: "Passkey" }).waitFor();
        await page.locator("#devices", { hasText: "Phone passkey" }).waitFor();
      });

      await step(
        page,
        "set trading passcode and anti-phishing code",
        async () => {
          // Adding the passkey confirmed this session: no code for a few minutes.
          await page.locator("#trading-open").click();
          await submit(page, "trading-form", {
            "New trading passcode": "284915",
          });
          await page.locator("#trading-status", {
            hasText: "Trading passcode saved",
          }).waitFor();
          await page.locator("#phishing-open").click();
          await submit(page, "phishing-form", {
            "Anti-phishing code": "Blue-Otter_7",
          });
          await page.locator("#phishing-current", { hasText: "Blue-Otter_7" })
            .waitFor();
          await page.locator(
            '.checkup [data-check="trading_passcode"][data-status="ok"]',
          ).waitFor();
        },
      );

      await step(page, "log out, log in with the passkey", async () => {
        // The passkey as the second factor after the passcode: in a browser that
        // offers no passkeys among the account-ID field's suggestions (where it
        // does, the passkey alone signs in: tests/browser/sign_in_test.ts).
        await withoutPasskeyAutofill(page);
        await page.locator("#sign-out").click();
        await page.waitForURL("**/login");
        await signInStart(page, rig, accountId, strongPasscode);
        await page.locator("#step-mfa").waitFor({ state: "visible" });
        await page.locator("#use-passkey").click();
        await page.waitForURL("**/security");
        await page.locator("#history", { hasText: "Signed in with a passkey" })
          .waitFor();
      });

      await step(page, "accessibility of every page, phone-sized", async () => {
        const paths = ["/security", "/", "/login", "/register", "/recover"];
        for (const path of paths) {
          await open(page, rig, path);
          assertEquals(await seriousViolations(page), [], path);
          assertEquals(
            await page.evaluate(
              "document.documentElement.scrollWidth <= document.documentElement.clientWidth",
            ),
            true,
            `${path} fits 390 px without scrolling sideways`,
          );
        }
      });

      await step(
        page,
        "a new browser confirms with the code sent",
        async () => {
          const stranger = await rig.browser.newContext();
          try {
            const other = await stranger.newPage();
            await signInStart(other, rig, accountId, strongPasscode);
            await other.locator("#step-device").waitFor({ state: "visible" });
            await submit(other, "device-form", {
              "Code": await codeFromOutbox(rig, accountId),
            });
            await other.locator("#step-mfa").waitFor({ state: "visible" });
            await submit(other, "totp-form", {
              "Code from your authenticator app": nextTotp(rig, secret),
            });
            await other.waitForURL("**/security");
          } finally {
            await stranger.close();
          }
        },
      );

      await step(page, "recover a forgotten passcode", async () => {
        await open(page, rig, "/recover");
        await submit(page, "request-form", {
          "Account ID (e-mail or phone)": accountId,
        });
        await page.locator("#step-reset").waitFor({ state: "visible" });
        await submit(page, "reset-form", {
          "Recovery code": await codeFromOutbox(rig, accountId),
          "New passcode": newPasscode,
          "Code from your authenticator app, or a backup code": nextTotp(
            rig,
            secret,
          ),
        });
        await page.locator("#step-done").waitFor({ state: "visible" });
        await signInStart(page, rig, accountId, newPasscode);
        await page.locator("#step-mfa").waitFor({ state: "visible" });
      });

      assertEquals(cspViolations, []);
      const captchaMs = await page.locator("body").getAttribute(
        "data-captcha-ms",
      );
      console.log(`CAPTCHA solved in the browser in ${captchaMs} ms`);
    } finally {
      await context?.close();
      await rig.close();
    }
  },
});
