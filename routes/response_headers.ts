/**
 * The headers of every API response, as one fixed list set after the handler: the
 * headers OWASP's REST Security Cheat Sheet asks of every API response (a CSP that
 * allows nothing and no framing, HSTS, no sniffing, X-Frame-Options for browsers
 * without frame-ancestors, `Cache-Control: no-store` unless the route chose its own
 * caching: the JWKS, assets), and Cross-Origin-Resource-Policy, which keeps other
 * sites from loading a response into their process with a no-cors request. Headers
 * that only act on HTML documents (Referrer-Policy, Cross-Origin-Opener-Policy) are
 * left to the pages: a JSON response loads nothing and links nowhere, and every
 * header is work for Deno's HTTP layer on every answer (bench/NOTES.md). The pages
 * set their own full list with a per-response nonce (routes/pages/routes.tsx).
 */

const securityHeaders: [string, string][] = [
  [
    "Content-Security-Policy",
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  ],
  ["Strict-Transport-Security", "max-age=63072000; includeSubDomains"],
  ["X-Content-Type-Options", "nosniff"],
  ["X-Frame-Options", "DENY"],
  ["Cross-Origin-Resource-Policy", "same-origin"],
];

/**
 * Completes a response's headers: the fixed security list unless the response brought
 * its own policy (a page, with its nonce), and `no-store` unless it chose its caching.
 */
export function completeResponseHeaders(headers: Headers): void {
  if (!headers.has("Content-Security-Policy")) {
    for (const [name, value] of securityHeaders) headers.set(name, value);
  }
  // Everything the service answers is per-user or single-use: no cache may keep it.
  if (!headers.has("Cache-Control")) headers.set("Cache-Control", "no-store");
}
