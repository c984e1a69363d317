/**
 * The service's own metrics, for operators watching credential stuffing, lockouts and
 * a stuck outbox as they happen (OpenTelemetry, through `@opentelemetry/api`). With
 * `OTEL_DENO=true` Deno registers its meter provider and exports them over OTLP with
 * its own traces (Deno Deploy collects them natively), and main.ts loads the API
 * ({@link startTelemetry}); otherwise it is never imported (about 45 ms of a cold
 * start) and every instrument is a call that does nothing.
 *
 * Attributes are counts and outcomes from closed sets only: never an account ID, an
 * address, a user agent or anything else a request carries, so the metrics hold no
 * personal data and cannot grow a series per attacker.
 */
import type { Attributes, Meter } from "@opentelemetry/api";

type Api = typeof import("@opentelemetry/api");
let api: Api | null = null;

/** What the service records with: a count added to, or a value recorded. */
interface Instrument {
  add(value: number, attributes?: Attributes): void;
  record(value: number, attributes?: Attributes): void;
}

/** Instruments made once the API is loaded; until then their calls do nothing. */
const connect: ((meter: Meter) => void)[] = [];

function instrument(
  make: (meter: Meter) => Partial<Instrument>,
): Pick<Instrument, "add" | "record"> {
  let real: Partial<Instrument> | null = null;
  connect.push((meter) => real = make(meter));
  return {
    add: (value, attributes) => real?.add?.(value, attributes),
    record: (value, attributes) => real?.record?.(value, attributes),
  };
}

const meter = {
  createCounter: (name: string, options: { description: string }) =>
    instrument((meter) => meter.createCounter(name, options)),
  createGauge: (name: string, options: { description: string }) =>
    instrument((meter) => meter.createGauge(name, options)),
};

/** Loads the OpenTelemetry API and connects the instruments: with `OTEL_DENO=true`. */
export async function startTelemetry(): Promise<void> {
  api ??= await import("@opentelemetry/api");
  const meter = api.metrics.getMeter("exchange-login");
  for (const connectTo of connect.splice(0)) connectTo(meter);
}

/** The trace of Deno's span for the current request, when telemetry is on. */
export function activeTraceId(): string | undefined {
  return api?.trace.getActiveSpan()?.spanContext().traceId;
}

/** Answers of the sign-in steps: `step` (passcode, totp, …) and `outcome` (ok or a problem code). */
export const signInAttempts = meter.createCounter("login.sign_in.attempts", {
  description: "Answers of the sign-in steps, by step and outcome",
});

/** Locks set: `kind` is `sign_in` or `step_up`. */
export const lockouts = meter.createCounter("login.lockouts", {
  description: "Account locks set after 5 failures, by kind",
});

/** Requests refused for a spent budget: `bucket` as in the RATE_LIMIT_* settings. */
export const rateLimitRefusals = meter.createCounter(
  "login.rate_limit.refusals",
  { description: "Requests refused with 429, by budget" },
);

/** CAPTCHA payloads missing or wrong: `reason` is `required` or `invalid`. */
export const captchaFailures = meter.createCounter("login.captcha.failures", {
  description: "CAPTCHA payloads refused, by reason",
});

/** Step-ups: `operation` (`issue`, `redeem`) and `outcome` (ok or a problem code). */
export const stepUps = meter.createCounter("login.step_up.requests", {
  description: "Action tokens issued and redeemed, by outcome",
});

/** Session checks (`GET /v1/session`) by `outcome`. */
export const sessionChecks = meter.createCounter("login.session.checks", {
  description: "Session checks, by outcome",
});

/** Delivery attempts by `outcome`: `delivered`, `failed` or `dead_lettered`. */
export const deliveries = meter.createCounter("login.outbox.deliveries", {
  description: "Message delivery attempts, by outcome",
});

/** Messages waiting in the outbox, counted at each sweep (up to 1,000). */
export const outboxBacklog = meter.createGauge("login.outbox.backlog", {
  description: "Messages waiting for delivery when the sweep ran",
});
