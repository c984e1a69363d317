import { listDeadLetters, listOutboxEntries } from "../../../kv/outbox.ts";
import { toHex } from "../../../lib/runtime/encoding.ts";
import {
  createWebhookTransport,
  webhookSignatureHeader,
} from "../../../lib/messages/message_transport.ts";
import {
  maxDeliveryAttempts,
  retryDelayMs,
} from "../../../lib/messages/outbox_delivery.ts";
import { assert, assertEquals } from "../../helpers/assert.ts";
import { createTestClock } from "../../helpers/clock.ts";
import {
  createTestService,
  json,
  strongPasscode,
} from "../../helpers/service.ts";

const webhookSecret = "w".repeat(32) + "-test-webhook-secret";

/** A provider bridge on loopback that fails while `failing` is set. */
function startReceiver() {
  const received: { body: string; signature: string | null }[] = [];
  const state = { failing: true };
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (request) => {
      const body = await request.text();
      if (state.failing) return new Response("down", { status: 500 });
      received.push({
        body,
        signature: request.headers.get(webhookSignatureHeader),
      });
      return new Response(null, { status: 204 });
    },
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}/messages`,
    received,
    state,
    stop: () => server.shutdown(),
  };
}

async function signatureOf(timestamp: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(webhookSecret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return toHex(
    new Uint8Array(
      await crypto.subtle.sign(
        "HMAC",
        key,
        new TextEncoder().encode(`${timestamp}.${body}`),
      ),
    ),
  );
}

/** The app with the webhook transport pointed at a local receiver. */
function serviceSendingTo(url: string) {
  const clock = createTestClock();
  return createTestService({
    env: { CAPTCHA_MODE: "off" },
    transport: createWebhookTransport({ url, secret: webhookSecret, clock }),
    clock,
  });
}

Deno.test("a webhook that answers 500 gets the message again on a later sweep, signed, once", async () => {
  const receiver = startReceiver();
  using service = await serviceSendingTo(receiver.url);
  const clock = service.clock;
  try {
    const response = await service.request(
      "/v1/accounts",
      json({ accountId: "judy@example.com", passcode: strongPasscode }),
    );
    assertEquals(response.status, 202);
    assertEquals(receiver.received.length, 0);
    const [waiting] = await listOutboxEntries(service.kv);
    assertEquals(waiting.attempts, 1);
    assert(waiting.lastError?.includes("500"));

    // Not due yet: the sweep leaves it alone.
    assertEquals(await service.sweepOutbox(), { delivered: 0, failed: 0 });
    receiver.state.failing = false;
    clock.advanceSeconds(retryDelayMs(1, 1) / 1000);
    assertEquals(await service.sweepOutbox(), { delivered: 1, failed: 0 });
    assertEquals(await service.sweepOutbox(), { delivered: 0, failed: 0 });

    assertEquals(receiver.received.length, 1);
    const [{ body, signature }] = receiver.received;
    const sent = JSON.parse(body);
    assertEquals(Object.keys(sent).sort(), [
      "channel",
      "html",
      "id",
      "subject",
      "text",
      "to",
    ]);
    assertEquals(sent.to, "judy@example.com");
    const [, timestamp, hex] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(
      signature ?? "",
    )!;
    assertEquals(hex, await signatureOf(timestamp, body));
    assertEquals(await listOutboxEntries(service.kv), []);
  } finally {
    await receiver.stop();
  }
});

Deno.test("after the last failed attempt a message moves to the dead letters, not away", async () => {
  const receiver = startReceiver();
  using service = await serviceSendingTo(receiver.url);
  const clock = service.clock;
  try {
    await service.request(
      "/v1/accounts",
      json({ accountId: "mallory@example.com", passcode: strongPasscode }),
    );
    for (let attempt = 2; attempt <= maxDeliveryAttempts; attempt++) {
      clock.advanceSeconds(2 * 60 * 60);
      assertEquals(await service.sweepOutbox(), { delivered: 0, failed: 1 });
    }
    assertEquals(await listOutboxEntries(service.kv), []);
    const [dead] = await listDeadLetters(service.kv);
    assertEquals(dead.attempts, maxDeliveryAttempts);
    assertEquals(dead.message.to, "mallory@example.com");
  } finally {
    await receiver.stop();
  }
});

Deno.test("racing sweeps deliver one entry once", async () => {
  let deliveries = 0;
  using service = await createTestService({
    env: { CAPTCHA_MODE: "off" },
    transport: async () => {
      deliveries++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (deliveries === 1) throw new Error("first attempt fails");
    },
  });
  await service.request(
    "/v1/accounts",
    json({ accountId: "niaj@example.com", passcode: strongPasscode }),
  );
  service.clock.advanceSeconds(60);
  const results = await Promise.all(
    Array.from({ length: 5 }, () => service.sweepOutbox()),
  );
  assertEquals(results.reduce((sum, result) => sum + result.delivered, 0), 1);
  assertEquals(deliveries, 2);
});

Deno.test("retry delays grow exponentially with jitter, capped at an hour", () => {
  assertEquals(retryDelayMs(1, 0.5), 30_000);
  assertEquals(retryDelayMs(2, 0.5), 60_000);
  assertEquals(retryDelayMs(20, 0.5), 60 * 60 * 1000);
  assert(retryDelayMs(1, 0) < retryDelayMs(1, 1));
});
