import {
  browserLabel,
  describeBrowser,
} from "../../../lib/runtime/browser_description.ts";
import { assertEquals } from "../../helpers/assert.ts";

const label = (userAgent: string | null) =>
  browserLabel(describeBrowser(userAgent));

Deno.test("describeBrowser() names common browsers and systems by their known names", () => {
  const cases: [string, string][] = [
    [
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
      "Chrome on Windows",
    ],
    [
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0",
      "Edge on Windows",
    ],
    [
      "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
      "Firefox on Linux",
    ],
    [
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15",
      "Safari on macOS",
    ],
    [
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
      "Safari on iOS",
    ],
    [
      "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36",
      "Samsung Internet on Android",
    ],
  ];
  for (const [userAgent, expected] of cases) {
    assertEquals(label(userAgent), expected, userAgent);
  }
});

Deno.test("describeBrowser() never passes on text of its own from the header", () => {
  for (
    const userAgent of [
      null,
      "",
      "Evil.example-support-call-555-01",
      "URGENT/1.0 (call +1 555 0100) verify now at https://evil.example/x",
      "Mozilla/5.0 (Call-Support-555-0100) Evil/1.0",
      "curl/8.5.0",
    ]
  ) {
    assertEquals(
      describeBrowser(userAgent),
      { browser: null, system: null },
      String(userAgent),
    );
  }
  assertEquals(
    label("Evil.example-support-call-555-01"),
    "an unknown browser on an unknown system",
  );
});
