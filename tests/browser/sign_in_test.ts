/**
 * Sign-in and registration as a person meets them in Chromium: what is hidden stays
 * hidden, errors sit by their fields in plain words, and the keyboard alone suffices.
 * One service and browser for the file; each test has its own browser context.
 */
import type { Page } from "playwright-core";
import { assert, assertEquals } from "../helpers/assert.ts";
import {
  addCookies,
  addVirtualAuthenticator,
  type BrowserCase,
  browserSuite,
  codeFromOutbox,
  enrolledAccount,
  nextTotp,
  openPage,
  recogniseBrowser,
  withoutPasskeyAutofill,
} from "../helpers/browser.ts";
import { json, strongPasscode } from "../helpers/service.ts";

const cases: [string, BrowserCase][] = [];
function browserTest(name: string, run: BrowserCase) {
  cases.push([name, run]);
}

browserTest(
  "an account without a passkey is not offered one, and a short history no older events",
  async (page, rig) => {
    const account = await enrolledAccount(rig);
    await recogniseBrowser(page.context(), rig, account);
    await openPage(page, rig, "/login");
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

/** The field's input, error and description, as a screen reader is told them. */
async function fieldError(page: Page, input: string) {
  const field = page.locator(input);
  const errorId = (await field.getAttribute("id")) + "-error";
  return {
    invalid: await field.getAttribute("aria-invalid"),
    describedBy: (await field.getAttribute("aria-describedby")) ?? "",
    errorId,
    text: (await page.locator(`#${errorId}`).textContent()) ?? "",
    focused: await page.evaluate("document.activeElement.id") ===
      await field.getAttribute("id"),
  };
}

browserTest(
  "registration says what is wrong next to each field, in words, with focus on the first",
  async (page, rig) => {
    await openPage(page, rig, "/register");
    await page.getByRole("button", { name: "Create account" }).last().click();
    const empty = await fieldError(page, "#register-form-accountId");
    assertEquals(empty.invalid, "true");
    assert(empty.describedBy.split(" ").includes(empty.errorId));
    assertEquals(empty.text, "Enter your e-mail address or phone number.");
    assert(empty.focused, "focus moves to the first field in error");
    assertEquals(
      (await fieldError(page, "#register-form-passcode")).text,
      "Choose a passcode.",
    );
    // Typing clears the field's error: it was about the old value.
    await page.locator("#register-form-accountId").fill("not an address");
    assertEquals(
      await page.locator("#register-form-accountId").getAttribute(
        "aria-invalid",
      ),
      null,
    );
    await page.locator("#register-form-passcode").fill(strongPasscode);
    await page.locator("#register-form button[type=submit]").click();
    // The API refuses the ID (errors[].path = accountId): the field says so.
    await page.locator("#register-form-accountId[aria-invalid=true]").waitFor();
    const refused = await fieldError(page, "#register-form-accountId");
    assert(
      refused.text.startsWith("Enter an e-mail address, or a phone number"),
      refused.text,
    );
    assert(refused.focused);
    const text = await page.locator("main").innerText();
    assert(!text.includes("accountId"), "no raw field name is shown");
    assertEquals(
      await page.locator("#register-form-message").textContent(),
      "",
    );
  },
);

browserTest(
  "registration continues into sign-in with the ID filled in; the passcode can be shown",
  async (page, rig) => {
    await openPage(page, rig, "/login");
    await page.getByRole("link", { name: "Create an account" }).click();
    await page.waitForURL("**/register");
    await page.waitForSelector("body[data-ready=true]");
    const accountId = `new${crypto.randomUUID().slice(0, 6)}@example.com`;
    await page.getByLabel("Account ID (e-mail or phone)").fill(accountId);
    const passcode = page.getByLabel("Passcode", { exact: true });
    await passcode.fill(strongPasscode);
    const reveal = page.getByRole("button", { name: "Show passcode" });
    await reveal.click();
    assertEquals(await passcode.getAttribute("type"), "text");
    assertEquals(
      await page.getByRole("button", { name: "Hide passcode" }).getAttribute(
        "aria-pressed",
      ),
      "true",
    );
    const send = page.locator("#register-form button[type=submit]");
    await send.click();
    // While the request runs the button is busy and says so; the robot check is a
    // step of sending, not a result shown in a box.
    await page.locator("#register-form button[aria-busy=true]:disabled")
      .waitFor();
    assert((await send.innerText()).endsWith("…"), await send.innerText());
    await page.locator("#step-verify").waitFor({ state: "visible" });
    assertEquals(await send.innerText(), "Create account");
    assertEquals(await page.locator("main [data-kind=info]").count(), 0);
    // Sent, the passcode is hidden again; the address is repeated masked.
    assertEquals(await passcode.getAttribute("type"), "password");
    assertEquals(
      await page.locator("#verify-address").textContent(),
      `n•••@example.com`,
    );
    await page.getByLabel("Code", { exact: true }).fill(
      await codeFromOutbox(rig, accountId),
    );
    await page.getByRole("button", { name: "Verify" }).click();
    await page.getByRole("link", { name: "Continue to sign in" }).click();
    await page.waitForURL("**/login");
    await page.waitForSelector("body[data-ready=true]");
    assertEquals(
      await page.getByLabel("Account ID (e-mail or phone)").inputValue(),
      accountId,
    );
    assert(
      await page.evaluate("document.activeElement.id") ===
        "passcode-form-passcode",
      "the cursor waits in the passcode field",
    );
    assert(!page.url().includes("example"), "the ID is not in the address");
  },
);

browserTest(
  "keyboard only: Tab, type and Enter sign in through the app code step",
  async (page, rig) => {
    const account = await enrolledAccount(rig);
    await recogniseBrowser(page.context(), rig, account);
    await openPage(page, rig, "/login");
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press("Tab");
      if (await page.evaluate("document.activeElement.name") === "accountId") {
        break;
      }
    }
    await page.keyboard.type(account.accountId);
    await page.keyboard.press("Tab");
    assertEquals(
      await page.evaluate("document.activeElement.name"),
      "passcode",
    );
    await page.keyboard.type(strongPasscode);
    await page.keyboard.press("Enter");
    await page.locator("#step-mfa").waitFor({ state: "visible" });
    // The step puts the cursor into its code field.
    await page.locator("#totp-form-code:focus").waitFor();
    await page.keyboard.type(nextTotp(rig, account.secret));
    await page.keyboard.press("Enter");
    await page.waitForURL("**/security");
    await page.waitForSelector("body[data-ready=true]");
  },
);

browserTest(
  "the backup-code step shows the format and leads back to the app code",
  async (page, rig) => {
    const account = await enrolledAccount(rig);
    await recogniseBrowser(page.context(), rig, account);
    await openPage(page, rig, "/login");
    await page.getByLabel("Account ID (e-mail or phone)").fill(
      account.accountId,
    );
    await page.getByLabel("Passcode", { exact: true }).fill(strongPasscode);
    await page.keyboard.press("Enter");
    await page.getByRole("button", { name: "Use a backup code instead" })
      .click();
    await page.locator("#step-backup").waitFor({ state: "visible" });
    assert(
      (await page.locator("#backup-form-code-hint").textContent())!.includes(
        "k7m2-q9xa-3h4p",
      ),
    );
    await page.getByLabel("Backup code").fill("wxyz-wxyz-wxyz");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator("#backup-form-code[aria-invalid=true]").waitFor();
    assertEquals(
      await page.locator("#backup-form-code-error").textContent(),
      "That backup code is wrong or was used before.",
    );
    await page.getByRole("button", { name: "Use a code from the app instead" })
      .click();
    await page.locator("#step-mfa").waitFor({ state: "visible" });
  },
);

browserTest(
  "signed in, the menu shows the account and Sign out, and /login goes to the security centre",
  async (page, rig) => {
    const account = await enrolledAccount(rig);
    await addCookies(page.context(), rig, account.cookies);
    await page.goto(`${rig.origin}/login`);
    await page.waitForURL("**/security");
    await page.waitForSelector("body[data-ready=true]");
    const menu = page.getByRole("navigation", { name: "Account" });
    assert(await menu.getByText(account.accountId).isVisible());
    assertEquals(
      await menu.getByRole("link", { name: "Sign in" }).isVisible(),
      false,
    );
    await menu.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL("**/login");
    await page.waitForSelector("body[data-ready=true]");
    assert(await menu.getByRole("link", { name: "Sign in" }).isVisible());
  },
);

browserTest(
  "the lockout is said before it happens: 2 and 1 attempts left, then locked until a time",
  async (page, rig) => {
    const accountId = `someone${crypto.randomUUID().slice(0, 6)}@example.com`;
    await openPage(page, rig, "/login");
    const message = page.locator("#passcode-form-message");
    const seen: string[] = [];
    for (let i = 1; i <= 6; i++) {
      await page.getByLabel("Account ID (e-mail or phone)").fill(accountId);
      await page.getByLabel("Passcode", { exact: true }).fill(
        `wrong passcode number ${i}`,
      );
      await page.keyboard.press("Enter");
      await page.locator("#passcode-form button[type=submit]:enabled")
        .waitFor();
      await message.locator("text=/./").waitFor();
      seen.push(await message.innerText());
      // The next answer must be a new one, not this text still standing.
      await page.evaluate(
        'document.getElementById("passcode-form-message").textContent = ""',
      );
    }
    assertEquals(seen.slice(0, 2), [
      "The account ID or passcode is wrong.",
      "The account ID or passcode is wrong.",
    ]);
    assertEquals(
      seen[2],
      "The account ID or passcode is wrong. 2 attempts left before sign-in is locked for 2 hours.",
    );
    assertEquals(
      seen[3],
      "The account ID or passcode is wrong. 1 attempt left before sign-in is locked for 2 hours.",
    );
    assert(seen[4].includes("Sign-in is now locked for 2 hours"), seen[4]);
    assert(
      seen[5].startsWith("Too many failed attempts: locked until"),
      seen[5],
    );
  },
);

browserTest(
  "a passkey alone signs in: added in the security centre, signed out, then one touch",
  async (page, rig) => {
    const account = await enrolledAccount(rig);
    await addCookies(page.context(), rig, account.cookies);
    await addVirtualAuthenticator(page);
    await openPage(page, rig, "/security");
    await page.getByRole("button", { name: "Add a passkey" }).click();
    const dialog = page.getByRole("dialog", { name: "Add a passkey" });
    await dialog.getByLabel("Passkey name").fill("Laptop");
    await dialog.getByLabel("Code from your authenticator app").fill(
      nextTotp(rig, account.secret),
    );
    await dialog.getByRole("button", { name: "Create passkey" }).click();
    await page.locator("#devices", { hasText: "Laptop" }).waitFor();
    const passkeySignIns = page.locator("#history li", {
      hasText: "Signed in with a passkey",
    });
    const signOut = page.getByRole("navigation", { name: "Account" })
      .getByRole("button", { name: "Sign out" });

    // Conditional UI: the account-ID field offers the browser's passkeys among its
    // suggestions, and the virtual authenticator picks the one it holds at once.
    await signOut.click();
    await page.waitForURL("**/login");
    assertEquals(
      await page.getByLabel("Account ID (e-mail or phone)").getAttribute(
        "autocomplete",
      ),
      "username webauthn",
    );
    await page.waitForURL("**/security");
    await passkeySignIns.first().waitFor();
    assertEquals(await passkeySignIns.count(), 1);

    // A browser without suggestions for passkeys: the button.
    await withoutPasskeyAutofill(page);
    await signOut.click();
    await page.waitForURL("**/login");
    await page.waitForSelector("body[data-ready=true]");
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await page.waitForURL("**/security");
    await page.waitForSelector("body[data-ready=true]");
    assertEquals(await passkeySignIns.count(), 2);
  },
);

browserTest(
  "a new browser may ask for a new code: too soon says when, then the newest code works",
  async (page, rig) => {
    const account = await enrolledAccount(rig);
    await page.clock.install();
    await openPage(page, rig, "/login");
    await page.getByLabel("Account ID (e-mail or phone)").fill(
      account.accountId,
    );
    await page.getByLabel("Passcode", { exact: true }).fill(strongPasscode);
    await page.keyboard.press("Enter");
    await page.locator("#step-device").waitFor({ state: "visible" });
    const resend = page.getByRole("button", { name: "Send a new code" });
    const status = page.locator("#resend-status");
    // The first code went a moment ago: one a minute.
    await resend.click();
    await status.locator("text=/./").waitFor();
    const wait = await status.innerText();
    assert(/^You can ask again in \d+ seconds\.$/.test(wait), wait);
    assert(await resend.isDisabled(), "not before the time it said");
    rig.service.clock.advanceSeconds(61);
    await page.clock.fastForward(61_000);
    await page.locator("#resend-code:enabled").waitFor();
    await resend.click();
    await status.filter({ hasText: "We sent a new code" }).waitFor();
    assertEquals(
      await status.innerText(),
      `We sent a new code to ${
        account.accountId[0]
      }•••@example.com. Only the newest code works.`,
    );
    await page.getByLabel("Code", { exact: true }).fill(
      await codeFromOutbox(rig, account.accountId),
    );
    await page.getByRole("button", { name: "Confirm" }).click();
    await page.locator("#step-mfa").waitFor({ state: "visible" });
  },
);

browserTest(
  "a recovery under the settings lock says when the new passcode takes effect",
  async (page, rig) => {
    const account = await enrolledAccount(rig);
    const cookie = account.cookies.map((c) => `${c.name}=${c.value}`).join(
      "; ",
    );
    const locked = await rig.service.request(
      "/v1/security/lock",
      json(
        { unlockDelayDays: 3, totp: nextTotp(rig, account.secret) },
        "PUT",
        { cookie, origin: rig.origin },
      ),
    );
    assertEquals(locked.status, 204);
    await openPage(page, rig, "/recover");
    await page.getByLabel("Account ID (e-mail or phone)").fill(
      account.accountId,
    );
    await page.keyboard.press("Enter");
    await page.locator("#step-reset").waitFor({ state: "visible" });
    const reset = page.locator("#reset-form");
    await reset.getByLabel("Recovery code").fill(
      await codeFromOutbox(rig, account.accountId),
    );
    await reset.getByLabel("New passcode", { exact: true }).fill(
      "amber glacier folds 7 quiet maps",
    );
    await reset.getByLabel(
      "Code from your authenticator app, or a backup code",
    ).fill(nextTotp(rig, account.secret));
    await reset.getByRole("button", { name: "Reset passcode" }).click();
    await page.locator("#step-done").waitFor({ state: "visible" });
    assertEquals(
      await page.locator("#done-title").innerText(),
      "Your new passcode is waiting",
    );
    assert(
      (await page.locator("#done-text").innerText()).includes(
        "after the delay you chose",
      ),
    );
  },
);

browserSuite("sign-in and registration pages", cases);
