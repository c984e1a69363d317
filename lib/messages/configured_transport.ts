/** The message transport the configuration names (`MESSAGE_TRANSPORT`). */
import type { Clock } from "../runtime/clock.ts";
import type { Config } from "../runtime/config.ts";
import type { Log } from "../runtime/log_writer.ts";
import {
  createDevTransport,
  createWebhookTransport,
  type MessageTransport,
  routeByChannel,
} from "./message_transport.ts";
import { createSmtpTransport } from "./smtp_transport.ts";

/**
 * `dev` keeps messages in KV; `webhook` posts every message to the provider bridge;
 * `smtp` sends e-mail through the relay and texts through the webhook, when one is set.
 */
export function configuredTransport(
  config: Config,
  kv: Deno.Kv,
  clock: Clock,
  log: Log,
): MessageTransport {
  if (config.messageTransport === "dev") return createDevTransport(kv);
  const webhook = config.messageWebhookUrl
    ? createWebhookTransport({
      url: config.messageWebhookUrl,
      secret: config.messageWebhookSecret!,
      clock,
    })
    : null;
  if (config.messageTransport === "webhook") return webhook!;
  if (!webhook) {
    log({
      level: "warn",
      msg:
        "MESSAGE_TRANSPORT=smtp without MESSAGE_WEBHOOK_URL: texts to phone account IDs cannot be sent and will wait in the dead letters",
    });
  }
  return routeByChannel({
    email: createSmtpTransport({
      url: config.smtpUrl!,
      requireTls: config.smtpRequireTls,
      from: config.messageFrom!,
    }),
    sms: webhook,
  });
}
