/**
 * The security centre in Chromium: this session marked and other sessions described
 * in words, each action in its own dialog that asks first and says so after, errors
 * by their fields, backup codes kept by download, the current browser removed cleanly.
 */
import type { Page } from "playwright-core";
import { assert, assertEquals } from "../helpers/assert.ts";
import {
  addCookies,
  addVirtualAuthenticator,
  type BrowserCase,
  type BrowserRig,
  browserSuite,
  codeFromOutbox,
  type ContextOptions,
  enrolledAccount,
  nextTotp,
  openPage,
  recogniseBrowser,
} from "../helpers/browser.ts";
import { freeze, freezeTokenOf } from "../helpers/brakes.ts";
import { json, signInAgain, strongPasscode } from "../helpers/service.ts";

const cases: [string, BrowserCase, ContextOptions?][] = [];
function browserTest(
  name: string,
  run: BrowserCase,
  options?: ContextOptions,
) {
  cases.push([name, run, options]);
}

/** A signed-in browser on /security; returns the account. */
async function signedIn(page: Page, rig: BrowserRig) {
  const account = await enrolledAccount(rig);
  await addCookies(page.context(), rig, account.cookies);
  await openPage(page, rig, "/security");
  return account;
}

/** Signs in through the pages, as a person does, in a recognised browser. */
async function signInThroughPages(page: Page, rig: BrowserRig) {
  const account = await enrolledAccount(rig);
  await recogniseBrowser(page.context(), rig, account);
  await openPage(page, rig, "/login");
  await page.getByLabel("Account ID (e-mail or phone)").fill(account.accountId);
  await page.getByLabel("Passcode", { exact: true }).fill(strongPasscode);
  await page.keyboard.press("Enter");
  await page.locator("#totp-form-code").fill(nextTotp(rig, account.secret));
  await page.keyboard.press("Enter");
  await page.waitForURL("**/security");
  await page.waitForSelector("body[data-ready=true]");
  return account;
}

browserTest(
  "this session is marked, the others described in words, and signing one out asks first",
  async (page, rig) => {
    const account = await signInThroughPages(page, rig);
    // Another session, from an API client on another network.
    await signInAgain(rig.service, account.accountId, account.secret);
    await page.reload();
    await page.waitForSelector("body[data-ready=true]");
    const rows = page.locator("#sessions > li");
    // This one, the enrolling login's (an API client here), the API client's.
    assertEquals(await rows.count(), 3);
    const mine = rows.filter({ hasText: "This session" });
    assertEquals(await mine.count(), 1);
    const mineText = await mine.innerText();
    assert(mineText.includes("Chrome on Linux"), mineText);
    assert(mineText.includes("127.0.0.0/24"), mineText);
    assertEquals(await mine.getByRole("button").count(), 0);
    const other = rows.filter({ hasText: "198.51.100.0/24" });
    const otherText = await other.innerText();
    assert(otherText.includes("198.51.100.0/24"), otherText);
    // No user agent sent: said plainly, never the header's own text.
    assert(otherText.includes("Unknown browser"), otherText);
    const when = other.locator("time").first();
    assert(await when.getAttribute("datetime"));
    assert((await when.getAttribute("title"))!.length > 10);

    await other.getByRole("button", { name: /Sign out/ }).click();
    const dialog = page.getByRole("dialog", { name: "Sign out this session?" });
    await dialog.waitFor();
    assert((await dialog.innerText()).includes("198.51.100.0/24"));
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "hidden" });
    assertEquals(await rows.count(), 3, "Cancel changed nothing");
    await other.getByRole("button", { name: /Sign out/ }).click();
    await dialog.getByRole("button", { name: "Sign it out" }).click();
    await page.locator("#sessions-status", { hasText: "was signed out" })
      .waitFor();
    assertEquals(await rows.count(), 2);
  },
);

browserTest(
  "sign out all other sessions, after asking",
  async (page, rig) => {
    const account = await signedIn(page, rig);
    await signInAgain(rig.service, account.accountId, account.secret);
    await signInAgain(rig.service, account.accountId, account.secret);
    await page.reload();
    await page.waitForSelector("body[data-ready=true]");
    assertEquals(await page.locator("#sessions > li").count(), 3);
    await page.getByRole("button", { name: "Sign out all other sessions" })
      .click();
    await page.getByRole("dialog", { name: "Sign out all other sessions?" })
      .getByRole("button", { name: "Sign out others" }).click();
    await page.locator("#sessions-status", { hasText: "Every other session" })
      .waitFor();
    assertEquals(await page.locator("#sessions > li").count(), 1);
    assertEquals(
      await page.getByRole("button", { name: "Sign out all other sessions" })
        .isVisible(),
      false,
      "nothing left to sign out",
    );
  },
);

browserTest(
  "a wrong current passcode is said next to that field, in the dialog",
  async (page, rig) => {
    const account = await signedIn(page, rig);
    await page.getByRole("button", { name: "Change passcode" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Change your passcode" });
    await dialog.getByLabel("Current passcode", { exact: true }).fill(
      "not the passcode at all",
    );
    await dialog.getByLabel("New passcode", { exact: true }).fill(
      "amber glacier folds 7 quiet maps",
    );
    await dialog.getByLabel("Code from your authenticator app").fill(
      nextTotp(rig, account.secret),
    );
    await dialog.getByRole("button", { name: "Change passcode" }).click();
    const current = dialog.getByLabel("Current passcode", { exact: true });
    await dialog.locator(
      "#passcode-change-form-currentPasscode[aria-invalid=true]",
    )
      .waitFor();
    assertEquals(
      await dialog.locator("#passcode-change-form-currentPasscode-error")
        .textContent(),
      "That passcode is wrong.",
    );
    assert(
      (await current.getAttribute("aria-describedby"))!.includes(
        "passcode-change-form-currentPasscode-error",
      ),
    );
    assertEquals(
      await page.evaluate("document.activeElement.id"),
      "passcode-change-form-currentPasscode",
    );
  },
);

browserTest(
  "new backup codes appear in their own panel and download as a text file",
  async (page, rig) => {
    const account = await signedIn(page, rig);
    await page.getByRole("button", { name: "New backup codes" }).click();
    const dialog = page.getByRole("dialog", { name: "Make new backup codes" });
    await dialog.getByLabel("Code from your authenticator app").fill(
      nextTotp(rig, account.secret),
    );
    await dialog.getByRole("button", { name: "Make new codes" }).click();
    await dialog.getByRole("heading", { name: "Your new backup codes" })
      .waitFor();
    const codes = await dialog.locator("#new-codes-list li").allInnerTexts();
    assertEquals(codes.length, 10);
    const done = dialog.getByRole("button", { name: "Continue" });
    assert(await done.isDisabled(), "not before the codes are kept");
    const downloading = page.waitForEvent("download");
    await dialog.getByRole("button", { name: "Download" }).click();
    const download = await downloading;
    assertEquals(download.suggestedFilename(), "backup-codes.txt");
    const text = await Deno.readTextFile((await download.path())!);
    for (const code of codes) assert(text.includes(code.trim()), code);
    assert(text.includes(account.accountId));
    await dialog.getByLabel("I have saved these codes").check();
    await done.click();
    await dialog.waitFor({ state: "hidden" });
    await page.locator("#signin-status", { hasText: "New backup codes" })
      .waitFor();
  },
);

browserTest(
  "a device is renamed in the page, and removing this browser asks, then signs out cleanly",
  async (page, rig) => {
    const account = await signedIn(page, rig);
    const row = page.locator("#devices > li.row").first();
    await row.getByRole("button", { name: /^Rename/ }).click();
    const rename = page.getByRole("dialog", { name: "Rename" });
    await rename.getByLabel("Name").fill("My laptop");
    await rename.getByRole("button", { name: "Save name" }).click();
    await page.locator("#devices-status", { hasText: "My laptop" }).waitFor();
    await page.locator("#devices", { hasText: "My laptop" }).waitFor();

    // The browser's device cookie is the one registration set: this browser.
    await page.getByRole("button", { name: "Remove My laptop" }).click();
    const remove = page.getByRole("dialog", { name: "Remove this browser?" });
    assert((await remove.innerText()).includes("signed out here too"));
    await remove.getByLabel("Code from your authenticator app").fill(
      nextTotp(rig, account.secret),
    );
    await remove.getByRole("button", { name: "Remove" }).click();
    await page.waitForURL("**/login");
    await page.waitForSelector("body[data-ready=true]");
    assert(
      (await page.locator("#notice").innerText()).includes(
        "You removed this browser",
      ),
    );
    assertEquals(
      await page.getByRole("link", { name: "Sign in" }).isVisible(),
      true,
    );
  },
);

browserTest(
  "a session ended elsewhere sends the page to sign-in, saying why",
  async (page, rig) => {
    const account = await signedIn(page, rig);
    const cookie = account.cookies.map((c) => `${c.name}=${c.value}`).join(
      "; ",
    );
    const ended = await rig.service.request(
      "/v1/logout",
      json({}, "POST", { cookie, origin: rig.origin }),
    );
    assertEquals(ended.status, 204);
    await page.getByRole("button", { name: "Set code" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Anti-phishing code" });
    await dialog.getByLabel("Anti-phishing code", { exact: true }).fill(
      "Blue-Otter_7",
    );
    await dialog.getByLabel("Code from your authenticator app").fill(
      nextTotp(rig, account.secret),
    );
    await dialog.getByRole("button", { name: "Save code" }).click();
    await page.waitForURL("**/login");
    await page.waitForSelector("body[data-ready=true]");
    assert(
      (await page.locator("#notice").innerText()).includes(
        "Your session has ended",
      ),
    );
  },
);

browserTest(
  "the account ID is changed on the page: new address, passcode and code, then the code sent there",
  async (page, rig) => {
    const account = await signedIn(page, rig);
    const newId = `moved${crypto.randomUUID().slice(0, 6)}@example.com`;
    await page.getByRole("button", { name: "Change account ID" }).click();
    const dialog = page.getByRole("dialog", { name: "Change your account ID" });
    await dialog.getByLabel("New account ID (e-mail or phone)").fill(newId);
    await dialog.getByLabel("Current passcode", { exact: true }).fill(
      strongPasscode,
    );
    await dialog.getByLabel("Code from your authenticator app").fill(
      nextTotp(rig, account.secret),
    );
    await dialog.getByRole("button", { name: "Send code" }).click();
    await dialog.locator("#account-id-new", { hasText: newId }).waitFor();
    await dialog.getByLabel("Code", { exact: true }).fill(
      await codeFromOutbox(rig, newId),
    );
    await dialog.getByRole("button", { name: "Change account ID" }).click();
    await dialog.waitFor({ state: "hidden" });
    await page.locator("#account-status", { hasText: newId }).waitFor();
    assertEquals(await page.locator("#account-current").textContent(), newId);
    assertEquals(await page.locator("#menu-account").textContent(), newId);
  },
);

browserTest(
  "a passkey prompt that fails says so in plain words, not the browser's",
  async (page, rig) => {
    const account = await signedIn(page, rig);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("WebAuthn.enable");
    // An authenticator whose user never confirms: the browser refuses the request.
    await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: {
        protocol: "ctap2",
        transport: "internal",
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: false,
        automaticPresenceSimulation: true,
      },
    });
    await page.getByRole("button", { name: "Add a passkey" }).click();
    const dialog = page.getByRole("dialog", { name: "Add a passkey" });
    await dialog.getByLabel("Passkey name").fill("Phone");
    await dialog.getByLabel("Code from your authenticator app").fill(
      nextTotp(rig, account.secret),
    );
    await dialog.getByRole("button", { name: "Create passkey" }).click();
    const message = dialog.locator("#passkey-form-message");
    await message.locator("text=/./").waitFor();
    const text = await message.innerText();
    assertEquals(
      text,
      "The passkey prompt was closed or timed out. Try again.",
    );
    assert(!text.includes("w3.org") && !text.includes("NotAllowed"));
  },
);

browserTest(
  "one confirmation, then three changes without a code; when it ends the page asks again",
  async (page, rig) => {
    await page.clock.install();
    const account = await signedIn(page, rig);
    const banner = page.locator("#confirmation");
    assertEquals(await banner.isVisible(), false);
    const codeField = (dialog: ReturnType<Page["getByRole"]>) =>
      dialog.getByLabel("Code from your authenticator app");

    // The first change asks for the code, and the code opens the window.
    await page.locator("#phishing-open").click();
    const phishing = page.getByRole("dialog", { name: "Anti-phishing code" });
    await phishing.getByLabel("Anti-phishing code", { exact: true }).fill(
      "Blue-Otter_7",
    );
    await codeField(phishing).fill(nextTotp(rig, account.secret));
    await phishing.getByRole("button", { name: "Save code" }).click();
    await page.locator("#phishing-status", { hasText: "Blue-Otter_7" })
      .waitFor();
    await banner.waitFor();
    const shown = await banner.innerText();
    assert(/^Confirmed for \d+:\d\d more$/.test(shown), shown);

    // Three changes, none with a code field: each dialog says it needs none.
    await page.locator("#trading-open").click();
    const trading = page.getByRole("dialog", { name: "Trading passcode" });
    assertEquals(await codeField(trading).isVisible(), false);
    assert(
      (await trading.locator("[data-confirmed-note]").innerText()).includes(
        "no code needed",
      ),
    );
    await trading.getByLabel("New trading passcode", { exact: true }).fill(
      "284915",
    );
    await trading.getByRole("button", { name: "Save trading passcode" })
      .click();
    await page.locator("#trading-status", { hasText: "saved" }).waitFor();

    await page.getByRole("button", { name: "New backup codes" }).click();
    const codes = page.getByRole("dialog", { name: "Make new backup codes" });
    assertEquals(await codeField(codes).isVisible(), false);
    await codes.getByRole("button", { name: "Make new codes" }).click();
    await codes.getByLabel("I have saved these codes").check();
    await codes.getByRole("button", { name: "Continue" }).click();
    await page.locator("#signin-status", { hasText: "New backup codes" })
      .waitFor();

    await page.locator("#phishing-open").click();
    assertEquals(await codeField(phishing).isVisible(), false);
    await phishing.getByLabel("Anti-phishing code", { exact: true }).fill(
      "Green-Heron_3",
    );
    await phishing.getByRole("button", { name: "Save code" }).click();
    await page.locator("#phishing-status", { hasText: "Green-Heron_3" })
      .waitFor();

    // The service's window ends first (its clock is ahead): the change is refused,
    // and the code field comes back saying why; a code sends it again.
    rig.service.clock.advanceSeconds(301);
    await page.locator("#phishing-open").click();
    await phishing.getByLabel("Anti-phishing code", { exact: true }).fill(
      "Red-Fox_9",
    );
    await phishing.getByRole("button", { name: "Save code" }).click();
    await phishing.locator("#phishing-form-factor[aria-invalid=true]")
      .waitFor();
    assertEquals(
      await phishing.locator("#phishing-form-factor-error").innerText(),
      "Your confirmation ended before this change arrived. Confirm again to make it.",
    );
    assertEquals(
      await page.evaluate("document.activeElement.id"),
      "phishing-form-factor",
    );
    await codeField(phishing).fill(nextTotp(rig, account.secret));
    await phishing.getByRole("button", { name: "Save code" }).click();
    await page.locator("#phishing-status", { hasText: "Red-Fox_9" }).waitFor();
    await banner.waitFor();

    // This page's clock runs out too: it says so, and the next change asks again.
    await page.clock.fastForward("06:00:00");
    await banner.waitFor({ state: "hidden" });
    assertEquals(
      await page.locator("#confirmation-status").innerText(),
      "Your confirmation has ended: the next change asks for a code again.",
    );
    await page.locator("#trading-open").click();
    assert(await codeField(trading).isVisible());
    assert(
      await trading.getByText("Your confirmation has ended.").isVisible(),
    );
  },
);

browserTest(
  "a change that pauses withdrawals says until when, in the browser's time zone",
  async (page, rig) => {
    const account = await signedIn(page, rig);
    await addVirtualAuthenticator(page);
    await page.getByRole("button", { name: "Add a passkey" }).click();
    const dialog = page.getByRole("dialog", { name: "Add a passkey" });
    await dialog.getByLabel("Passkey name").fill("Phone");
    await dialog.getByLabel("Code from your authenticator app").fill(
      nextTotp(rig, account.secret),
    );
    await dialog.getByRole("button", { name: "Create passkey" }).click();
    const status = page.locator("#devices-status");
    await status.filter({ hasText: "added" }).waitFor();
    // The test clock stood still since the change: the hold ends 24 hours on.
    const minute = 60 * 1000;
    const holdEnd = rig.service.clock.now() + 24 * 60 * minute;
    const expected = new Date(Math.ceil(holdEnd / minute) * minute)
      .toLocaleString("en-GB", {
        timeZone: "Asia/Kolkata",
        day: "numeric",
        month: "short",
        hour: "2-digit",
        minute: "2-digit",
      });
    assert(/^\d{1,2} [A-Z][a-z]{2}, \d\d:\d\d$/.test(expected), expected);
    assertEquals(
      await status.innerText(),
      `Passkey “Phone” added. Withdrawals are paused until ${expected}.`,
    );
  },
  { locale: "en-GB", timezoneId: "Asia/Kolkata" },
);

browserTest(
  "loading the page records no checkup; reviewing all checks records one a day",
  async (page, rig) => {
    await signedIn(page, rig);
    await page.reload();
    await page.waitForSelector("body[data-ready=true]");
    const reviews = page.locator("#history li", {
      hasText: "Security checkup reviewed",
    });
    assertEquals(await reviews.count(), 0, "loading twice recorded nothing");
    const next = page.locator("#audit-next");
    assert((await next.innerText()).startsWith("You have not reviewed"));
    const review = page.getByRole("button", { name: "Review all checks" });
    const detail = page.locator(
      '#audit-passed [data-check="mfa"] .check-detail',
    );
    assertEquals(await detail.isVisible(), false);
    await review.click();
    await page.locator(".checkup.reviewing").waitFor();
    assert(await detail.isVisible(), "each check says what it found");
    assertEquals(
      await page.locator("#audit-review").getAttribute("aria-expanded"),
      "true",
    );
    assert((await next.innerText()).startsWith("Last reviewed today."));
    // Closed and opened again the same day: still one review.
    await page.getByRole("button", { name: "Hide the details" }).click();
    await review.click();
    await page.locator(".checkup.reviewing").waitFor();
    await page.reload();
    await page.waitForSelector("body[data-ready=true]");
    assertEquals(await reviews.count(), 1);
  },
);

/** Adds a passkey in the dialog (the first change of a session asks for a code). */
async function addPasskey(page: Page, name: string, code?: string) {
  await page.getByRole("button", { name: "Add a passkey" }).click();
  const dialog = page.getByRole("dialog", { name: "Add a passkey" });
  await dialog.getByLabel("Passkey name").fill(name);
  if (code) {
    await dialog.getByLabel("Code from your authenticator app").fill(code);
  }
  await dialog.getByRole("button", { name: "Create passkey" }).click();
  await page.locator("#devices-status", { hasText: `“${name}” added` })
    .waitFor();
}

browserTest(
  "the settings lock: a change refused in plain words, unlocking counts down, locking again stops it",
  async (page, rig) => {
    const account = await signedIn(page, rig);
    await addVirtualAuthenticator(page);
    // A passkey first: while locked, none can be added.
    await addPasskey(page, "Phone", nextTotp(rig, account.secret));
    const pill = page.locator("#lock-pill");
    assertEquals(await pill.innerText(), "Off");

    await page.getByRole("button", { name: "Lock settings" }).last().click();
    const lock = page.getByRole("dialog", {
      name: "Lock your security settings",
    });
    // Its own factor, even while the confirmation window is open.
    const code = lock.getByLabel("Code from your authenticator app");
    assert(await code.isVisible());
    await lock.getByLabel("Unlock delay in days").fill("3");
    await code.fill(nextTotp(rig, account.secret));
    await lock.getByRole("button", { name: "Lock settings" }).click();
    await page.locator("#lock-status", { hasText: "Settings locked" })
      .waitFor();
    assertEquals(await pill.innerText(), "Locked");
    assertEquals(await page.locator("#lock-delay").innerText(), "3 days");

    // A change is refused, in plain words, and nothing changed.
    await page.locator("#phishing-open").click();
    const phishing = page.getByRole("dialog", { name: "Anti-phishing code" });
    await phishing.getByLabel("Anti-phishing code", { exact: true }).fill(
      "Blue-Otter_7",
    );
    await phishing.getByRole("button", { name: "Save code" }).click();
    const refused = phishing.locator("#phishing-form-message");
    await refused.locator("text=/./").waitFor();
    assertEquals(
      await refused.innerText(),
      "Your security settings are locked, so nothing was changed. To change them, start unlocking them in the settings lock card first: that takes the delay you chose.",
    );
    await phishing.getByRole("button", { name: "Cancel" }).click();
    assertEquals(await page.locator("#phishing-pill").innerText(), "Not set");

    // Unlocking, confirmed with the passkey, starts the countdown.
    await page.getByRole("button", { name: "Start unlocking" }).click();
    const unlock = page.getByRole("dialog", { name: "Start unlocking?" });
    assert((await unlock.innerText()).includes("unlock in 3 days"));
    await unlock.getByRole("button", { name: "Use a passkey instead" }).click();
    assertEquals(
      await unlock.getByLabel("Code from your authenticator app").isVisible(),
      false,
    );
    await unlock.getByRole("button", { name: "Start unlocking" }).click();
    await page.locator("#lock-status", { hasText: "countdown has started" })
      .waitFor();
    assertEquals(await pill.innerText(), "Unlocking");
    assert(await page.locator("#lock-countdown").isVisible());

    // Locking again stops it; the delay may grow, not shrink.
    await page.getByRole("button", { name: "Lock again" }).click();
    assert(
      await lock.getByText("Locking again stops the unlock countdown.")
        .isVisible(),
    );
    const days = lock.getByLabel("Unlock delay in days");
    assertEquals(await days.inputValue(), "3");
    await days.fill("2");
    await code.fill(nextTotp(rig, account.secret));
    await lock.getByRole("button", { name: "Lock settings" }).click();
    await lock.locator("#lock-form-unlockDelayDays[aria-invalid=true]")
      .waitFor();
    assertEquals(
      await lock.locator("#lock-form-unlockDelayDays-error").innerText(),
      "While your settings are locked the delay can grow, not shrink: choose 3 days or more.",
    );
    await days.fill("5");
    await code.fill(nextTotp(rig, account.secret));
    await lock.getByRole("button", { name: "Lock settings" }).click();
    await page.locator("#lock-status", { hasText: "Locked again" }).waitFor();
    assertEquals(await pill.innerText(), "Locked");
    assertEquals(await page.locator("#lock-delay").innerText(), "5 days");
  },
);

browserTest(
  "passkeys only: refused with one passkey, on with two, off again only with a passkey",
  async (page, rig) => {
    const account = await signedIn(page, rig);
    const first = await addVirtualAuthenticator(page);
    await addPasskey(page, "Laptop", nextTotp(rig, account.secret));
    const toggle = page.getByRole("switch", { name: "Passkeys only" });
    const status = page.locator("#devices-status");
    await toggle.click();
    await status.filter({ hasText: "second passkey" }).waitFor();
    assertEquals(
      await status.innerText(),
      "Add a second passkey first, so that losing your only one does not lock you out.",
    );
    assertEquals(await toggle.getAttribute("aria-checked"), "false");
    assertEquals(await page.locator("dialog[open]").count(), 0);

    // A second passkey, on another device (the window is still open: no code).
    await first.remove();
    await addVirtualAuthenticator(page);
    await addPasskey(page, "Security key");
    await toggle.click();
    const on = page.getByRole("dialog", { name: "Accept passkeys only?" });
    await on.getByLabel("Code from your authenticator app").fill(
      nextTotp(rig, account.secret),
    );
    await on.getByRole("button", { name: "Accept passkeys only" }).click();
    await status.filter({ hasText: "no longer work" }).waitFor();
    assertEquals(await toggle.getAttribute("aria-checked"), "true");
    // Codes are off everywhere: a dialog's second factor is a passkey now.
    await page.locator("#trading-open").click();
    const trading = page.getByRole("dialog", { name: "Trading passcode" });
    assertEquals(
      await trading.getByLabel("Code from your authenticator app").isVisible(),
      false,
    );
    await trading.getByRole("button", { name: "Cancel" }).click();

    await toggle.click();
    const off = page.getByRole("dialog", { name: "Accept app codes again?" });
    assert(
      (await off.innerText()).includes(
        "Your browser asks for your passkey when you continue.",
      ),
    );
    assertEquals(
      await off.getByLabel("Code from your authenticator app").isVisible(),
      false,
    );
    await off.getByRole("button", { name: "Accept codes again" }).click();
    await status.filter({ hasText: "work again" }).waitFor();
    assertEquals(await toggle.getAttribute("aria-checked"), "false");
  },
);

browserTest(
  "frozen from a message's link while the page is open: the next change leaves for sign-in, saying so",
  async (page, rig) => {
    const account = await signedIn(page, rig);
    const frozen = await freeze(
      rig.service,
      freezeTokenOf(rig.service, "mfa_enrolled"),
    );
    assertEquals(frozen.status, 200);
    await page.locator("#phishing-open").click();
    const dialog = page.getByRole("dialog", { name: "Anti-phishing code" });
    await dialog.getByLabel("Anti-phishing code", { exact: true }).fill(
      "Blue-Otter_7",
    );
    await dialog.getByLabel("Code from your authenticator app").fill(
      nextTotp(rig, account.secret),
    );
    await dialog.getByRole("button", { name: "Save code" }).click();
    await page.waitForURL("**/login");
    await page.waitForSelector("body[data-ready=true]");
    assert(
      (await page.locator("#notice").innerText()).startsWith(
        "Your account is frozen",
      ),
    );
  },
);

browserTest(
  "a passkey opens the confirmation window in place of a code",
  async (page, rig) => {
    await page.clock.install();
    const account = await signedIn(page, rig);
    await addVirtualAuthenticator(page);
    await addPasskey(page, "Phone", nextTotp(rig, account.secret));
    // The window that code opened runs out, here and at the service.
    rig.service.clock.advanceSeconds(301);
    await page.clock.fastForward("06:00:00");
    await page.locator("#confirmation").waitFor({ state: "hidden" });

    await page.locator("#phishing-open").click();
    const dialog = page.getByRole("dialog", { name: "Anti-phishing code" });
    const code = dialog.getByLabel("Code from your authenticator app");
    assert(await code.isVisible());
    await dialog.getByRole("button", { name: "Use a passkey instead" }).click();
    assertEquals(await code.isVisible(), false);
    await dialog.getByLabel("Anti-phishing code", { exact: true }).fill(
      "Blue-Otter_7",
    );
    await dialog.getByRole("button", { name: "Save code" }).click();
    await page.locator("#phishing-status", { hasText: "Blue-Otter_7" })
      .waitFor();
    await page.locator("#confirmation").waitFor();
  },
);

browserSuite("the security centre", cases);
