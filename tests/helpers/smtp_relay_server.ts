/**
 * The SMTP server of the e-mail tests' relay (smtp-server from npm), listening on
 * 127.0.0.1 with STARTTLS and the fixture's certificate. Each message offered is handed,
 * raw, to `answer`, which accepts it or names the refusal's code. Used in the test
 * process, or in a process of its own where the test's Deno cannot upgrade a server
 * socket (see smtp_relay.ts).
 */
// @ts-types="@types/smtp-server"
import { SMTPServer } from "smtp-server";

const fixtures = new URL("../fixtures/smtp/", import.meta.url);
/** The authority that issued the relay's certificate, for the client to trust. */
export const relayAuthority = Deno.readTextFileSync(
  new URL("ca.cert.pem", fixtures),
);

/** A listening relay server. */
export interface RelayServer {
  port: number;
  close(): Promise<void>;
}

/**
 * How the relay protects a connection: upgraded with STARTTLS (`smtp://`), TLS from the
 * start (`smtps://`), or not at all (`smtp://`, STARTTLS not offered).
 */
export type RelaySecurity = "starttls" | "tls" | "plain";

/** Starts the server at a free port; `answer` returns a 4xx or 5xx code to refuse. */
export async function listenRelayServer(
  security: RelaySecurity,
  answer: (raw: string) => Promise<number | null>,
): Promise<RelayServer> {
  const server = new SMTPServer({
    authOptional: true,
    // Its own name, so it does not ask the system for one.
    name: "relay.test",
    key: Deno.readTextFileSync(new URL("localhost.key.pem", fixtures)),
    cert: Deno.readTextFileSync(new URL("localhost.cert.pem", fixtures)),
    secure: security === "tls",
    disabledCommands: security === "plain" ? ["STARTTLS"] : [],
    logger: false,
    onData(stream, _session, callback) {
      let raw = "";
      stream.setEncoding("utf8");
      stream.on("data", (chunk: string) => raw += chunk);
      stream.on("end", async () => {
        const refusal = await answer(raw);
        if (refusal === null) return callback();
        callback(Object.assign(new Error("refused for the test"), {
          responseCode: refusal,
        }));
      });
    },
  });
  // A client that gives up (a refused TLS upgrade, say) is the test's business.
  server.on("error", () => {});
  await new Promise<void>((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve())
  );
  const { port } = server.server.address() as { port: number };
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The lines of a byte stream, as they arrive (the relay process's protocol). */
export async function* lines(
  stream: ReadableStream<Uint8Array>,
): AsyncGenerator<string> {
  let buffered = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    buffered += chunk;
    for (let end; (end = buffered.indexOf("\n")) >= 0;) {
      yield buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
    }
  }
}
