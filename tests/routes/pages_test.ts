import { ConfigError, loadConfig } from "../../lib/runtime/config.ts";
import {
  brandStylesheet,
  contrast,
  surfaces,
} from "../../routes/pages/brand.ts";
import { throws } from "node:assert";
import { assert, assertEquals, assertRejects } from "../helpers/assert.ts";
import { createTestService, registerAccount } from "../helpers/service.ts";

const pages = [
  "/",
  "/login",
  "/register",
  "/recover",
  "/security",
  "/step-up",
];

Deno.test("every page has a strict CSP whose fresh nonce is on its one module and nothing inline", async () => {
  using service = await createTestService();
  const nonces = new Set<string>();
  for (const path of pages) {
    const response = await service.request(path);
    assertEquals(response.status, 200, path);
    assert(response.headers.get("content-type")!.startsWith("text/html"));
    assertEquals(response.headers.get("cache-control"), "no-store", path);
    assertEquals(response.headers.get("x-frame-options"), "DENY", path);
    // The document-only headers the API leaves out.
    assertEquals(response.headers.get("referrer-policy"), "no-referrer", path);
    assertEquals(
      response.headers.get("cross-origin-opener-policy"),
      "same-origin",
      path,
    );
    const csp = response.headers.get("content-security-policy")!;
    const nonce = /script-src 'nonce-([^']+)' 'strict-dynamic'/.exec(csp)?.[1];
    assert(nonce, `${path}: ${csp}`);
    nonces.add(nonce);
    assert(
      csp.includes("default-src 'none'") && csp.includes("style-src 'self'"),
    );
    assert(!csp.includes("unsafe-inline") && !csp.includes("unsafe-eval"));
    const html = await response.text();
    // Without a doctype a browser lays the page out in quirks mode.
    assert(html.startsWith("<!DOCTYPE html>"), path);
    const scripts = [
      ...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g),
    ];
    // One module, and the page's texts as data, which is never run.
    const [code, ...data] = scripts;
    assert(code[1].includes(`nonce="${nonce}"`), path);
    assertEquals(code[2].trim(), "", `${path}: no inline code`);
    assertEquals(data.map(([, attributes]) => attributes.trim()), [
      'type="application/json" id="page-texts"',
    ], path);
    assert(typeof JSON.parse(data[0][2]) === "object", path);
    assert(!/\son[a-z]+=/i.test(html), `${path}: no inline handlers`);
    // Every input has a label naming it.
    for (const [, id] of html.matchAll(/<input[^>]*\bid="([^"]+)"/g)) {
      assert(html.includes(`for="${id}"`), `${path}: label for ${id}`);
    }
  }
  assertEquals(nonces.size, pages.length);
});

Deno.test("the API keeps its own CSP; assets are served with versioned caching", async () => {
  using service = await createTestService();
  const api = await service.request("/health");
  await api.body?.cancel();
  assertEquals(
    api.headers.get("content-security-policy")!.includes("script-src"),
    false,
  );
  const html = await (await service.request("/login")).text();
  const src = /<script[^>]*src="([^"]+)"/.exec(html)![1];
  assert(src.startsWith("/assets/app.js?v="));
  const asset = await service.request(src);
  assertEquals(asset.status, 200);
  assertEquals(
    asset.headers.get("cache-control"),
    "public, max-age=31536000, immutable",
  );
  assert(asset.headers.get("content-type")!.startsWith("text/javascript"));
  await asset.body?.cancel();
  const stale = await service.request("/assets/app.js?v=old");
  assertEquals(stale.headers.get("cache-control"), "no-cache");
  await stale.body?.cancel();
  const missing = await service.request("/assets/secrets.json");
  assertEquals(missing.status, 404);
  await missing.body?.cancel();
});

Deno.test("every form posts to its own page, so nothing typed lands in a URL", async () => {
  using service = await createTestService();
  let forms = 0;
  for (const path of pages) {
    // A query in the address (an old bookmark, a link) never becomes a form's target.
    const html = await (await service.request(`${path}?passcode=leaked`))
      .text();
    assert(!html.includes("leaked"), path);
    for (const [form] of html.matchAll(/<form\b[^>]*>/g)) {
      assert(/\smethod="post"/.test(form), `${path}: ${form}`);
      assert(form.includes(` action="${path}"`), `${path}: ${form}`);
      forms++;
    }
  }
  assert(forms >= 15, `${forms} forms`);
});

Deno.test("a form sent without the page's script answers the page, asks for JavaScript, echoes and logs nothing", async () => {
  using service = await createTestService();
  const secret = "correct horse battery staple 42";
  for (const path of pages) {
    const response = await service.request(path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        accountId: "someone@example.com",
        passcode: secret,
      }).toString(),
    });
    assertEquals(response.status, 200, path);
    assert(response.headers.get("content-type")!.startsWith("text/html"));
    assertEquals(response.headers.get("cache-control"), "no-store", path);
    assert(
      response.headers.get("content-security-policy")!.includes(
        "script-src 'nonce-",
      ),
      path,
    );
    const html = await response.text();
    assert(html.includes("JavaScript is needed to continue"), path);
    assert(!html.includes("someone@example.com"), path);
    assert(!html.includes(secret) && !html.includes("horse"), path);
  }
  const logged = JSON.stringify(service.logs);
  assert(!logged.includes("horse") && !logged.includes("someone"), logged);
});

Deno.test("without JavaScript every page says plainly that it is needed", async () => {
  using service = await createTestService();
  for (const path of pages) {
    const html = await (await service.request(path)).text();
    const noscript = /<noscript>([\s\S]*?)<\/noscript>/.exec(html)?.[1];
    assert(noscript?.includes("needs JavaScript"), `${path}: ${noscript}`);
    // The strict CSP allows no inline style: the stylesheet styles it by class.
    assert(!/\sstyle=/.test(html), path);
  }
});

Deno.test("the brand's name, colour and logo reach every page from this origin", async () => {
  using service = await createTestService({
    env: { BRAND_NAME: "Northwind", BRAND_COLOR: "#F0B90B" },
  });
  const html = await (await service.request("/login")).text();
  assert(html.includes("<title>Sign in · Northwind</title>"), html);
  assert(html.includes("Sign in to Northwind"));
  const css = /<link rel="stylesheet" href="(\/assets\/brand\.css\?v=[^"]+)"/
    .exec(html)![1];
  const brand = await service.request(css);
  assertEquals(brand.status, 200);
  assert(brand.headers.get("content-type")!.startsWith("text/css"));
  assertEquals(
    brand.headers.get("cache-control"),
    "public, max-age=31536000, immutable",
  );
  const text = await brand.text();
  assert(text.includes("--brand: #f0b90b;"), text);
  // A light brand colour gets dark text on its buttons.
  assert(text.includes("--on-brand: #0d1117;"), text);
  const icon = /<link rel="icon" href="([^"]+)"/.exec(html)![1];
  const logo = await service.request(icon);
  assertEquals(logo.headers.get("content-type"), "image/svg+xml");
  assert((await logo.text()).includes('fill="#f0b90b"'));
  // Browsers ask for /favicon.ico where a page names no icon (the API, the outbox).
  const favicon = await service.request("/favicon.ico");
  assertEquals(favicon.status, 301);
  assertEquals(favicon.headers.get("location"), icon);
});

Deno.test("link colours derived from any brand colour read at 4.5:1 on every surface", () => {
  for (const color of ["#2f5bea", "#f0b90b", "#ffffff", "#000000", "#00c087"]) {
    const css = brandStylesheet(color);
    const value = (name: string) =>
      new RegExp(`--${name}: (#[0-9a-f]{6});`).exec(css)![1];
    const lightTint = value("brand-tint-light");
    const darkTint = value("brand-tint-dark");
    for (const surface of [...surfaces.light, lightTint]) {
      assert(contrast(value("brand-ink-light"), surface) >= 4.5, color);
    }
    for (const surface of [...surfaces.dark, darkTint]) {
      assert(contrast(value("brand-ink-dark"), surface) >= 4.5, color);
    }
    assert(contrast(value("on-brand"), color) >= 4.5, color);
  }
});

Deno.test("a configured logo file is served as the logo; one that cannot be read stops the start", async () => {
  await Deno.mkdir(".data", { recursive: true });
  const path = `.data/logo-${crypto.randomUUID()}.png`;
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
  await Deno.writeFile(path, png);
  try {
    using service = await createTestService({ env: { BRAND_LOGO: path } });
    const html = await (await service.request("/")).text();
    const src = /<img src="(\/assets\/logo\.png\?v=[^"]+)"/.exec(html)![1];
    const logo = await service.request(src);
    assertEquals(logo.headers.get("content-type"), "image/png");
    assertEquals(new Uint8Array(await logo.arrayBuffer()), png);
  } finally {
    await Deno.remove(path);
  }
  await assertRejects(
    () => createTestService({ env: { BRAND_LOGO: "static/missing.svg" } }),
    (error: Error) =>
      error.message.startsWith("BRAND_LOGO: cannot read static/missing.svg"),
  );
  for (
    const [name, value] of [
      ["BRAND_COLOR", "blue"],
      ["BRAND_LOGO", "/etc/logo.svg"],
      ["BRAND_LOGO", "../outside.svg"],
    ]
  ) {
    throws(
      () => loadConfig({ APP_ENV: "development", [name]: value }),
      (error: Error) =>
        error instanceof ConfigError && error.message.includes(name),
    );
  }
});

Deno.test("the development outbox shows each e-mail's HTML part beside its text, sandboxed", async () => {
  using service = await createTestService({ useDevTransport: true });
  const accountId = await registerAccount(service);
  const sent = service.sent.find((message) => message.to === accountId)!;
  const page = await (await service.request("/dev/outbox", {
    headers: { accept: "text/html" },
  })).text();
  assert(page.includes(`<pre>${sent.text.split("\n")[0]}`));
  assert(
    page.includes(`<iframe src="/dev/outbox/${sent.id}/html" sandbox=""`),
    page,
  );
  const part = await service.request(`/dev/outbox/${sent.id}/html`);
  assertEquals(part.status, 200);
  assertEquals(await part.text(), sent.html);
  const csp = part.headers.get("content-security-policy")!;
  assert(csp.includes("sandbox") && csp.includes("frame-ancestors 'self'"));
  assert(csp.includes("default-src 'none'") && !csp.includes("script-src"));
  // An id of the wrong form is as unknown as one of the right form (404 either way).
  for (const id of ["0".repeat(32), "../x", "zz"]) {
    const refused = await service.request(`/dev/outbox/${id}/html`);
    assertEquals(refused.status, 404, id);
    assertEquals(
      refused.headers.get("content-type"),
      "application/problem+json",
    );
  }
});

Deno.test("the development outbox is a page with the pages' policy and stylesheet", async () => {
  using service = await createTestService();
  const response = await service.request("/dev/outbox", {
    headers: { accept: "text/html" },
  });
  assertEquals(response.status, 200);
  const csp = response.headers.get("content-security-policy")!;
  assert(csp.includes("style-src 'self'") && !csp.includes("unsafe-inline"));
  const html = await response.text();
  assert(html.includes('<link rel="stylesheet" href="/assets/styles.css"'));
  assert(!/\sstyle=/.test(html));
});

Deno.test("the step-up page shows exactly the details its query names, and approves nothing it cannot name", async () => {
  using service = await createTestService();
  const destination = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq";
  const page = async (query: string) => {
    const response = await service.request(`/step-up?${query}`);
    assertEquals(response.status, 200, query);
    return await response.text();
  };
  const html = await page(
    `action=withdrawal&asset=BTC&amount=0.25&destination=${destination}`,
  );
  assert(html.includes('data-action="withdrawal"'));
  assert(
    /You are approving: withdraw <strong>0\.25 BTC<\/strong> to\s*<strong class="mono">bc1q/
      .test(html),
  );
  for (
    const [name, value] of Object.entries({
      asset: "BTC",
      amount: "0.25",
      destination,
    })
  ) {
    assert(html.includes(`data-detail="${name}" data-value="${value}"`), name);
  }
  assert(html.includes('<form id="step-up-form" method="post"'));
  const refused = [
    "",
    "action=withdrawal&asset=BTC&amount=0.25",
    `action=withdrawal&asset=BTC&amount=0.25&destination=${destination}&extra=1`,
    `action=withdrawal&asset=BTC&asset=ETH&amount=0.25&destination=${destination}`,
    `action=withdrawal&asset=btc&amount=0.25&destination=${destination}`,
    `action=withdrawal&asset=BTC&amount=-1&destination=${destination}`,
    `action=withdrawal&asset=BTC&amount=1e3&destination=${destination}`,
    `action=withdrawal&asset=BTC&amount=0.00&destination=${destination}`,
    "action=withdrawal&asset=BTC&amount=1&destination=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "action=trade&side=short&amount=1&asset=BTC",
    "action=api_key.create&name=%3Cb%3E",
    "action=api_key.create&name=Bot&permissions=admin",
    "action=__proto__",
    "action=transfer&amount=1",
  ];
  for (const query of refused) {
    const html = await page(query);
    assert(html.includes("Nothing to approve"), query);
    assert(!html.includes("<form"), query);
    assert(!html.includes("<script>"), query);
  }
  const key = await page(
    "action=api_key.create&name=Trading+bot&permissions=read,withdraw",
  );
  assert(key.includes("create the API key <strong>“Trading bot”</strong>"));
  assert(key.includes("This key can withdraw"));
});

Deno.test("a page is written in the language switch's cookie, else the browser's best match, else English, and says so", async () => {
  using service = await createTestService();
  const page = async (headers: Record<string, string>, path = "/login") => {
    const response = await service.request(path, { headers });
    const html = await response.text();
    const texts = JSON.parse(
      /<script type="application\/json" id="page-texts">([^<]*)<\/script>/
        .exec(html)![1],
    );
    return {
      lang: /<html lang="([^"]+)"/.exec(html)?.[1],
      contentLanguage: response.headers.get("content-language"),
      vary: response.headers.get("vary") ?? "",
      html,
      texts,
    };
  };
  const english = await page({});
  assertEquals([english.lang, english.contentLanguage], ["en", "en"]);
  assert(english.html.includes("Official address:"));
  assert(
    /\bCookie\b/.test(english.vary) && /Accept-Language/.test(english.vary),
  );

  const german = await page({ "accept-language": "de-CH,de;q=0.9,en;q=0.5" });
  assertEquals([german.lang, german.contentLanguage], ["de", "de"]);
  assert(german.html.includes("Offizielle Adresse:"));
  assertEquals(german.texts["common.nav.signOut"], "Abmelden");
  // The switch names the page's language as chosen.
  assert(/<option value="de" lang="de" selected/.test(german.html));

  const chinese = await page({
    "accept-language": "de",
    cookie: "lang=zh-Hans",
  }, "/security");
  assertEquals([chinese.lang, chinese.contentLanguage], ["zh-Hans", "zh-Hans"]);
  // One sentence with the address in it, punctuated as Chinese is: no spaces.
  assert(
    /官方网址：<strong>[^<]+<\/strong>。请将其加入书签/.test(chinese.html),
  );

  // A cookie naming no language of ours falls through to the browser's.
  const unknown = await page({ "accept-language": "de", cookie: "lang=xx" });
  assertEquals(unknown.lang, "de");
});

Deno.test("each page carries the catalog parts its script reads, no more", async () => {
  using service = await createTestService();
  const keysOn = async (path: string) => {
    const html = await (await service.request(path)).text();
    return Object.keys(JSON.parse(
      /<script type="application\/json" id="page-texts">([^<]*)<\/script>/
        .exec(html)![1],
    ));
  };
  const login = await keysOn("/login");
  assert(login.includes("common.nav.signOut"));
  assert(login.every((key) => /^(common|signIn)\./.test(key)), "login");
  const security = await keysOn("/security");
  assert(
    security.every((key) => /^(common|security)\./.test(key)),
    "security",
  );
  assert(!(await keysOn("/")).some((key) => key.startsWith("message.")));
});
