/**
 * A real SMTP server (smtp-server from npm) on loopback, for the e-mail tests: it
 * accepts, or refuses with the answers it is told to give first, and keeps what it
 * accepted, parsed by mailparser.
 */
// @ts-types="@types/mailparser"
import { type ParsedMail, simpleParser } from "mailparser";
import {
  lines,
  listenRelayServer,
  type RelaySecurity,
  type RelayServer,
} from "./smtp_relay_server.ts";

export { relayAuthority } from "./smtp_relay_server.ts";

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
  /** How connections are protected (with the fixture's certificate); STARTTLS unless set. */
  security?: RelaySecurity;
  /** Answer codes (4xx, 5xx) for the first messages offered, one each. */
  refusals?: number[];
}

/**
 * Deno before 2.7 cannot be smtp-server's TLS side: it starts a client's handshake on a
 * socket it upgrades (denoland/deno#31759) and lacks `TLSSocket.getProtocol`. CI also
 * runs the tests on 2.5.7, Deno Deploy's line, where the service is only ever the
 * client (which works there, STARTTLS and smtps alike); there the relay runs in a
 * process of the Deno that `.ci/run` installed first, named by `SMTP_RELAY_DENO`.
 */
const [major, minor] = Deno.version.deno.split(".").map(Number);
const servesTls = major > 2 || (major === 2 && minor >= 7);

/** The relay server in a process of a newer Deno (see smtp_relay_process.ts). */
async function spawnRelayServer(
  security: RelaySecurity,
  answer: (raw: string) => Promise<number | null>,
): Promise<RelayServer> {
  const deno = Deno.env.get("SMTP_RELAY_DENO");
  if (!deno) {
    throw new Error(
      `Deno ${Deno.version.deno} cannot run a TLS relay; set SMTP_RELAY_DENO to a Deno 2.7 or later`,
    );
  }
  const child = new Deno.Command(deno, {
    args: [
      "run",
      "--allow-read",
      "--allow-net=127.0.0.1",
      new URL("smtp_relay_process.ts", import.meta.url).pathname,
      security,
    ],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const writer = child.stdin.getWriter();
  const output = lines(child.stdout);
  const first = await output.next();
  if (first.done) throw new Error("the relay process ended before listening");
  const { port } = JSON.parse(first.value);
  const answering = (async () => {
    for await (const line of output) {
      const refusal = await answer(JSON.parse(line).raw);
      await writer.write(new TextEncoder().encode(
        JSON.stringify({ refusal }) + "\n",
      ));
    }
  })();
  return {
    port,
    async close() {
      await writer.close();
      child.kill();
      await child.status;
      await answering;
    },
  };
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
    [Symbol.asyncDispose]: () => server.close(),
  };
  const answer = async (raw: string) => {
    relay.offered++;
    const refusal = refusals.shift();
    if (refusal) return refusal;
    relay.accepted.push(await simpleParser(raw));
    return null;
  };
  const security = options.security ?? "starttls";
  const server = servesTls
    ? await listenRelayServer(security, answer)
    : await spawnRelayServer(security, answer);
  relay.url = `${
    security === "tls" ? "smtps" : "smtp"
  }://127.0.0.1:${server.port}`;
  return relay;
}
