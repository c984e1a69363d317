import { assert, assertEquals } from "../helpers/assert.ts";
import { createTestService } from "../helpers/service.ts";

const pages = ["/", "/login", "/register", "/recover", "/security"];

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
    const scripts = [
      ...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g),
    ];
    assertEquals(scripts.length, 1, path);
    assert(scripts[0][1].includes(`nonce="${nonce}"`), path);
    assertEquals(scripts[0][2].trim(), "", `${path}: no inline code`);
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
