/**
 * Browsers as messages name them: a user-agent parser's known names, never the header's
 * text (API.md, Messages). A message under the owner's anti-phishing code must not carry
 * words somebody else typed, and the User-Agent is typed by whoever sends the request.
 *
 * Bowser reads the header; its names pass only through the allow-lists below, because
 * for a user agent it does not know it returns the header's first word as the name.
 */
import Bowser from "bowser";

// Bowser's name on the left, ours on the right: browsers people sign in with, not bots.
const browserNames = {
  "Amazon Silk": "Amazon Silk",
  "Android Browser": "Android Browser",
  "Brave": "Brave",
  "Chrome": "Chrome",
  "Chromium": "Chromium",
  "DuckDuckGo": "DuckDuckGo",
  "Epiphany": "Epiphany",
  "Firefox": "Firefox",
  "Focus": "Firefox Focus",
  "Internet Explorer": "Internet Explorer",
  "LibreWolf": "LibreWolf",
  "Microsoft Edge": "Edge",
  "NAVER Whale Browser": "Whale",
  "Opera": "Opera",
  "Opera Coast": "Opera Coast",
  "Pale Moon": "Pale Moon",
  "QQ Browser": "QQ Browser",
  "Safari": "Safari",
  "Samsung Internet for Android": "Samsung Internet",
  "SeaMonkey": "SeaMonkey",
  "UC Browser": "UC Browser",
  "Vivaldi": "Vivaldi",
  "WeChat": "WeChat",
  "Yandex Browser": "Yandex Browser",
} as const;

const systemNames = {
  "Android": "Android",
  "Chrome OS": "ChromeOS",
  "HarmonyOS": "HarmonyOS",
  "iOS": "iOS",
  "Linux": "Linux",
  "macOS": "macOS",
  "Windows": "Windows",
  "Windows Phone": "Windows Phone",
} as const;

/** A browser name on the allow-list. */
export type KnownBrowser = typeof browserNames[keyof typeof browserNames];
/** An operating system name on the allow-list. */
export type KnownSystem = typeof systemNames[keyof typeof systemNames];

/**
 * What a message may say about a browser: names from the allow-lists or nothing, so no
 * value of this type can hold text from a request.
 */
export interface BrowserDescription {
  browser: KnownBrowser | null;
  system: KnownSystem | null;
}

function known<T>(
  names: Record<string, T>,
  name: string | undefined,
): T | null {
  return name !== undefined && Object.hasOwn(names, name) ? names[name] : null;
}

/** Describes the browser of a User-Agent header; what is not known is null. */
export function describeBrowser(userAgent: string | null): BrowserDescription {
  if (!userAgent) return { browser: null, system: null };
  const parsed = Bowser.parse(userAgent);
  return {
    browser: known<KnownBrowser>(browserNames, parsed.browser.name),
    system: known<KnownSystem>(systemNames, parsed.os.name),
  };
}

/** "Chrome on Windows"; "an unknown browser" or "an unknown system" for the rest. */
export function browserLabel(description: BrowserDescription): string {
  return `${description.browser ?? "an unknown browser"} on ${
    description.system ?? "an unknown system"
  }`;
}
