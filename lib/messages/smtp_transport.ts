/**
 * E-mail through an SMTP relay (RFC 5321), sent with nodemailer. The relay's answer
 * decides: a 4xx or 5xx refusal, a refused TLS upgrade or a timeout throws, and the
 * outbox retries with its backoff and dead-letters after its last attempt, exactly as
 * for the webhook. The outbox entry's id becomes the `Message-ID`, so a retried
 * delivery that did arrive the first time is recognisable as the same message.
 */
import { lazy } from "../runtime/lazy.ts";
import type { MessageTransport } from "./message_transport.ts";

/** The SMTP client, loaded with the first e-mail (a session check never needs it). */
// @ts-types="@types/nodemailer"
const mailer = lazy(() => import("nodemailer"));

/** Options of {@link createSmtpTransport}. */
export interface SmtpTransportOptions {
  /** `smtps://user:pass@host:465` (TLS from the start) or `smtp://user:pass@host:587`. */
  url: string;
  /**
   * Refuse a relay that does not upgrade a `smtp://` connection with STARTTLS (RFC
   * 3207): without it the codes in our messages would cross the network in clear.
   * Off only in development, for a local catcher.
   */
  requireTls: boolean;
  /** The sender: `Exchange <security@example.com>`. */
  from: string;
  /** A certificate authority to trust besides the system's (a private relay, tests). */
  ca?: string;
  /** A relay slower than this fails the attempt; the outbox tries again later. */
  timeoutMs?: number;
}

/** The domain of the sender's address, for `Message-ID`s (RFC 5322 §3.6.4). */
function senderDomain(from: string): string {
  return /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? "localhost";
}

/** A transport for e-mail; a text message (`sms`) is refused, the relay cannot send it. */
export function createSmtpTransport(
  options: SmtpTransportOptions,
): MessageTransport {
  const { url, requireTls, from, ca, timeoutMs = 10_000 } = options;
  const relayUrl = new URL(url);
  const secure = relayUrl.protocol === "smtps:";
  const domain = senderDomain(from);
  const relay = lazy(async () =>
    (await mailer()).default.createTransport({
      host: relayUrl.hostname.replace(/^\[|\]$/g, ""),
      port: Number(relayUrl.port) || (secure ? 465 : 587),
      secure,
      auth: relayUrl.username
        ? {
          user: decodeURIComponent(relayUrl.username),
          pass: decodeURIComponent(relayUrl.password),
        }
        : undefined,
      // The EHLO name: the sender's domain, not the machine's (which the service is not
      // allowed to ask the system for, and which says nothing a relay needs to know).
      name: domain,
      requireTLS: requireTls && !secure,
      ignoreTLS: !requireTls,
      tls: ca ? { ca } : undefined,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
    })
  );
  return async function smtpTransport(message) {
    if (message.channel !== "email") {
      throw new Error(`the SMTP relay sends e-mail, not ${message.channel}`);
    }
    await (await relay()).sendMail({
      from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      messageId: `<${message.id}@${domain}>`,
    });
  };
}
