/**
 * The step-up page in Chromium: the exchange's front end opens it with what is to be
 * approved; the page shows it plainly, takes the trading passcode or a passkey, and
 * hands back an action token bound to exactly those details.
 */
import type { Page } from "playwright-core";
import { assert, assertEquals } from "../helpers/assert.ts";
import {
  addCookies,
  addVirtualAuthenticator,
  type BrowserCase,
  type BrowserRig,
  browserSuite,
  type EnrolledAccount,
  enrolledAccount,
  nextTotp,
  openPage,
  recogniseBrowser,
} from "../helpers/browser.ts";
import { json, strongPasscode } from "../helpers/service.ts";

const cases: [string, BrowserCase][] = [];
function browserTest(name: string, run: BrowserCase) {
  cases.push([name, run]);
}

const withdrawal = {
  asset: "BTC",
  amount: "0.25",
  destination: "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
};
const stepUpPath = `/step-up?${new URLSearchParams({
  action: "withdrawal",
  ...withdrawal,
})}`;

/** A signed-in account with a trading passcode, this browser holding its cookies. */
async function withTradingPasscode(page: Page, rig: BrowserRig) {
  const account = await enrolledAccount(rig);
  const set = await signedInRequest(rig, account, "/v1/trading-passcode", {
    tradingPasscode: "284915",
    totp: nextTotp(rig, account.secret),
  }, "PUT");
  assertEquals(set.status, 204);
  await addCookies(page.context(), rig, account.cookies);
  return account;
}

/** A request with the browser's session, from its origin. */
function signedInRequest(
  rig: BrowserRig,
  account: EnrolledAccount,
  path: string,
  body: unknown,
  method = "POST",
) {
  const cookie = account.cookies.map((c) => `${c.name}=${c.value}`).join("; ");
  return rig.service.request(
    path,
    json(body, method, { cookie, origin: rig.origin }),
  );
}

/** `POST /v1/step-up/consume`, as the exchange's withdrawal service sends it. */
function redeem(rig: BrowserRig, actionToken: string, details: unknown) {
  return rig.service.request(
    "/v1/step-up/consume",
    json({ actionToken, details }),
  );
}

browserTest(
  "the details shown, a wrong trading passcode said at its field, the right one handing a bound token to the opener",
  async (page, rig) => {
    await withTradingPasscode(page, rig);
    // The front end: a page of this origin that opens the step-up as a popup.
    await openPage(page, rig, "/security");
    const opening = page.waitForEvent("popup");
    await page.evaluate(`
      window.approval = new Promise((resolve) =>
        addEventListener("message", (event) =>
          resolve({ origin: event.origin, data: event.data })));
      window.open(${JSON.stringify(stepUpPath)}, "approve", "popup");
    `);
    const popup = await opening;
    await popup.waitForSelector("body[data-ready=true]");
    assertEquals(
      await popup.locator("#approval-sentence").innerText(),
      `You are approving: withdraw 0.25 BTC to ${withdrawal.destination}`,
    );
    assertEquals(
      await popup.locator('[data-detail="destination"]').innerText(),
      withdrawal.destination,
    );

    const passcode = popup.getByLabel("Trading passcode", { exact: true });
    await passcode.fill("135790");
    await popup.getByRole("button", { name: "Approve", exact: true }).click();
    await popup.locator("#step-up-form-tradingPasscode[aria-invalid=true]")
      .waitFor();
    assertEquals(
      await popup.locator("#step-up-form-tradingPasscode-error").innerText(),
      "That trading passcode is wrong. After 5 wrong entries in a row, approvals lock for 2 hours.",
    );
    assertEquals(
      await popup.evaluate("document.activeElement.id"),
      "step-up-form-tradingPasscode",
    );

    await passcode.fill("284915");
    await popup.getByRole("button", { name: "Approve", exact: true }).click();
    await popup.getByRole("heading", { name: "Approved" }).waitFor();
    const { origin, data } = await page.evaluate("window.approval") as {
      origin: string;
      data: { type: string; action: string; actionToken: string };
    };
    assertEquals(origin, rig.origin);
    assertEquals(data.type, "step-up");
    assertEquals(data.action, "withdrawal");
    // Not shown where the opener took it.
    assertEquals(await popup.locator("#approved-token").isVisible(), false);

    // Bound to what was shown: another address is refused and spends nothing.
    const elsewhere = await redeem(rig, data.actionToken, {
      ...withdrawal,
      destination: "bc1qattackerattackerattackerattackerattack",
    });
    assertEquals(elsewhere.status, 409);
    assertEquals((await elsewhere.json()).code, "details_mismatch");
    const redeemed = await redeem(rig, data.actionToken, withdrawal);
    assertEquals(redeemed.status, 200);
    assertEquals((await redeemed.json()).details, withdrawal);
  },
);

browserTest(
  "opened on its own, a passkey approves a trade and the code is shown to copy",
  async (page, rig) => {
    const account = await withTradingPasscode(page, rig);
    await addVirtualAuthenticator(page);
    await openPage(page, rig, "/security");
    await page.getByRole("button", { name: "Add a passkey" }).click();
    const dialog = page.getByRole("dialog", { name: "Add a passkey" });
    await dialog.getByLabel("Passkey name").fill("Phone");
    await dialog.getByLabel("Code from your authenticator app").fill(
      nextTotp(rig, account.secret),
    );
    await dialog.getByRole("button", { name: "Create passkey" }).click();
    await page.locator("#devices-status", { hasText: "added" }).waitFor();

    // A trade (a new passkey holds withdrawals for a day, not trades).
    const trade = { side: "buy", amount: "0.5", asset: "ETH" };
    await openPage(
      page,
      rig,
      `/step-up?${new URLSearchParams({ action: "trade", ...trade })}`,
    );
    assertEquals(
      await page.locator("#approval-sentence").innerText(),
      "You are approving: buy 0.5 ETH",
    );
    await page.getByRole("button", { name: "Approve with a passkey" }).click();
    await page.getByRole("heading", { name: "Approved" }).waitFor();
    const token = await page.locator("#action-token").innerText();
    assert(token.split(".").length === 3, token);
    const redeemed = await redeem(rig, token, trade);
    assertEquals(redeemed.status, 200);
    assertEquals((await redeemed.json()).action, "trade");
  },
);

browserTest(
  "signed out, it asks for sign-in first and comes back to the same request; a malformed one approves nothing",
  async (page, rig) => {
    const account = await enrolledAccount(rig);
    await recogniseBrowser(page.context(), rig, account);
    await openPage(page, rig, "/step-up?action=withdrawal&asset=BTC&amount=-1");
    await page.getByRole("heading", { name: "Nothing to approve" }).waitFor();
    assertEquals(await page.locator("form").count(), 0);

    await page.goto(`${rig.origin}${stepUpPath}`);
    await page.waitForURL("**/login");
    await page.waitForSelector("body[data-ready=true]");
    assertEquals(
      await page.locator("#notice").innerText(),
      "Sign in to approve this request.",
    );
    await page.getByLabel("Account ID (e-mail or phone)").fill(
      account.accountId,
    );
    await page.getByLabel("Passcode", { exact: true }).fill(strongPasscode);
    await page.keyboard.press("Enter");
    await page.locator("#totp-form-code").fill(nextTotp(rig, account.secret));
    await page.keyboard.press("Enter");
    await page.waitForURL(`**${stepUpPath}`);
    await page.waitForSelector("body[data-ready=true]");
    assertEquals(
      await page.locator("#step-up-account").innerText(),
      account.accountId,
    );
  },
);

browserSuite("the step-up page", cases);
