/**
 * The screenshots in docs/screenshots/: sign-in, enrollment, the security centre and
 * the step-up page at 1280 and 390 px, light and dark (and in German and Chinese at
 * 390 px, light), in Chromium, each after the
 * flow a person goes through (register, first sign-in; a passkey added, which opens
 * the confirmation window, then a trading passcode without a code, the settings
 * locked; a withdrawal to approve).
 * `deno task screenshots` writes them. They were taken with Debian's fonts-inter
 * installed: on Linux the stylesheet's system font stack falls back to it.
 */
import { Buffer } from "node:buffer";
import type { Page } from "playwright-core";
import { codeFromOutbox, startBrowserRig } from "../helpers/browser.ts";
import { strongPasscode } from "../helpers/service.ts";
import { totpCodeAt } from "../../lib/crypto/totp.ts";

const folder = new URL("../../docs/screenshots/", import.meta.url);
await Deno.mkdir(folder, { recursive: true });
const rig = await startBrowserRig();
// A browser people have, so the pages name it as they would ("Chrome on Windows").
const userAgent =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

async function save(page: Page, name: string, fullPage = false) {
  // No caret or focus ring in a picture.
  await page.evaluate("document.activeElement?.blur()");
  const viewport = page.viewportSize()!;
  if (fullPage) {
    // A window as tall as the page, so what is fixed to its bottom (the confirmation
    // window's badge) sits at the page's end, as it would after scrolling there.
    const height = await page.evaluate(
      "document.documentElement.scrollHeight",
    ) as number;
    await page.setViewportSize({ width: viewport.width, height });
  }
  await Deno.writeFile(
    new URL(`${name}.png`, folder),
    Buffer.from(await page.screenshot()),
  );
  await page.setViewportSize(viewport);
  console.log(`docs/screenshots/${name}.png`);
}

/**
 * Codes of three successive TOTP steps around the service's time, which accepts one
 * step of drift either side: its clock need not move, so the times the pages show
 * (the confirmation window's) read as they would.
 */
function totpCodes(secret: string): () => string {
  let step = -1;
  return () => totpCodeAt(secret, rig.service.clock.now() + 30_000 * step++);
}

async function fillAndSend(page: Page, form: string, values: string[]) {
  const inputs = page.locator(
    `#${form} input:not([type=checkbox]):not([hidden])`,
  );
  for (const [i, value] of values.entries()) await inputs.nth(i).fill(value);
  await page.locator(`#${form} button[type=submit]`).click();
}

/** The walk-through at one width and scheme, in one language, with its pictures. */
async function walkThrough(
  scheme: "light" | "dark",
  width: number,
  language: "en" | "de" | "zh-Hans",
) {
  const suffix = `${width}-${scheme}${language === "en" ? "" : `-${language}`}`;
  const context = await rig.browser.newContext({
    viewport: { width, height: width > 600 ? 860 : 844 },
    colorScheme: scheme,
    userAgent,
  });
  await context.addCookies([{
    name: "lang",
    value: language,
    url: rig.origin,
  }]);
  const page = await context.newPage();
  const accountId =
    `alex.morgan${width}${scheme}${language.toLowerCase()}@example.com`;

  await page.goto(`${rig.origin}/login`);
  await page.waitForSelector("body[data-ready=true]");
  await save(page, `sign-in-${suffix}`);

  await page.goto(`${rig.origin}/register`);
  await page.waitForSelector("body[data-ready=true]");
  await fillAndSend(page, "register-form", [accountId, strongPasscode]);
  await page.locator("#step-verify").waitFor({ state: "visible" });
  await fillAndSend(page, "verify-form", [
    await codeFromOutbox(rig, accountId),
  ]);
  await page.locator("#continue-to-sign-in").click();
  await page.waitForSelector("body[data-ready=true]");
  await page.locator("#passcode-form-passcode").fill(strongPasscode);
  await page.locator("#passcode-form button[type=submit]").click();
  await page.locator("#enroll-qr svg").waitFor();
  await save(page, `enrollment-${suffix}`);
  const secret = (await page.locator("#enroll-secret").textContent())!
    .replaceAll(" ", "");
  const nextTotp = totpCodes(secret);
  await fillAndSend(page, "enroll-form", [nextTotp()]);
  await page.locator("#first-codes-saved").check();
  await page.locator("#first-codes-done").click();
  await page.waitForURL("**/security");
  await page.waitForSelector("body[data-ready=true]");

  const cdp = await context.newCDPSession(page);
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
  await page.locator("#add-passkey").click();
  await fillAndSend(page, "passkey-form", [
    "Work laptop",
    nextTotp(),
  ]);
  await page.locator("#devices", { hasText: "Work laptop" }).waitFor();
  // Inside the confirmation window the passkey opened: no code.
  await page.locator("#trading-open").click();
  await fillAndSend(page, "trading-form", ["284915"]);
  await page.locator("#trading-status", { hasText: /./ }).waitFor();
  await page.locator("#lock-open").click();
  await fillAndSend(page, "lock-form", ["7", nextTotp()]);
  await page.locator("#lock-status", { hasText: /./ }).waitFor();
  await page.reload();
  await page.waitForSelector("body[data-ready=true]");
  await save(page, `security-${suffix}`, true);

  await page.goto(`${rig.origin}/step-up?${new URLSearchParams({
    action: "withdrawal",
    asset: "BTC",
    amount: "0.25",
    destination: "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
  })}`);
  await page.waitForSelector("body[data-ready=true]");
  await save(page, `step-up-${suffix}`, true);
  await context.close();
}

try {
  for (const scheme of ["light", "dark"] as const) {
    for (const width of [1280, 390]) await walkThrough(scheme, width, "en");
  }
  // The other languages at a phone's width, where their longer words must fit.
  for (const language of ["de", "zh-Hans"] as const) {
    await walkThrough("light", 390, language);
  }
} finally {
  await rig.close();
}
