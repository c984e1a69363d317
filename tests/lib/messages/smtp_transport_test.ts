/**
 * E-mail through a real SMTP relay on loopback (smtp-server from npm, with STARTTLS and
 * a test certificate): what arrives, what a refusing relay does to the outbox, and the
 * TLS rule.
 */
import { listDeadLetters, listOutboxEntries } from "../../../kv/outbox.ts";
import { ConfigError, loadConfig } from "../../../lib/runtime/config.ts";
import { routeByChannel } from "../../../lib/messages/message_transport.ts";
import { retryDelayMs } from "../../../lib/messages/outbox_delivery.ts";
import { createSmtpTransport } from "../../../lib/messages/smtp_transport.ts";
import {
  composeMessage,
  type Message,
  messageKinds,
} from "../../../lib/messages/messages.ts";
import { assert, assertEquals, assertRejects } from "../../helpers/assert.ts";
import { createTestClock } from "../../helpers/clock.ts";
import {
  createTestService,
  enrollAndLogIn,
  freshTotp,
  json,
  registerAccount,
} from "../../helpers/service.ts";
import { messageSamples } from "../../helpers/message_samples.ts";
import { relayAuthority, startSmtpRelay } from "../../helpers/smtp_relay.ts";

const from = "Exchange Security <security@exchange.example>";

function relayTransport(url: string, requireTls = true) {
  return createSmtpTransport({ url, requireTls, from, ca: relayAuthority });
}

Deno.test("e-mail reaches the relay over STARTTLS, with the anti-phishing code and the outbox id as Message-ID", async () => {
  await using relay = await startSmtpRelay();
  const relayed = relayTransport(relay.url);
  // The helpers read codes from `service.sent`: every message goes to both.
  let recorded: Message[] = [];
  using service = await createTestService({
    transport: async (message) => {
      await relayed(message);
      recorded.push(message);
    },
  });
  recorded = service.sent;
  const accountId = await registerAccount(service);
  const { secret, body } = await enrollAndLogIn(service, accountId);
  const set = await service.request(
    "/v1/anti-phishing-code",
    json({ code: "Blue-Otter", totp: freshTotp(service, secret) }, "PUT", {
      authorization: `Bearer ${body.accessToken}`,
    }),
  );
  assertEquals(set.status, 204);
  const mail = relay.accepted.at(-1)!;
  const sent = service.sent.at(-1)!;
  assertEquals(sent.kind, "anti_phishing_code_set");
  assertEquals(mail.to && "text" in mail.to ? mail.to.text : null, accountId);
  assertEquals(
    mail.from?.text,
    `"Exchange Security" <security@exchange.example>`,
  );
  assert(mail.subject?.endsWith(" [Blue-Otter]"), mail.subject);
  assertEquals(mail.text?.split("\n")[0], "Anti-phishing code: Blue-Otter");
  assertEquals(mail.messageId, `<${sent.id}@exchange.example>`);
  assert(mail.html && mail.html.includes("Anti-phishing code: Blue-Otter"));
  // Every message reached the relay, once: the code, the notices, the alert.
  assertEquals(
    relay.accepted.map((accepted) => accepted.messageId).sort(),
    service.sent.map((message) => `<${message.id}@exchange.example>`).sort(),
  );
});

Deno.test("every message kind arrives as HTML with a plain-text alternative, the anti-phishing code in subject and both parts", async () => {
  await using relay = await startSmtpRelay();
  const relayed = relayTransport(relay.url);
  const sender = {
    appOrigin: "https://login.example.com",
    brandName: "Exchange",
    brandColor: "#2f5bea",
  };
  for (const [n, kind] of messageKinds.entries()) {
    const language = (["en", "de", "zh-Hans"] as const)[n % 3];
    const message = composeMessage(kind, messageSamples[kind] as never, {
      id: `message-${n}`,
      channel: "email",
      to: "judy@example.com",
      antiPhishingCode: "Blue-Otter",
      createdAt: 0,
      language,
      freezeToken: "f".repeat(43),
    }, sender);
    await relayed(message);
    const mail = relay.accepted.at(-1)!;
    assertEquals(mail.messageId, `<message-${n}@exchange.example>`, kind);
    assertEquals(mail.subject, message.subject, kind);
    assert(mail.subject?.endsWith(" [Blue-Otter]"), kind);
    assertEquals(mail.text?.trim(), message.text, kind);
    assert(mail.text?.split("\n")[0].includes("Blue-Otter"), kind);
    assertEquals(mail.html && mail.html.trim(), message.html, kind);
    assert(mail.html && mail.html.includes("Blue-Otter"), kind);
  }
  assertEquals(relay.accepted.length, messageKinds.length);
});

Deno.test("a relay that answers 451, then 554, then accepts gets the message again on later sweeps, and keeps one", async () => {
  await using relay = await startSmtpRelay({ refusals: [451, 554] });
  const clock = createTestClock();
  using service = await createTestService({
    env: { CAPTCHA_MODE: "off" },
    transport: relayTransport(relay.url),
    clock,
  });
  const response = await service.request(
    "/v1/accounts",
    json({
      accountId: "judy@example.com",
      passcode: "correct horse battery staple 42!",
    }),
  );
  assertEquals(response.status, 202);
  const [waiting] = await listOutboxEntries(service.kv);
  assertEquals(waiting.attempts, 1);
  assert(waiting.lastError?.includes("451"), waiting.lastError ?? "");

  clock.advanceSeconds(retryDelayMs(1, 1) / 1000);
  assertEquals(await service.sweepOutbox(), { delivered: 0, failed: 1 });
  assert((await listOutboxEntries(service.kv))[0].lastError?.includes("554"));
  clock.advanceSeconds(retryDelayMs(2, 1) / 1000);
  assertEquals(await service.sweepOutbox(), { delivered: 1, failed: 0 });
  assertEquals(await service.sweepOutbox(), { delivered: 0, failed: 0 });

  assertEquals(relay.offered, 3);
  assertEquals(relay.accepted.length, 1);
  assertEquals(relay.accepted[0].subject, "Your verification code");
  assertEquals(await listOutboxEntries(service.kv), []);
  assertEquals(await listDeadLetters(service.kv), []);
});

const message: Message = {
  id: "0190f1a2b3c4000011223344",
  kind: "recovery_code",
  channel: "email",
  to: "ivan@example.com",
  subject: "Your account recovery code",
  text: "Anti-phishing code: Blue-Otter\n\nYour recovery code is 123456.",
  createdAt: 0,
};

Deno.test("a relay that does not offer STARTTLS is refused unless SMTP_TLS=off", async () => {
  await using relay = await startSmtpRelay({ security: "plain" });
  await assertRejects(() => relayTransport(relay.url)(message), /STARTTLS/);
  assertEquals(relay.offered, 0);
  await relayTransport(relay.url, false)(message);
  assertEquals(relay.accepted.map((mail) => mail.subject), [message.subject]);
});

Deno.test("a relay with TLS from the start (smtps://) gets the e-mail; one whose certificate is not trusted does not", async () => {
  await using relay = await startSmtpRelay({ security: "tls" });
  assert(relay.url.startsWith("smtps://"));
  await relayTransport(relay.url)(message);
  assertEquals(relay.accepted.map((mail) => mail.subject), [message.subject]);
  const untrusting = createSmtpTransport({
    url: relay.url,
    requireTls: true,
    from,
    timeoutMs: 2_000,
  });
  await assertRejects(() => untrusting(message));
  assertEquals(relay.offered, 1);
});

Deno.test("texts do not go to the relay: the router sends them to their own transport", async () => {
  await using relay = await startSmtpRelay();
  const texts: Message[] = [];
  const route = routeByChannel({
    email: relayTransport(relay.url),
    sms: (text) => {
      texts.push(text);
      return Promise.resolve();
    },
  });
  const sms = { ...message, channel: "sms" as const, to: "+491701234567" };
  await route(sms);
  await route(message);
  assertEquals(texts, [sms]);
  assertEquals(relay.accepted.length, 1);
  await assertRejects(
    () => routeByChannel({ email: relayTransport(relay.url), sms: null })(sms),
    /no transport is configured for sms/,
  );
  await assertRejects(() => relayTransport(relay.url)(sms), /not sms/);
});

Deno.test("MESSAGE_TRANSPORT=smtp needs its relay and sender; SMTP_TLS=off only in development", () => {
  const issuesOf = (environment: Record<string, string>) => {
    try {
      loadConfig(environment);
      return [];
    } catch (error) {
      assert(error instanceof ConfigError);
      return error.issues.map((issue) => issue.split(":")[0]);
    }
  };
  assertEquals(
    issuesOf({ APP_ENV: "development", MESSAGE_TRANSPORT: "smtp" }),
    ["SMTP_URL", "MESSAGE_FROM"],
  );
  assertEquals(
    issuesOf({
      APP_ENV: "development",
      MESSAGE_TRANSPORT: "smtp",
      SMTP_URL: "https://relay.example",
      MESSAGE_FROM: "not an address",
    }),
    ["SMTP_URL", "MESSAGE_FROM"],
  );
  const development = {
    APP_ENV: "development",
    MESSAGE_TRANSPORT: "smtp",
    SMTP_URL: "smtp://user:secret@127.0.0.1:2525",
    MESSAGE_FROM: from,
    SMTP_TLS: "off",
  };
  assertEquals(issuesOf(development), []);
  assert(
    issuesOf({ ...development, APP_ENV: "production" }).includes("SMTP_TLS"),
  );
});
