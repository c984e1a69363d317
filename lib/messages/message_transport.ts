/**
 * How messages leave the service: the edge of the world, and the one thing tests fake.
 * A transport throws when delivery failed; the outbox then retries with backoff.
 */
import { putDevMailboxMessage } from "../../kv/outbox.ts";
import type { Message } from "./messages.ts";
import { toHex, utf8 } from "../runtime/encoding.ts";
import type { Clock } from "../runtime/clock.ts";

/** Sends one message; throws on failure. */
export type MessageTransport = (message: Message) => Promise<void>;

/** Development: messages are kept in KV and shown at `GET /dev/outbox`. */
export function createDevTransport(kv: Deno.Kv): MessageTransport {
  return async function devTransport(message) {
    await putDevMailboxMessage(kv, message);
  };
}

/** Options of {@link createWebhookTransport}. */
export interface WebhookTransportOptions {
  url: string;
  secret: string;
  clock: Clock;
  /** Injected for tests; the global `fetch` otherwise. */
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** The header carrying `t=<unix seconds>,v1=<hex HMAC-SHA-256 of "t.body">`. */
export const webhookSignatureHeader = "X-Login-Signature";

/**
 * Production: POSTs `{id, channel, to, subject, text}` as JSON to a provider bridge.
 *
 * The signature covers a timestamp and the exact body (the scheme Stripe and Svix use),
 * so the receiver can refuse forgeries and replays older than its tolerance. The
 * message id doubles as an idempotency key for a receiver that sees a retry.
 */
export function createWebhookTransport(
  options: WebhookTransportOptions,
): MessageTransport {
  const { url, secret, clock, timeoutMs = 10_000 } = options;
  const send = options.fetch ?? fetch;
  const keyPromise = crypto.subtle.importKey(
    "raw",
    utf8(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return async function webhookTransport(message) {
    const body = JSON.stringify({
      id: message.id,
      channel: message.channel,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
    });
    const timestamp = Math.floor(clock.now() / 1000);
    const signature = toHex(
      new Uint8Array(
        await crypto.subtle.sign(
          "HMAC",
          await keyPromise,
          utf8(`${timestamp}.${body}`),
        ),
      ),
    );
    const response = await send(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "idempotency-key": message.id,
        [webhookSignatureHeader]: `t=${timestamp},v1=${signature}`,
      },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    if (!response.ok) {
      throw new Error(`webhook answered ${response.status}`);
    }
  };
}

/**
 * One transport per channel: e-mail through one (an SMTP relay), texts through another
 * (the webhook). A channel without a transport throws, and its messages wait in the
 * outbox, then in the dead letters, for an operator.
 */
export function routeByChannel(
  transports: { email: MessageTransport; sms: MessageTransport | null },
): MessageTransport {
  return async function channelRouter(message) {
    const transport = transports[message.channel];
    if (!transport) {
      throw new Error(`no transport is configured for ${message.channel}`);
    }
    await transport(message);
  };
}
