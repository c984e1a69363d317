/**
 * The service's own metrics, for operators watching credential stuffing, lockouts and
 * a stuck outbox as they happen (OpenTelemetry, through `@opentelemetry/api`). With
 * `OTEL_DENO=true` Deno registers its meter provider and exports them over OTLP with
 * its own traces (Deno Deploy collects them natively); otherwise the API's no-op meter
 * makes every call a few nanoseconds.
 *
 * Attributes are counts and outcomes from closed sets only: never an account ID, an
 * address, a user agent or anything else a request carries, so the metrics hold no
 * personal data and cannot grow a series per attacker.
 */
import { metrics } from "@opentelemetry/api";

const meter = metrics.getMeter("exchange-login");

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
