/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="esnext" />
/**
 * Browsers and networks as the pages describe them: "Chrome on Windows ·
 * 203.0.113.0/24". The user agent passes through the same parser and allow-lists as
 * the service's messages, so a page never shows the header's own words.
 */
import {
  type BrowserDescription,
  describeBrowser,
} from "../lib/runtime/browser_description.ts";
import { t } from "./i18n.ts";

/** "Chrome on Windows", "Chrome", "A browser on Linux", or "Unknown browser". */
export function browserName(userAgent: string | null): string {
  return describedBrowserName(describeBrowser(userAgent));
}

/** {@link browserName} of a browser already described (the devices list's). */
export function describedBrowserName(
  { browser, system }: BrowserDescription,
): string {
  if (browser && system) {
    return t("security.browser.onSystem", { browser, system });
  }
  if (browser) return browser;
  if (system) return t("security.browser.anyOnSystem", { system });
  return t("security.browser.unknown");
}

/**
 * The network of an address, as the service recognises networks: the IPv4 /24 or the
 * IPv6 /48 ("203.0.113.0/24", "2001:db8:5::/48"). The service sends canonical text.
 */
export function networkOf(ip: string | null): string | null {
  if (!ip) return null;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(ip)) {
    return `${ip.slice(0, ip.lastIndexOf("."))}.0/24`;
  }
  if (!ip.includes(":")) return null;
  const [head, tail = ""] = ip.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = ip.includes("::")
    ? [...left, ...Array(8 - left.length - right.length).fill("0"), ...right]
    : left;
  const prefix = groups.slice(0, 3).map((group) =>
    parseInt(group, 16).toString(16)
  );
  return `${prefix.join(":")}::/48`;
}

/**
 * "Chrome on Windows · 203.0.113.0/24", leaving out what is not known; null for what
 * came from no browser at all (the service's own scheduled work).
 */
export function browserAndNetwork(
  userAgent: string | null,
  ip: string | null,
): string | null {
  if (!userAgent && !ip) return null;
  return [browserName(userAgent), networkOf(ip)].filter(Boolean).join(" · ");
}
