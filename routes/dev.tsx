/** Development-only routes: the outbox of sent messages. Not mounted in production. */
import { Hono } from "hono";
import { accepts } from "hono/accepts";
import { listDevMailbox } from "../kv/outbox.ts";
import type { Deps } from "../lib/deps.ts";
import type { AppEnv } from "./env.ts";

const shownMessages = 50;

/** Mounted at `/dev` when `APP_ENV=development`. */
export function devRoutes({ kv }: Deps): Hono<AppEnv> {
  return new Hono<AppEnv>().get("/outbox", async (c) => {
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
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>Development outbox</title>
        </head>
        <body>
          <main>
            <h1>Development outbox</h1>
            <p>
              Messages the service sent, newest first. This page exists only
              with APP_ENV=development.
            </p>
            {messages.length === 0 ? <p>No messages yet.</p> : null}
            {messages.map((message) => (
              <article>
                <h2>{message.subject}</h2>
                <p>
                  To {message.to} by {message.channel} at {message.createdAt}
                </p>
                <pre>{message.text}</pre>
              </article>
            ))}
          </main>
        </body>
      </html>,
    );
  });
}
