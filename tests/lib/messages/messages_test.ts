import {
  carriesFreezeLink,
  composeMessage,
  type MessageKind,
  messageKinds,
  type MessageParameters,
  utcMinute,
} from "../../../lib/messages/messages.ts";
import { assert, assertEquals, assertThrows } from "../../helpers/assert.ts";

/** Sample parameters for every kind; a kind added without one fails the test below. */
const samples: { [K in MessageKind]: MessageParameters[K] } = {
  registration_code: { code: "123456" },
  registration_notice: {},
  account_locked: {
    lockedUntil: "2026-01-01T02:00:00.000Z",
    ip: "203.0.113.9",
  },
  device_verification_code: {
    code: "654321",
    browser: { browser: "Firefox", system: "Linux" },
    ip: "203.0.113.9",
    at: "2026-01-01T00:00:00.000Z",
    validUntil: Date.parse("2026-01-01T00:05:00.000Z"),
  },
  new_login_alert: {
    browser: { browser: "Safari", system: "iOS" },
    ip: null,
    at: "2026-01-01T00:00:00.000Z",
  },
  webauthn_added: {
    device: { kind: "webauthn", addedAt: 0 },
    holdUntil: Date.parse("2026-01-02T00:00:00.000Z"),
  },
  webauthn_clone_suspected: { device: { kind: "webauthn", addedAt: 0 } },
  device_changed: {
    action: "removed",
    device: { kind: "browser", addedAt: 0 },
    holdUntil: null,
  },
  anti_phishing_code_set: {},
  trading_passcode_set: {
    replaced: true,
    holdUntil: Date.parse("2026-01-02T00:00:00.000Z"),
  },
  step_up_locked: { lockedUntil: "2026-01-01T02:00:00.000Z", ip: null },
  passcode_changed: { holdUntil: Date.parse("2026-01-02T00:00:00.000Z") },
  account_id_change_code: { code: "246810" },
  account_id_change_requested: { newAccountId: "new@example.com" },
  account_id_changed: {
    previousAccountId: "a@example.com",
    newAccountId: "new@example.com",
    holdUntil: Date.parse("2026-01-02T00:00:00.000Z"),
  },
  recovery_code: { code: "135791" },
  recovery_no_account: {},
  passcode_reset: {
    holdUntil: Date.parse("2026-01-02T00:00:00.000Z"),
    unfrozen: true,
  },
  mfa_reset_requested: {
    effectiveAt: "2026-01-03T00:00:00.000Z",
    cancelToken: "c".repeat(43),
  },
  mfa_reset_cancelled: {},
  mfa_reset_completed: { holdUntil: Date.parse("2026-01-02T00:00:00.000Z") },
  mfa_enrolled: {},
  backup_codes_regenerated: {
    holdUntil: Date.parse("2026-01-02T00:00:00.000Z"),
  },
  account_frozen: { holdUntil: Date.parse("2026-01-02T00:00:00.000Z") },
  settings_locked: { unlockDelayDays: 7, countdownCancelled: true },
  settings_unlock_started: { unlocksAt: "2026-01-08T00:00:00.000Z" },
  settings_unlocked: {},
  passcode_reset_requested: {
    effectiveAt: "2026-01-08T00:00:00.000Z",
    cancelToken: "c".repeat(43),
  },
  recovery_cancelled: {},
  mfa_policy_changed: { phishingResistantOnly: true },
};

const freezeToken = "f".repeat(43);

const compose = (
  kind: MessageKind,
  channel: "email" | "sms",
  code: string | null,
) =>
  composeMessage(kind, samples[kind] as never, {
    id: "id",
    channel,
    to: channel === "email" ? "a@example.com" : "+491701234567",
    antiPhishingCode: code,
    createdAt: 0,
    freezeToken,
  }, "https://login.example.com");

Deno.test("every message kind has a sample here", () => {
  assertEquals(Object.keys(samples).sort(), [...messageKinds].sort());
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
      freezeToken,
    }, "https://login.example.com").text;
  assert(
    text("webauthn_added", { device: { kind: "webauthn", addedAt } })
      .includes("The passkey added on 28 Nov 2026 can now complete"),
  );
  assert(
    text("device_changed", {
      action: "renamed",
      device: { kind: "browser", addedAt: Date.UTC(2026, 8, 5) },
    }).includes("The browser first recognised on 5 Sep 2026 was renamed."),
  );
  assert(
    text("new_login_alert", {
      browser: { browser: "Chrome", system: "Windows" },
      ip: null,
      at: "2026-01-01T00:00:00.000Z",
    }).includes("from Chrome on Windows on 2026-01-01T00:00:00.000Z (UTC)"),
  );
  assert(
    text("device_verification_code", {
      code: "123456",
      browser: { browser: null, system: null },
      ip: "203.0.113.9",
      at: "2026-01-01T00:00:00.000Z",
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
    }, "https://login.example.com")
  );
});
