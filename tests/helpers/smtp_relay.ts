/**
 * A real SMTP server (smtp-server from npm) on loopback, for the e-mail tests: it
 * accepts, or refuses with the answers it is told to give first, and keeps what it
 * accepted, parsed by mailparser.
 */
// @ts-types="@types/smtp-server"
import { SMTPServer } from "smtp-server";
// @ts-types="@types/mailparser"
import { type ParsedMail, simpleParser } from "mailparser";

const fixtures = new URL("../fixtures/smtp/", import.meta.url);
/** The relay's certificate, for the client to trust. */
export const relayCertificate = Deno.readTextFileSync(
  new URL("localhost.cert.pem", fixtures),
);

/** The running relay. */
export interface SmtpRelay extends AsyncDisposable {
  url: string;
  /** Messages accepted, in order. */
  accepted: ParsedMail[];
  /** How many messages were offered, accepted or not. */
  offered: number;
}

/** Options of {@link startSmtpRelay}. */
export interface SmtpRelayOptions {
  /** Whether STARTTLS is offered (with the fixture's certificate). */
  starttls?: boolean;
  /** Answer codes (4xx, 5xx) for the first messages offered, one each. */
  refusals?: number[];
}

/** Starts a relay on 127.0.0.1 at a free port. */
export async function startSmtpRelay(
  options: SmtpRelayOptions = {},
): Promise<SmtpRelay> {
  const refusals = [...(options.refusals ?? [])];
  const relay: SmtpRelay = {
    url: "",
    accepted: [],
    offered: 0,
    async [Symbol.asyncDispose]() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = new SMTPServer({
    authOptional: true,
    // Its own name, so it does not ask the system for one.
    name: "relay.test",
    key: Deno.readTextFileSync(new URL("localhost.key.pem", fixtures)),
    cert: relayCertificate,
    disabledCommands: options.starttls === false ? ["STARTTLS"] : [],
    logger: false,
    onData(stream, _session, callback) {
      let raw = "";
      stream.setEncoding("utf8");
      stream.on("data", (chunk: string) => raw += chunk);
      stream.on("end", async () => {
        relay.offered++;
        const refusal = refusals.shift();
        if (refusal) {
          const error = Object.assign(new Error("refused for the test"), {
            responseCode: refusal,
          });
          return callback(error);
        }
        relay.accepted.push(await simpleParser(raw));
        callback();
      });
    },
  });
  // A client that gives up (a refused TLS upgrade, say) is the test's business.
  server.on("error", () => {});
  await new Promise<void>((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve())
  );
  const { port } = server.server.address() as { port: number };
  relay.url = `smtp://127.0.0.1:${port}`;
  return relay;
}
