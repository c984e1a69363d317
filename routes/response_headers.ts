/**
 * The headers of every API response, as one fixed list set after the handler: the
 * security headers (a CSP that allows nothing, HSTS, no sniffing, no framing, no
 * referrer, same-origin only) and `Cache-Control: no-store` unless the route chose
 * its own caching (the JWKS, assets). Hono's configurable `secureHeaders` cost a
 * third of a session check's time; the pages keep it for their per-response nonce
 * (routes/pages/routes.tsx).
 */

const securityHeaders: [string, string][] = [
  [
    "Content-Security-Policy",
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  ],
  ["Strict-Transport-Security", "max-age=63072000; includeSubDomains"],
  ["X-Content-Type-Options", "nosniff"],
  ["X-Frame-Options", "DENY"],
  ["Referrer-Policy", "no-referrer"],
  ["Cross-Origin-Resource-Policy", "same-origin"],
  ["Cross-Origin-Opener-Policy", "same-origin"],
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
