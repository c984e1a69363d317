/** The real app on an in-memory KV, a test clock and a recording message transport. */
import { solveChallenge } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/sha";
import { loadConfig, type Secrets } from "../../lib/runtime/config.ts";
import { type Assets, openAssets } from "../../lib/runtime/assets.ts";
import type { Log } from "../../lib/runtime/log_writer.ts";
import { generateSecrets } from "../../lib/crypto/keyring.ts";
import type { Message } from "../../lib/messages/messages.ts";
import {
  createDevTransport,
  type MessageTransport,
} from "../../lib/messages/message_transport.ts";
import { cryptoRandom } from "../../lib/runtime/random.ts";
import { type AppOptions, createApp, type Service } from "../../routes/app.ts";
import { createTestClock, type TestClock } from "./clock.ts";
import { totpCodeAt } from "../../lib/crypto/totp.ts";
import { findAccountByAccountId } from "../../kv/accounts.ts";
import { listSecurityEvents } from "../../kv/security_events.ts";
import { type Contract, contractOf } from "./contract.ts";

let sharedSecrets: Promise<Secrets> | undefined;
let sharedAssets: Promise<() => Promise<Assets>> | undefined;

/** What a test gets: the service, its clock, KV, sent messages and log lines. */
export interface TestService extends Service {
  clock: TestClock;
  kv: Deno.Kv;
  sent: Message[];
  logs: Record<string, unknown>[];
  /** The `__Host-device` cookie of the test's browser, as the helpers keep it. */
  browser: { deviceCookie: string | null };
  /**
   * `app.request` with a client address, as Deno.serve would pass it. Every answer is
   * checked against the service's OpenAPI document (status, headers, body schema);
   * what does not conform is kept in `contractFailures`, and `close()` (or the end of
   * a `using` block) fails the test with the list.
   */
  request(path: string, init?: RequestInit, ip?: string): Promise<Response>;
  /** The service's own OpenAPI document, as a contract. */
  contract: Contract;
  /** Answers so far that the document does not describe, one line each. */
  contractFailures: string[];
  close(): void;
}

/** Options: environment overrides and replaced dependencies. */
export interface TestServiceOptions {
  env?: Record<string, string>;
  transport?: MessageTransport;
  /** A clock shared with something built before the service (a transport). */
  clock?: TestClock;
  /** Deliver through the development transport (KV mailbox) too, not only record. */
  useDevTransport?: boolean;
  overrides?: Partial<AppOptions>;
  /** What the app gets in place of the test's KV (a recording wrapper of it). */
  wrapKv?: (kv: Deno.Kv) => Deno.Kv;
}

/** Builds a fresh service; call `close()` (or use `using`) when done. */
export async function createTestService(
  options: TestServiceOptions = {},
): Promise<TestService & Disposable> {
  const config = loadConfig({
    APP_ENV: "development",
    // Small proof-of-work: the tests solve many challenges.
    CAPTCHA_MAX_NUMBER: "200",
    // Per-IP limits out of the way, except where a test sets them to test them.
    RATE_LIMIT_LOGIN: "100000/60s",
    RATE_LIMIT_REGISTER: "100000/60s",
    RATE_LIMIT_RECOVERY: "100000/60s",
    RATE_LIMIT_CAPTCHA: "100000/60s",
    RATE_LIMIT_CODE: "100000/60s",
    RATE_LIMIT_SECURITY: "100000/60s",
    // No floor under recovery answers, except where a test sets one to test it.
    RECOVERY_ANSWER_FLOOR_MS: "0",
    ...options.env,
  });
  const kv = await Deno.openKv(":memory:");
  const clock = options.clock ?? createTestClock();
  const sent: Message[] = [];
  const logs: Record<string, unknown>[] = [];
  const log: Log = (record) => logs.push(record);
  sharedSecrets ??= generateSecrets("EdDSA", cryptoRandom);
  const devTransport = options.useDevTransport ? createDevTransport(kv) : null;
  // A start that fails (a brand logo that cannot be read), or routes that cannot be
  // built for the document, close what they opened.
  const started = createApp({
    kv: options.wrapKv?.(kv) ?? kv,
    clock,
    random: cryptoRandom,
    config,
    secrets: await sharedSecrets,
    transport: options.transport ?? (async (message) => {
      sent.push(message);
      if (devTransport) await devTransport(message);
    }),
    log,
    assets: await (sharedAssets ??= openAssets(
      new URL("../../build/", import.meta.url),
    )),
    ...options.overrides,
  }).then(async (service) => ({
    service,
    document: await service.openApiDocument(),
  }));
  const { service, document } = await started.catch((error) => {
    kv.close();
    throw error;
  });
  const contract = contractOf(document);
  const contractFailures: string[] = [];
  let closed = false;
  const close = () => {
    if (!closed) kv.close();
    closed = true;
    if (contractFailures.length > 0) {
      const failures = contractFailures.splice(0);
      throw new Error(
        `${failures.length} answer(s) do not conform to /openapi.json:\n- ${
          failures.join("\n- ")
        }`,
      );
    }
  };
  return {
    ...service,
    clock,
    kv,
    sent,
    logs,
    browser: { deviceCookie: null },
    async request(path, init, ip = "198.51.100.7") {
      const response = await service.app.request(
        path,
        init as Parameters<typeof service.app.request>[1],
        { remoteAddr: { hostname: ip } },
      );
      const failure = await contract.check(
        (init?.method ?? "GET").toUpperCase(),
        path,
        response.clone(),
      );
      if (failure) {
        contractFailures.push(failure);
        // After close() nothing would report it.
        if (closed) close();
      }
      return response;
    },
    contract,
    contractFailures,
    close,
    [Symbol.dispose]: close,
  };
}

/** A JSON POST (or other method) request init. */
export function json(
  body: unknown,
  method = "POST",
  headers: Record<string, string> = {},
): RequestInit {
  return {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  };
}

/** Fetches a challenge and solves it, as the widget would; returns the payload. */
export async function solveCaptcha(service: TestService): Promise<string> {
  const challenge = await (await service.request("/v1/captcha")).json();
  const solution = await solveChallenge({ challenge, deriveKey });
  if (!solution) throw new Error("could not solve the CAPTCHA");
  return btoa(JSON.stringify({ challenge, solution }));
}

/** The six-digit code in the newest message to `to`. */
export function lastCodeSentTo(service: TestService, to: string): string {
  const message = service.sent.findLast((message) => message.to === to);
  const code = message?.text.match(/\b(\d{6})\b/)?.[1];
  if (!code) throw new Error(`no code was sent to ${to}`);
  return code;
}

/** A passcode the policy accepts. */
export const strongPasscode = "correct horse battery staple 42!";

/** Registers and verifies an account; returns its account ID. */
export async function registerAccount(
  service: TestService,
  accountId = `user${crypto.randomUUID().slice(0, 8)}@example.com`,
  passcode = strongPasscode,
  /** Sent with both requests (a language, say). */
  headers: Record<string, string> = {},
): Promise<string> {
  const started = await service.request(
    "/v1/accounts",
    json(
      { accountId, passcode, captcha: await solveCaptcha(service) },
      "POST",
      headers,
    ),
  );
  if (started.status !== 202) {
    throw new Error(`registration: ${started.status} ${await started.text()}`);
  }
  const verified = await service.request(
    "/v1/accounts/verify",
    json(
      { accountId, code: lastCodeSentTo(service, accountId) },
      "POST",
      { ...browserHeaders(service), ...headers },
    ),
  );
  keepDeviceCookie(service, verified);
  if (verified.status !== 200) {
    throw new Error(
      `verification: ${verified.status} ${await verified.text()}`,
    );
  }
  return accountId;
}

/** The first login of an account: passcode, TOTP enrollment, first code. */
export async function enrollAndLogIn(
  service: TestService,
  accountId: string,
  options: { transport?: "token" | "cookie"; ip?: string } = {},
): Promise<{
  secret: string;
  backupCodes: string[];
  body: Record<string, unknown>;
  response: Response;
}> {
  const ticket = await passcodeStep(service, accountId, options.ip);
  const enrollment = await (await service.request(
    "/v1/login/totp/enroll",
    json({ ticket: ticket.ticket }),
    options.ip,
  )).json();
  const response = await service.request(
    "/v1/login/totp",
    json({
      ticket: ticket.ticket,
      code: totpCodeAt(enrollment.secret, service.clock.now()),
      transport: options.transport ?? "token",
    }),
    options.ip,
  );
  const body = await response.json();
  if (response.status !== 200) {
    throw new Error(
      `enrollment login: ${response.status} ${JSON.stringify(body)}`,
    );
  }
  keepDeviceCookie(service, response);
  return {
    secret: enrollment.secret,
    backupCodes: body.backupCodes,
    body,
    response,
  };
}

/**
 * Step 1 of a login from the test's browser; a new-device code, when asked for, is read
 * from the sent messages and entered, as the owner would. Returns the ticket state.
 */
export async function passcodeStep(
  service: TestService,
  accountId: string,
  ip?: string,
  passcode = strongPasscode,
): Promise<{ ticket: string; requires: string[]; methods: string[] }> {
  const response = await service.request(
    "/v1/login",
    json(
      { accountId, passcode, captcha: await solveCaptcha(service) },
      "POST",
      browserHeaders(service),
    ),
    ip,
  );
  const body = await response.json();
  if (response.status !== 200) {
    throw new Error(`login: ${response.status} ${JSON.stringify(body)}`);
  }
  if (!body.requires.includes("device_verification")) return body;
  const verified = await service.request(
    "/v1/login/device",
    json({ ticket: body.ticket, code: lastCodeSentTo(service, accountId) }),
    ip,
  );
  const state = await verified.json();
  if (verified.status !== 200) {
    throw new Error(`device: ${verified.status} ${JSON.stringify(state)}`);
  }
  return state;
}

/** Headers of the test's browser: its device cookie, when it has one. */
export function browserHeaders(service: TestService): Record<string, string> {
  return service.browser.deviceCookie
    ? { cookie: `__Host-device=${service.browser.deviceCookie}` }
    : {};
}

/** Keeps a `__Host-device` cookie the response sets, as a browser would. */
export function keepDeviceCookie(
  service: TestService,
  response: Response,
): void {
  for (const line of response.headers.getSetCookie()) {
    const match = /^__Host-device=([^;]+)/.exec(line);
    if (match) service.browser.deviceCookie = match[1];
  }
}

/**
 * A later login of an enrolled account from the test's browser, at the next TOTP step
 * (so the code is no replay). Returns the `Authorization` header of the new session.
 */
export async function signInAgain(
  service: TestService,
  accountId: string,
  secret: string,
): Promise<{ authorization: string }> {
  service.clock.advanceSeconds(30);
  const ticket = await passcodeStep(service, accountId);
  const response = await service.request(
    "/v1/login/totp",
    json({
      ticket: ticket.ticket,
      code: totpCodeAt(secret, service.clock.now()),
      transport: "token",
    }),
  );
  if (response.status !== 200) {
    throw new Error(`login: ${response.status} ${await response.text()}`);
  }
  return { authorization: `Bearer ${(await response.json()).accessToken}` };
}

/**
 * A registered, enrolled account signed in twice from the test's browser: `first` (the
 * enrolling login) and `second` (a later one), as `Authorization` headers.
 */
export async function signedInTwice(service: TestService): Promise<{
  accountId: string;
  secret: string;
  first: { authorization: string };
  second: { authorization: string };
}> {
  const accountId = await registerAccount(service);
  const { secret, body } = await enrollAndLogIn(service, accountId);
  const first = { authorization: `Bearer ${body.accessToken}` };
  const second = await signInAgain(service, accountId, secret);
  return { accountId, secret, first, second };
}

/**
 * A TOTP code of the next time step (the clock moves 30 seconds), so it is never a
 * replay of a code the test used before.
 */
export function freshTotp(service: TestService, secret: string): string {
  service.clock.advanceSeconds(30);
  return totpCodeAt(secret, service.clock.now());
}

/** The types of an account's security events, newest first. */
export async function eventTypes(
  service: TestService,
  accountId: string,
): Promise<string[]> {
  const account = await findAccountByAccountId(service.kv, accountId);
  if (!account) throw new Error(`no account ${accountId}`);
  const { events } = await listSecurityEvents(service.kv, account.value.id, {
    limit: 1000,
    notBefore: 0,
  });
  return events.map((event) => event.type);
}

/**
 * Step 1 of a login from a stranger's browser (no device cookie) with this passcode;
 * the problem `code` of the refusal, or "accepted" when the passcode was right.
 */
export async function passcodeVerdict(
  service: TestService,
  accountId: string,
  passcode: string,
): Promise<string> {
  const response = await service.request(
    "/v1/login",
    json({ accountId, passcode, captcha: await solveCaptcha(service) }),
  );
  const body = await response.json();
  return response.ok ? "accepted" : body.code;
}

/**
 * `POST /v1/recovery` with a solved CAPTCHA; resolves once the code (sent in the
 * background, so timing tells nothing) has been delivered.
 */
export async function requestRecovery(
  service: TestService,
  accountId: string,
): Promise<Response> {
  const response = await service.request(
    "/v1/recovery",
    json({ accountId, captcha: await solveCaptcha(service) }),
  );
  await service.deps.deliverer.settled();
  return response;
}
