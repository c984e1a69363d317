/** `GET /docs`: the API reference, served from this origin under a strict policy. */
import { assert, assertEquals } from "../helpers/assert.ts";
import { createTestService } from "../helpers/service.ts";

Deno.test("GET /docs is an HTML page whose policy allows only this origin's files, none inline", async () => {
  using service = await createTestService();
  const response = await service.request("/docs");
  assertEquals(response.status, 200);
  assert(response.headers.get("content-type")?.startsWith("text/html"));
  const policy = response.headers.get("content-security-policy") ?? "";
  const directives = Object.fromEntries(
    policy.split(";").map((part) => part.trim().split(/\s+/))
      .map(([name, ...values]) => [name, values]),
  );
  assertEquals(directives["default-src"], ["'none'"]);
  assertEquals(directives["script-src"], ["'self'"]);
  assertEquals(directives["style-src"], ["'self'"]);
  assertEquals(directives["connect-src"], ["'self'"]);
  assertEquals(directives["frame-ancestors"], ["'none'"]);
  assert(!policy.includes("unsafe") && !policy.includes("http"), policy);

  const page = await response.text();
  const scripts = [...page.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  assert(scripts.length > 0);
  for (const [, attributes, inline] of scripts) {
    assert(/\bsrc="/.test(attributes), "an inline script");
    assertEquals(inline.trim(), "");
  }
  assert(!/\bstyle="|<style\b|\son\w+=/.test(page), "inline style or handler");
  const assets = [...page.matchAll(/(?:src|href)="([^"]+)"/g)]
    .map(([, url]) => url)
    .filter((url) => url !== "/openapi.json");
  assertEquals(assets.length, 2);
  for (const url of assets) {
    assert(url.startsWith("/assets/docs."), `${url} is not this origin's`);
    const asset = await service.request(url);
    assertEquals(asset.status, 200, url);
    assert(
      /^text\/(javascript|css)/.test(asset.headers.get("content-type") ?? ""),
    );
    assert((await asset.text()).length > 1000);
  }
});
