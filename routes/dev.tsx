/** Development-only routes: the outbox of sent messages. Not mounted in production. */
import { Hono } from "hono";
import { accepts } from "hono/accepts";
import { raw } from "hono/html";
import { secureHeaders } from "hono/secure-headers";
import { findDevMailboxMessage, listDevMailbox } from "../kv/outbox.ts";
import { ApiError } from "../lib/runtime/errors.ts";
import type { Deps } from "../lib/deps.ts";
import type { AppEnv } from "./env.ts";
import { pathParameters } from "./validation.ts";
import { z } from "zod";
import { isoText } from "./iso_time.ts";

/** The outbox page: the pages' policy, and its own frames for the HTML parts. */
const outboxSecureHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", "data:"],
    frameSrc: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
  },
  referrerPolicy: "no-referrer",
  crossOriginResourcePolicy: "same-origin",
  xFrameOptions: "DENY",
});

/**
 * An e-mail's HTML part as a mail client shows it: inline styles (which is what e-mail
 * has), no scripts, nothing loaded, sandboxed, framed only by the outbox page.
 */
const htmlPartSecureHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    styleSrc: ["'unsafe-inline'"],
    frameAncestors: ["'self'"],
    baseUri: ["'none'"],
    sandbox: [],
  },
  referrerPolicy: "no-referrer",
  crossOriginResourcePolicy: "same-origin",
  xFrameOptions: "SAMEORIGIN",
});

const messageId = pathParameters(
  z.object({ id: z.string().regex(/^[0-9a-f]{16,64}$/) }),
);

const shownMessages = 50;

/** Mounted at `/dev` when `APP_ENV=development`. */
export function devRoutes({ kv }: Deps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/outbox/:id/html", htmlPartSecureHeaders, messageId, async (c) => {
    const message = await findDevMailboxMessage(kv, c.req.valid("param").id);
    if (!message?.html) throw new ApiError("not_found");
    return c.html(message.html);
  });
  // The pages' policy: its own stylesheets, nothing inline.
  return app.get("/outbox", outboxSecureHeaders, async (c) => {
    const messages = (await listDevMailbox(kv, shownMessages)).map((
      message,
    ) => ({
      id: message.id,
      to: message.to,
      channel: message.channel,
      subject: message.subject,
      text: message.text,
      hasHtml: message.html !== undefined,
      createdAt: isoText(message.createdAt),
    }));
    const type = accepts(c, {
      header: "Accept",
      supports: ["application/json", "text/html"],
      default: "application/json",
    });
    if (type !== "text/html") {
      return c.json(messages.map(({ hasHtml: _, ...message }) => message));
    }
    return c.html(
      <>
        {raw("<!DOCTYPE html>")}
        <html lang="en">
          <head>
            <meta charset="utf-8" />
            <meta
              name="viewport"
              content="width=device-width, initial-scale=1"
            />
            <title>Development outbox</title>
            <link rel="icon" href="/favicon.ico" />
            {/* Unversioned: revalidated, and this page exists only in development. */}
            <link rel="stylesheet" href="/assets/brand.css" />
            <link rel="stylesheet" href="/assets/styles.css" />
          </head>
          <body>
            <main class="wide outbox">
              <div class="page-head">
                <h1>Development outbox</h1>
                <p class="muted">
                  Messages the service sent, newest first. This page exists only
                  with APP_ENV=development.
                </p>
              </div>
              {messages.length === 0
                ? <p class="card empty">No messages yet.</p>
                : null}
              {messages.map((message) => (
                <article class="card message">
                  <h2>{message.subject}</h2>
                  <p class="muted small">
                    To <strong>{message.to}</strong> by {message.channel} at
                    {" "}
                    <time datetime={message.createdAt}>
                      {message.createdAt}
                    </time>
                  </p>
                  <div class="message-parts">
                    <pre>{message.text}</pre>
                    {message.hasHtml && (
                      <iframe
                        src={`/dev/outbox/${message.id}/html`}
                        sandbox=""
                        title={`HTML part: ${message.subject}`}
                        loading="lazy"
                      />
                    )}
                  </div>
                </article>
              ))}
            </main>
          </body>
        </html>
      </>,
    );
  });
}
