/** Development-only routes: the outbox of sent messages. Not mounted in production. */
import { Hono } from "hono";
import { accepts } from "hono/accepts";
import { raw } from "hono/html";
import { listDevMailbox } from "../kv/outbox.ts";
import type { Deps } from "../lib/deps.ts";
import type { AppEnv } from "./env.ts";
import { pageSecureHeaders } from "./pages/routes.tsx";

const shownMessages = 50;

/** Mounted at `/dev` when `APP_ENV=development`. */
export function devRoutes({ kv }: Deps): Hono<AppEnv> {
  // The pages' policy: its own stylesheets, nothing inline.
  return new Hono<AppEnv>().get("/outbox", pageSecureHeaders, async (c) => {
    const messages = (await listDevMailbox(kv, shownMessages)).map((
      message,
    ) => ({
      id: message.id,
      to: message.to,
      channel: message.channel,
      subject: message.subject,
      text: message.text,
      createdAt: new Date(message.createdAt).toISOString(),
    }));
    const type = accepts(c, {
      header: "Accept",
      supports: ["application/json", "text/html"],
      default: "application/json",
    });
    if (type !== "text/html") return c.json(messages);
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
                  <pre>{message.text}</pre>
                </article>
              ))}
            </main>
          </body>
        </html>
      </>,
    );
  });
}
