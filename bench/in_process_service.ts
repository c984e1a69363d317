/**
 * The real app in the benchmark's own process (`createApp`, a temporary file KV under
 * .data/, real Argon2id, the development mailbox as transport, rate limits and the
 * CAPTCHA lifted), driven through `app.request`: the service's own work, without a
 * network's noise. Used by bench/account_timing.ts and bench/memory_phases.ts.
 */
import { generateSecrets } from "../lib/crypto/keyring.ts";
import { totpCodeAt } from "../lib/crypto/totp.ts";
import type { Message } from "../lib/messages/messages.ts";
import { createDevTransport } from "../lib/messages/message_transport.ts";
import { openAssets } from "../lib/runtime/assets.ts";
import { systemClock } from "../lib/runtime/clock.ts";
import { loadConfig } from "../lib/runtime/config.ts";
import { cryptoRandom } from "../lib/runtime/random.ts";
import { createApp, type Service } from "../routes/app.ts";

/** The passcode every benchmark account has. */
export const benchPasscode = "correct horse battery staple 42!";
const unlimited = "999999/1s";

/** A JSON answer. */
export interface Answer {
  status: number;
  // deno-lint-ignore no-explicit-any
  body: any;
}

/** The app, ways to drive it, and its end. */
export interface InProcessService extends AsyncDisposable {
  service: Service;
  /** A JSON request from 203.0.113.9. */
  request(
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
    method?: string,
  ): Promise<Answer>;
  /** The 6-digit code in the last message to `to`. */
  codeSentTo(to: string): string;
  /** Registers an account and signs in with a new authenticator. */
  enrolled(accountId: string): Promise<{
    authorization: string;
    backupCodes: string[];
    secret: string;
  }>;
}

/** Starts the app on a fresh temporary KV file. */
export async function startInProcessService(): Promise<InProcessService> {
  await Deno.mkdir(".data", { recursive: true });
  const kvPath = `.data/bench-${crypto.randomUUID()}.sqlite3`;
  const kv = await Deno.openKv(kvPath);
  const sent: Message[] = [];
  const mailbox = createDevTransport(kv);
  const service = await createApp({
    kv,
    clock: systemClock,
    random: cryptoRandom,
    config: loadConfig({
      APP_ENV: "development",
      CAPTCHA_MODE: "off",
      RATE_LIMIT_LOGIN: unlimited,
      RATE_LIMIT_REGISTER: unlimited,
      RATE_LIMIT_RECOVERY: unlimited,
      RATE_LIMIT_CAPTCHA: unlimited,
      RATE_LIMIT_CODE: unlimited,
      RATE_LIMIT_SECURITY: unlimited,
    }),
    secrets: await generateSecrets("EdDSA", cryptoRandom),
    transport: async (message) => {
      sent.push(message);
      await mailbox(message);
    },
    log: () => {},
    assets: await openAssets(new URL("../build/", import.meta.url)),
  });
  const request: InProcessService["request"] = async (
    path,
    body,
    headers = {},
    method = body === undefined ? "GET" : "POST",
  ) => {
    const response = await service.app.request(path, {
      method,
      headers: body === undefined
        ? headers
        : { "content-type": "application/json", ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    }, { remoteAddr: { hostname: "203.0.113.9" } });
    const text = await response.text();
    const json = response.headers.get("content-type")?.includes("json");
    return {
      status: response.status,
      body: json && text ? JSON.parse(text) : text,
    };
  };
  const codeSentTo = (to: string) =>
    /\b(\d{6})\b/.exec(sent.findLast((message) => message.to === to)!.text)![1];
  const enrolled: InProcessService["enrolled"] = async (accountId) => {
    await request("/v1/accounts", { accountId, passcode: benchPasscode });
    await request("/v1/accounts/verify", {
      accountId,
      code: codeSentTo(accountId),
    });
    const { body: ticket } = await request("/v1/login", {
      accountId,
      passcode: benchPasscode,
    });
    await request("/v1/login/device", {
      ticket: ticket.ticket,
      code: codeSentTo(accountId),
    });
    const { body: enrollment } = await request("/v1/login/totp/enroll", {
      ticket: ticket.ticket,
    });
    const { body: session } = await request("/v1/login/totp", {
      ticket: ticket.ticket,
      code: totpCodeAt(enrollment.secret, Date.now()),
      transport: "token",
    });
    return {
      authorization: `Bearer ${session.accessToken}`,
      backupCodes: session.backupCodes as string[],
      secret: enrollment.secret as string,
    };
  };
  return {
    service,
    request,
    codeSentTo,
    enrolled,
    async [Symbol.asyncDispose]() {
      await service.deps.deliverer.settled();
      kv.close();
      for (const suffix of ["", "-shm", "-wal"]) {
        await Deno.remove(kvPath + suffix).catch(() => {});
      }
    },
  };
}
