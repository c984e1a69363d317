/**
 * A real Chromium (Debian's, or `CHROME_PATH`) driven by playwright-core against the
 * app served on a loopback port. Without a browser the tests are ignored with the
 * reason, except under `CI=true`, where a missing browser is a failure.
 */
import axe from "axe-core";
import { Buffer } from "node:buffer";
import {
  type Browser,
  type BrowserContext,
  chromium,
  type Page,
} from "playwright-core";
import { totpCodeAt } from "../../lib/crypto/totp.ts";
import { freePort } from "./net.ts";
import {
  createTestService,
  enrollAndLogIn,
  registerAccount,
  type TestService,
} from "./service.ts";

/** Where the browser is expected. */
export const chromePath = Deno.env.get("CHROME_PATH") ?? "/usr/bin/chromium";

function browserInstalled(): boolean {
  try {
    return Deno.statSync(chromePath).isFile;
  } catch {
    return false;
  }
}

/** Why browser tests do not run here, or null when they do. */
export const browserMissing: string | null = browserInstalled()
  ? null
  : `no browser at ${chromePath} (apt-get install chromium, or set CHROME_PATH)`;

if (browserMissing) {
  if (Deno.env.get("CI") === "true") {
    throw new Error(`Browser tests must run in CI: ${browserMissing}`);
  }
  console.warn(`browser tests ignored: ${browserMissing}`);
}

/** The service on a port, and a browser pointed at it. */
export interface BrowserRig {
  service: TestService;
  origin: string;
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Serves a fresh service (in-memory KV, development outbox, the production CAPTCHA
 * difficulty) on `http://localhost:<port>` and launches the browser.
 */
export async function startBrowserRig(): Promise<BrowserRig> {
  const port = freePort();
  const origin = `http://localhost:${port}`;
  const service = await createTestService({
    useDevTransport: true,
    env: { APP_ORIGIN: origin, CAPTCHA_MAX_NUMBER: "20000" },
  });
  const server = Deno.serve(
    { hostname: "127.0.0.1", port, onListen: () => {} },
    (request, info) => service.app.fetch(request, info),
  );
  const browser = await chromium.launch({
    executablePath: chromePath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
  });
  return {
    service,
    origin,
    browser,
    async close() {
      await browser.close();
      await server.shutdown();
      await service.deps.deliverer.settled();
      service.close();
    },
  };
}

/** The newest six-digit code the development outbox shows for an address. */
export async function codeFromOutbox(
  rig: BrowserRig,
  to: string,
): Promise<string> {
  await rig.service.deps.deliverer.settled();
  const response = await fetch(`${rig.origin}/dev/outbox`);
  const messages: { to: string; text: string }[] = await response.json();
  const code = messages.find((message) => message.to === to)?.text.match(
    /\b(\d{6})\b/,
  )?.[1];
  if (!code) throw new Error(`no code in the outbox for ${to}`);
  return code;
}

/** Runs a step; on failure saves a screenshot under test-results/ (git-ignored). */
export async function step<T>(
  page: Page,
  name: string,
  action: () => Promise<T>,
): Promise<T> {
  try {
    return await action();
  } catch (error) {
    await Deno.mkdir("test-results", { recursive: true });
    const file = `test-results/${name.replace(/\W+/g, "-")}.png`;
    await Deno.writeFile(file, Buffer.from(await page.screenshot()))
      .catch(() => {});
    throw new Error(`${name} failed (screenshot: ${file})`, { cause: error });
  }
}

/** axe-core's own source, as its Node entry exposes it, to evaluate in the page. */
const axeSource = (axe as unknown as { source: string }).source;

/** The serious and critical accessibility violations axe-core finds on the page. */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated through DevTools, which the page's CSP does not govern.
  await page.evaluate(axeSource);
  const violations: { id: string; impact: string; help: string }[] = await page
    .evaluate(async () => {
      // deno-lint-ignore no-explicit-any
      const result = await (globalThis as any).axe.run();
      return result.violations;
    });
  return violations
    .filter((violation) => ["serious", "critical"].includes(violation.impact))
    .map((violation) => `${violation.id}: ${violation.help}`);
}

/** An account registered and enrolled through the API, and this browser's cookies. */
export interface EnrolledAccount {
  accountId: string;
  secret: string;
  backupCodes: string[];
  /** The `__Host-*` cookies the enrolling login set, to give to a browser context. */
  cookies: { name: string; value: string }[];
}

/**
 * Registers and enrolls an account through the API from the browser's loopback
 * network, so a browser given the returned device cookie is recognised at once and a
 * test starts at the step it is about, not at registration.
 */
export async function enrolledAccount(
  rig: BrowserRig,
): Promise<EnrolledAccount> {
  rig.service.browser.deviceCookie = null;
  const accountId = await registerAccount(rig.service);
  const { secret, backupCodes, response } = await enrollAndLogIn(
    rig.service,
    accountId,
    { transport: "cookie", ip: "127.0.0.1" },
  );
  const cookies = response.headers.getSetCookie().map((line) => {
    const [name, value] = line.slice(0, line.indexOf(";")).split("=");
    return { name, value };
  });
  cookies.push({
    name: "__Host-device",
    value: rig.service.browser.deviceCookie!,
  });
  return { accountId, secret, backupCodes, cookies };
}

/** Gives a browser context some of an account's cookies (`__Host-`, so Secure, `/`). */
export async function addCookies(
  context: BrowserContext,
  rig: BrowserRig,
  cookies: { name: string; value: string }[],
): Promise<void> {
  await context.addCookies(cookies.map((cookie) => ({
    ...cookie,
    // By domain and path: Chromium's DevTools refuses a Secure cookie for an http URL,
    // even the loopback one it treats as secure when a response sets it.
    domain: new URL(rig.origin).hostname,
    path: "/",
    secure: true,
    httpOnly: true,
    sameSite: "Lax" as const,
  })));
}

/** Gives a context only the account's device cookie: a recognised browser, signed out. */
export async function recogniseBrowser(
  context: BrowserContext,
  rig: BrowserRig,
  account: EnrolledAccount,
): Promise<void> {
  await addCookies(
    context,
    rig,
    account.cookies.filter((cookie) => cookie.name === "__Host-device"),
  );
}

/** Every accessibility violation axe-core finds on the page, whatever its impact. */
export async function allViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations: {
    id: string;
    help: string;
    nodes: { target: string[] }[];
  }[] = await page.evaluate(async () => {
    // deno-lint-ignore no-explicit-any
    const result = await (globalThis as any).axe.run();
    return result.violations;
  });
  return violations.map((violation) =>
    `${violation.id}: ${violation.help} (${
      violation.nodes.map((node) => node.target.join(" ")).join(", ")
    })`
  );
}

/** Opens a page of the rig and waits until its module has done its first work. */
export async function openPage(
  page: Page,
  rig: BrowserRig,
  path: string,
): Promise<void> {
  await page.goto(`${rig.origin}${path}`);
  await page.waitForSelector("body[data-ready=true]");
}

/** A case of a browser suite: a fresh context's page and the suite's rig. */
export type BrowserCase = (page: Page, rig: BrowserRig) => Promise<void>;

/** Options of a browser context (a time zone, a locale, a colour scheme). */
export type ContextOptions = Parameters<Browser["newContext"]>[0];

/**
 * Runs cases as the steps of one test with one service and browser (starting them
 * once is most of a case's cost); each case gets its own browser context (with the
 * case's own options, if any), so no cookie or storage passes between them.
 */
export function browserSuite(
  name: string,
  cases: [string, BrowserCase, ContextOptions?][],
  contextOptions: ContextOptions = {},
): void {
  Deno.test({
    name,
    ignore: browserMissing !== null,
    sanitizeResources: false,
    sanitizeOps: false,
    async fn(t) {
      const rig = await startBrowserRig();
      try {
        for (const [caseName, run, options] of cases) {
          await t.step(caseName, async () => {
            const context = await rig.browser.newContext({
              ...contextOptions,
              ...options,
            });
            try {
              const page = await context.newPage();
              await step(page, caseName, () => run(page, rig));
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
}

/**
 * Gives the page a DevTools virtual authenticator (a platform one that keeps passkeys
 * and verifies its user, or refuses to when `isUserVerified` is false).
 */
export async function addVirtualAuthenticator(
  page: Page,
  { isUserVerified = true }: { isUserVerified?: boolean } = {},
): Promise<{ remove(): Promise<void> }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send(
    "WebAuthn.addVirtualAuthenticator",
    {
      options: {
        protocol: "ctap2",
        transport: "internal",
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified,
        automaticPresenceSimulation: true,
      },
    },
  );
  return {
    /** Takes it away, with the passkeys it holds (another device, next). */
    async remove() {
      await cdp.send("WebAuthn.removeVirtualAuthenticator", {
        authenticatorId,
      });
    },
  };
}

/**
 * Makes the page a browser that offers no passkeys among a field's suggestions
 * (conditional mediation unsupported), from its next navigation on: where a browser
 * does, the virtual authenticator answers such a request at once, so a test of the
 * buttons would never get to press one.
 */
export async function withoutPasskeyAutofill(page: Page): Promise<void> {
  await page.addInitScript(
    "Object.defineProperty(PublicKeyCredential, 'isConditionalMediationAvailable', { value: undefined })",
  );
}

/** The next TOTP step's code (the test clock moves on, so no code is a replay). */
export function nextTotp(rig: BrowserRig, secret: string): string {
  rig.service.clock.advanceSeconds(30);
  return totpCodeAt(secret, rig.service.clock.now());
}
