import {
  carriesFreezeLink,
  composeMessage,
  type MessageKind,
  messageKinds,
  utcMinute,
} from "../../../lib/messages/messages.ts";
import { assert, assertEquals, assertThrows } from "../../helpers/assert.ts";
import { messageSamples } from "../../helpers/message_samples.ts";

const freezeToken = "f".repeat(43);

const sender = {
  appOrigin: "https://login.example.com",
  brandName: "Exchange",
  brandColor: "#2f5bea",
};

const compose = (
  kind: MessageKind,
  channel: "email" | "sms",
  code: string | null,
) =>
  composeMessage(kind, messageSamples[kind] as never, {
    id: "id",
    channel,
    to: channel === "email" ? "a@example.com" : "+491701234567",
    antiPhishingCode: code,
    createdAt: 0,
    language: "en",
    freezeToken,
  }, sender);

Deno.test("every message kind has a sample here", () => {
  assertEquals(Object.keys(messageSamples).sort(), [...messageKinds].sort());
});

Deno.test("every message kind carries the anti-phishing code in the first line and the e-mail subject", () => {
  for (const kind of messageKinds) {
    for (const channel of ["email", "sms"] as const) {
      const message = compose(kind, channel, "Blue-Otter_7");
      assertEquals(
        message.text.split("\n")[0],
        "Anti-phishing code: Blue-Otter_7",
        kind,
      );
      if (channel === "email") {
        assert(message.subject.endsWith(" [Blue-Otter_7]"), kind);
      }
    }
  }
});

Deno.test("without a code every message's first line asks the owner to set one", () => {
  for (const kind of messageKinds) {
    const message = compose(kind, "email", null);
    const first = message.text.split("\n")[0];
    assert(first.startsWith("You have not set an anti-phishing code."), kind);
    assert(first.includes("https://login.example.com/security"), kind);
    assert(!message.subject.includes("["), kind);
  }
});

Deno.test("devices are named by kind and the day they were added, browsers by known names", () => {
  const addedAt = Date.UTC(2026, 10, 28, 23, 59);
  const text = (kind: MessageKind, parameters: unknown) =>
    composeMessage(kind, parameters as never, {
      id: "id",
      channel: "email",
      to: "a@example.com",
      antiPhishingCode: null,
      createdAt: 0,
      language: "en",
      freezeToken,
    }, sender).text;
  assert(
    text("webauthn_added", {
      device: { kind: "webauthn", addedAt },
      holdUntil: addedAt,
    })
      .includes("The passkey added on 28 Nov 2026 can now complete"),
  );
  assert(
    text("device_changed", {
      action: "renamed",
      device: { kind: "browser", addedAt: Date.UTC(2026, 9, 5) },
      holdUntil: null,
    }).includes("The browser first recognised on 5 Oct 2026 was renamed."),
  );
  assert(
    text("new_login_alert", {
      browser: { browser: "Chrome", system: "Windows" },
      ip: null,
      at: Date.parse("2026-01-01T00:00:00.000Z"),
    }).includes("from Chrome on Windows on 1 Jan 2026, 00:00 UTC"),
  );
  assert(
    text("device_verification_code", {
      code: "123456",
      browser: { browser: null, system: null },
      ip: "203.0.113.9",
      at: Date.parse("2026-01-01T00:00:00.000Z"),
      validUntil: Date.parse("2026-01-01T00:05:00.000Z"),
    }).includes("from an unknown browser on an unknown system at 203.0.113.9"),
  );
});

Deno.test("a hold's end is shown to the minute, rounded up; a deadline rounded down", () => {
  const at = Date.parse("2026-11-29T14:04:20.000Z");
  assertEquals(utcMinute(at, "up"), "29 Nov 2026, 14:05 UTC");
  assertEquals(utcMinute(at, "down"), "29 Nov 2026, 14:04 UTC");
  const exact = Date.parse("2026-11-29T14:05:00.000Z");
  assertEquals(utcMinute(exact, "up"), "29 Nov 2026, 14:05 UTC");
  assertEquals(
    utcMinute(Date.parse("2026-12-31T23:59:01.000Z"), "up"),
    "1 Jan 2027, 00:00 UTC",
  );
  const message = compose("passcode_changed", "email", null);
  assert(
    message.text.includes(
      "Withdrawals are paused until 2 Jan 2026, 00:00 UTC.",
    ),
  );
});

Deno.test("messages about a sign-in, a device, a lock or a security change end with the freeze link; codes asked for do not", () => {
  const line =
    `If this was not you, freeze your account at once: https://login.example.com/freeze?token=${freezeToken} (the link works once, for 7 days).`;
  const withLink = messageKinds.filter(carriesFreezeLink);
  for (const kind of withLink) {
    assertEquals(compose(kind, "email", null).text.split("\n").at(-1), line);
  }
  assertEquals(
    messageKinds.filter((kind) => !carriesFreezeLink(kind)).sort(),
    [
      "account_frozen",
      "account_id_change_code",
      "recovery_code",
      "recovery_no_account",
      "registration_code",
      "registration_notice",
    ],
  );
  for (const kind of messageKinds.filter((k) => !carriesFreezeLink(k))) {
    assert(!compose(kind, "email", null).text.includes("/freeze"), kind);
  }
});

Deno.test("a message kind that carries the freeze link is refused without a token", () => {
  assertThrows(() =>
    composeMessage("passcode_changed", { holdUntil: 0 }, {
      id: "id",
      channel: "email",
      to: "a@example.com",
      antiPhishingCode: null,
      createdAt: 0,
      language: "en",
    }, sender)
  );
});

/**
 * The words of an HTML part, as a reader sees them (tags dropped, entities decoded),
 * without white space: a link inside a Chinese sentence has none around it.
 */
function visibleText(html: string): string {
  return html
    .replace(/<head>[\s\S]*<\/head>/, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, "");
}

const unspaced = (text: string) => text.replace(/\s+/g, "");

const composeIn = (
  kind: MessageKind,
  language: "en" | "de" | "zh-Hans",
  channel: "email" | "sms" = "email",
) =>
  composeMessage(kind, messageSamples[kind] as never, {
    id: "id",
    channel,
    to: channel === "email" ? "a@example.com" : "+491701234567",
    antiPhishingCode: "Blue-Otter_7",
    createdAt: 0,
    language,
    freezeToken,
  }, sender);

Deno.test("every e-mail's HTML part says what its text part says, code box and freeze button included", () => {
  for (const language of ["en", "de", "zh-Hans"] as const) {
    for (const kind of messageKinds) {
      const message = composeIn(kind, language);
      const html = message.html!;
      assert(html.startsWith("<!DOCTYPE html>"), kind);
      assert(html.includes(`<html lang="${language}">`), `${language} ${kind}`);
      assert(!/<script|<img|<link|src=/i.test(html), kind);
      const seen = visibleText(html);
      for (const line of message.text.split("\n").filter(Boolean)) {
        assert(seen.includes(unspaced(line)), `${language} ${kind}: ${line}`);
      }
      // The anti-phishing code comes before anything else the reader sees.
      assert(seen.startsWith(unspaced(message.text.split("\n")[0])), kind);
      for (const [, href] of html.matchAll(/href="([^"]*)"/g)) {
        assert(
          /^https:\/\/login\.example\.com(\/[\w/?=-]*)?$/.test(href),
          href,
        );
      }
      if (carriesFreezeLink(kind)) {
        assert(
          html.includes(
            `href="https://login.example.com/freeze?token=${freezeToken}"`,
          ),
          kind,
        );
      }
    }
  }
});

Deno.test("German and Chinese messages are in their language, dates as each writes them, in UTC", () => {
  const english = composeIn("passcode_changed", "en");
  const german = composeIn("passcode_changed", "de");
  const chinese = composeIn("passcode_changed", "zh-Hans");
  assertEquals(german.text.split("\n")[0], "Anti-Phishing-Code: Blue-Otter_7");
  assertEquals(chinese.text.split("\n")[0], "防钓鱼码：Blue-Otter_7");
  assert(
    german.text.includes(
      "Auszahlungen sind bis 02.01.2026, 00:00 UTC ausgesetzt.",
    ),
  );
  assert(chinese.text.includes("提现已暂停，直至 2026年1月2日 00:00 UTC。"));
  assert(
    english.text.includes(
      "Withdrawals are paused until 2 Jan 2026, 00:00 UTC.",
    ),
  );
  for (const kind of messageKinds) {
    const [en, de, zh] = (["en", "de", "zh-Hans"] as const).map((language) =>
      composeIn(kind, language)
    );
    assert(de.subject !== en.subject && zh.subject !== en.subject, kind);
    // Every paragraph but the lines that are only a code differs from the English one.
    const englishLines = new Set(en.text.split("\n").slice(1).filter(Boolean));
    for (
      const line of [...de.text.split("\n"), ...zh.text.split("\n")].slice(1)
    ) {
      if (line) assert(!englishLines.has(line), `${kind}: ${line}`);
    }
  }
});

Deno.test("a text message is short, plain, the anti-phishing code first and any code it asks for kept", () => {
  for (const language of ["en", "de", "zh-Hans"] as const) {
    for (const kind of messageKinds) {
      const sms = composeIn(kind, language, "sms");
      const email = composeIn(kind, language, "email");
      assertEquals(sms.html, undefined);
      assertEquals(sms.text.split("\n")[0], email.text.split("\n")[0]);
      assert(sms.text.length <= email.text.length, kind);
      const code = (messageSamples[kind] as { code?: string }).code;
      if (code) assert(sms.text.includes(code), `${language} ${kind}`);
    }
  }
  const verification = composeIn("device_verification_code", "en", "sms");
  assert(verification.text.split("\n").length <= 5, verification.text);
});
