/**
 * The relay server in a process of its own, for a test on a Deno that cannot upgrade a
 * server socket to TLS. It prints `{"port"}` once listening, then one `{"raw"}` line per
 * message offered, and answers that message as the next line on stdin says
 * (`{"refusal": 451}` or `{"refusal": null}`). Ends when stdin closes.
 *
 * Argument: the relay's security (`starttls`, `tls` or `plain`).
 */
import {
  lines,
  listenRelayServer,
  type RelaySecurity,
} from "./smtp_relay_server.ts";

const answers = lines(Deno.stdin.readable);
const server = await listenRelayServer(
  Deno.args[0] as RelaySecurity,
  async (raw) => {
    console.log(JSON.stringify({ raw }));
    const { value } = await answers.next();
    return value === undefined ? 421 : JSON.parse(value).refusal;
  },
);
console.log(JSON.stringify({ port: server.port }));
