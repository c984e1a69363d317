/**
 * Every environment setting of the service, validated in one place.
 *
 * Production refuses to start with one message naming every missing or invalid setting;
 * development fills secrets from KV (see `kv/development_secrets.ts`, `lib/crypto/secrets.ts`) and says so loudly.
 */
import { z } from "zod";
import type { RateLimitRule } from "../../kv/rate_limits.ts";
import { parseRateLimitRule } from "./rate_limit_rule.ts";
import { fromBase64Url } from "./encoding.ts";

/** The secrets a production deployment must provide. */
export interface Secrets {
  /** JSON array of private JWKs; the first signs, all are published for rotation. */
  jwtSigningKeys: string;
  /** Root HMAC key (base64url, ≥ 32 bytes); purpose keys are derived from it with HKDF. */
  hmacKey: string;
  /** AES-256-GCM key (base64url, 32 bytes) for secrets at rest, such as TOTP seeds. */
  dataEncryptionKey: string;
}

/** The validated configuration. */
export interface Config {
  appEnv: "development" | "production";
  port: number;
  /** Allowed origins; the first is the public one used in links and cookies. */
  appOrigins: string[];
  rpId: string;
  rpName: string;
  /** Whether WebAuthn must prove user verification (PIN or biometric), or only prefer it. */
  webauthnUserVerification: "required" | "preferred";
  /** `undefined` means Deno's default database (the managed one on Deno Deploy). */
  kvPath: string | undefined;
  captchaMode: "always" | "adaptive" | "off";
  /** Upper bound of the proof-of-work counter: the expected work is half of it. */
  captchaMaxNumber: number;
  rateLimits: {
    login: RateLimitRule;
    register: RateLimitRule;
    recovery: RateLimitRule;
    captcha: RateLimitRule;
    code: RateLimitRule;
    /** Per account, not per IP: security changes of one signed-in account. */
    security: RateLimitRule;
  };
  /** The least time a recovery answer takes, so its timing says nothing; 0 is off. */
  recoveryAnswerFloorMs: number;
  /** Whether new passcodes are checked against a breach corpus, and where. */
  breachedPasscodeCheck: "hibp" | "off";
  breachedPasscodeRangeUrl: string;
  jwtAlgorithm: "EdDSA" | "ES256";
  sessionAbsoluteSeconds: number;
  sessionIdleSeconds: number;
  /** How long one confirmation spares a session's security changes a second factor. */
  confirmationWindowSeconds: number;
  /**
   * How many reverse proxies in front of the service append to `X-Forwarded-For`; 0
   * trusts the connection's address only (a client can write any header it likes).
   */
  trustedProxyHops: number;
  messageTransport: "dev" | "webhook" | "smtp";
  /** With `smtp`: the relay (`smtps://user:pass@host:465`, `smtp://…:587`) and sender. */
  smtpUrl: string | undefined;
  /** STARTTLS (or TLS from the start) is required, unless `SMTP_TLS=off` in development. */
  smtpRequireTls: boolean;
  messageFrom: string | undefined;
  messageWebhookUrl: string | undefined;
  messageWebhookSecret: string | undefined;
  /** Secrets not set in the environment; filled from KV in development only. */
  secrets: Partial<Secrets>;
  /** How the pages present the service: name, colour, and a logo file of the project. */
  brand: {
    name: string;
    /** `#rrggbb`; the pages derive their palette from it. */
    color: string;
    /** A square SVG or PNG under the project folder; the pages draw a mark without it. */
    logoPath: string | undefined;
  };
}

/** Start-up refused: `issues` lists every bad setting, one per line. */
export class ConfigError extends Error {
  override name = "ConfigError";
  constructor(readonly issues: string[]) {
    super(
      `Invalid configuration, the service will not start:\n${
        issues.map((issue) => `  - ${issue}`).join("\n")
      }`,
    );
  }
}

const rateLimitSetting = (fallback: string) =>
  z.string().default(fallback).transform((text, ctx) => {
    const rule = parseRateLimitRule(text);
    if (!rule) {
      ctx.addIssue({ code: "custom", message: "must look like 10/60s" });
      return z.NEVER;
    }
    return rule;
  });

const integer = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const base64UrlKey = (minBytes: number) =>
  z.string().refine(
    (text) => (fromBase64Url(text)?.length ?? 0) >= minBytes,
    `must be base64url of at least ${minBytes} random bytes`,
  );

const signingKeys = z.string().refine((text) => {
  try {
    const keys = JSON.parse(text);
    return Array.isArray(keys) && keys.length > 0 &&
      keys.every((key) =>
        typeof key === "object" && typeof key.kid === "string" &&
        typeof key.d === "string"
      );
  } catch {
    return false;
  }
}, "must be a JSON array of private JWKs, each with a kid");

/** Settings a production start-up cannot do without. */
const productionRequired = [
  "APP_ORIGIN",
  "RP_ID",
  "JWT_SIGNING_KEYS",
  "HMAC_KEY",
  "DATA_ENCRYPTION_KEY",
] as const;

const environmentSchema = z.object({
  APP_ENV: z.enum(["development", "production"]).default("production"),
  PORT: integer(8000, 1, 65535),
  APP_ORIGIN: z.string().optional(),
  RP_ID: z.string().regex(/^[a-z0-9.-]+$/, "must be a host name").optional(),
  RP_NAME: z.string().min(1).max(64).default("Exchange Login"),
  BRAND_NAME: z.string().trim().min(1).max(40).default("Exchange"),
  BRAND_COLOR: z.string().regex(/^#[0-9a-fA-F]{6}$/, "must look like #2f5bea")
    .default("#2f5bea"),
  // Read at start with the tasks' --allow-read=. and served from this origin.
  BRAND_LOGO: z.string().regex(
    /^(?!\/)(?!.*\.\.)[\w./-]+\.(svg|png)$/,
    "must be a .svg or .png file inside the project folder, like static/logo.svg",
  ).optional(),
  WEBAUTHN_USER_VERIFICATION: z.enum(["required", "preferred"]).default(
    "required",
  ),
  DENO_KV_PATH: z.string().min(1).optional(),
  CAPTCHA_MODE: z.enum(["always", "adaptive", "off"]).default("always"),
  CAPTCHA_MAX_NUMBER: integer(20_000, 10, 10_000_000),
  RATE_LIMIT_LOGIN: rateLimitSetting("10/60s"),
  RATE_LIMIT_REGISTER: rateLimitSetting("5/60s"),
  RATE_LIMIT_RECOVERY: rateLimitSetting("5/60s"),
  RATE_LIMIT_CAPTCHA: rateLimitSetting("30/60s"),
  RATE_LIMIT_CODE: rateLimitSetting("20/60s"),
  RATE_LIMIT_SECURITY: rateLimitSetting("10/60s"),
  RECOVERY_ANSWER_FLOOR_MS: integer(100, 0, 5000),
  BREACHED_PASSCODE_CHECK: z.enum(["hibp", "off"]).optional(),
  BREACHED_PASSCODE_RANGE_URL: z.url({ protocol: /^https?$/ }).default(
    "https://api.pwnedpasswords.com/range/",
  ),
  JWT_ALG: z.enum(["EdDSA", "ES256"]).default("EdDSA"),
  // NIST SP 800-63B AAL2: reauthenticate after 12 hours, or 30 minutes of inactivity.
  SESSION_ABSOLUTE_SECONDS: integer(12 * 60 * 60, 60, 30 * 24 * 60 * 60),
  SESSION_IDLE_SECONDS: integer(30 * 60, 60, 24 * 60 * 60),
  // API.md, Session: one confirmation opens 5 minutes of changes; at most 30.
  CONFIRMATION_WINDOW_SECONDS: integer(5 * 60, 60, 30 * 60),
  TRUSTED_PROXY: integer(0, 0, 5),
  MESSAGE_TRANSPORT: z.enum(["dev", "webhook", "smtp"]).optional(),
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  SMTP_TLS: z.enum(["on", "off"]).default("on"),
  MESSAGE_FROM: z.string().max(320).regex(
    /^([^<>@\s][^<>@]*<)?[^<>@\s]+@[^<>@\s]+\.[^<>@\s]+>?$/,
    "must be an address, optionally with a name: Exchange <security@example.com>",
  ).optional(),
  MESSAGE_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  MESSAGE_WEBHOOK_SECRET: z.string().min(32, "must be at least 32 characters")
    .optional(),
  JWT_SIGNING_KEYS: signingKeys.optional(),
  HMAC_KEY: base64UrlKey(32).optional(),
  DATA_ENCRYPTION_KEY: base64UrlKey(32).refine(
    (text) => fromBase64Url(text)?.length === 32,
    "must be exactly 32 bytes",
  ).optional(),
});

/** Environment variables as a plain record (Deno.env.toObject() in production). */
export type Environment = Record<string, string | undefined>;

/**
 * Validates the environment and applies development defaults.
 *
 * @throws {ConfigError} naming every missing or invalid setting at once.
 */
export function loadConfig(environment: Environment): Config {
  const cleaned = Object.fromEntries(
    Object.entries(environment).filter(([, value]) => value !== ""),
  );
  const development = cleaned.APP_ENV === "development";
  const issues: string[] = [];
  if (!development) {
    for (const name of productionRequired) {
      if (cleaned[name] === undefined) {
        issues.push(`${name}: required when APP_ENV=production`);
      }
    }
  }
  const parsed = environmentSchema.safeParse(cleaned);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      issues.push(`${String(issue.path[0])}: ${issue.message}`);
    }
    throw new ConfigError(issues);
  }
  const env = parsed.data;

  const appOrigins = (env.APP_ORIGIN ?? `http://localhost:${env.PORT}`)
    .split(",").map((text) => text.trim());
  for (const text of appOrigins) {
    if (!isOrigin(text)) {
      issues.push(
        `APP_ORIGIN: "${text}" is not an origin like https://login.example.com (comma-separated, no path)`,
      );
    } else if (!development && !text.startsWith("https://")) {
      issues.push(`APP_ORIGIN: "${text}" must use https in production`);
    }
  }
  if (env.CAPTCHA_MODE === "off" && !development) {
    issues.push("CAPTCHA_MODE: off is only allowed with APP_ENV=development");
  }
  const messageTransport = env.MESSAGE_TRANSPORT ??
    (development ? "dev" : "webhook");
  if (messageTransport === "dev" && !development) {
    issues.push(
      "MESSAGE_TRANSPORT: dev keeps messages in KV and is only allowed with APP_ENV=development",
    );
  }
  if (messageTransport === "webhook") {
    for (const name of ["MESSAGE_WEBHOOK_URL", "MESSAGE_WEBHOOK_SECRET"]) {
      if (cleaned[name] === undefined) {
        issues.push(`${name}: required by MESSAGE_TRANSPORT=webhook`);
      }
    }
  }
  if (messageTransport === "smtp") {
    for (const name of ["SMTP_URL", "MESSAGE_FROM"]) {
      if (cleaned[name] === undefined) {
        issues.push(`${name}: required by MESSAGE_TRANSPORT=smtp`);
      }
    }
    // Texts leave through the webhook (SMTP carries e-mail): both of its settings or none.
    if (
      (cleaned.MESSAGE_WEBHOOK_URL === undefined) !==
        (cleaned.MESSAGE_WEBHOOK_SECRET === undefined)
    ) {
      issues.push(
        "MESSAGE_WEBHOOK_URL: with MESSAGE_TRANSPORT=smtp, set it and MESSAGE_WEBHOOK_SECRET together (texts go through the webhook), or neither",
      );
    }
  }
  if (env.SMTP_TLS === "off" && !development) {
    issues.push("SMTP_TLS: off is only allowed with APP_ENV=development");
  }
  if (issues.length > 0) throw new ConfigError([...new Set(issues)]);

  const secrets: Partial<Secrets> = {};
  if (env.JWT_SIGNING_KEYS) secrets.jwtSigningKeys = env.JWT_SIGNING_KEYS;
  if (env.HMAC_KEY) secrets.hmacKey = env.HMAC_KEY;
  if (env.DATA_ENCRYPTION_KEY) {
    secrets.dataEncryptionKey = env.DATA_ENCRYPTION_KEY;
  }
  return {
    appEnv: env.APP_ENV,
    port: env.PORT,
    appOrigins,
    rpId: env.RP_ID ?? "localhost",
    rpName: env.RP_NAME,
    webauthnUserVerification: env.WEBAUTHN_USER_VERIFICATION,
    kvPath: env.DENO_KV_PATH,
    captchaMode: env.CAPTCHA_MODE,
    captchaMaxNumber: env.CAPTCHA_MAX_NUMBER,
    rateLimits: {
      login: env.RATE_LIMIT_LOGIN,
      register: env.RATE_LIMIT_REGISTER,
      recovery: env.RATE_LIMIT_RECOVERY,
      captcha: env.RATE_LIMIT_CAPTCHA,
      code: env.RATE_LIMIT_CODE,
      security: env.RATE_LIMIT_SECURITY,
    },
    recoveryAnswerFloorMs: env.RECOVERY_ANSWER_FLOOR_MS,
    // Development works offline by default; production asks the corpus.
    breachedPasscodeCheck: env.BREACHED_PASSCODE_CHECK ??
      (development ? "off" : "hibp"),
    breachedPasscodeRangeUrl: env.BREACHED_PASSCODE_RANGE_URL,
    jwtAlgorithm: env.JWT_ALG,
    sessionAbsoluteSeconds: env.SESSION_ABSOLUTE_SECONDS,
    sessionIdleSeconds: env.SESSION_IDLE_SECONDS,
    confirmationWindowSeconds: env.CONFIRMATION_WINDOW_SECONDS,
    trustedProxyHops: env.TRUSTED_PROXY,
    messageTransport,
    smtpUrl: env.SMTP_URL,
    smtpRequireTls: env.SMTP_TLS === "on",
    messageFrom: env.MESSAGE_FROM,
    messageWebhookUrl: env.MESSAGE_WEBHOOK_URL,
    messageWebhookSecret: env.MESSAGE_WEBHOOK_SECRET,
    secrets,
    brand: {
      name: env.BRAND_NAME,
      color: env.BRAND_COLOR.toLowerCase(),
      logoPath: env.BRAND_LOGO,
    },
  };
}

function isOrigin(text: string): boolean {
  try {
    const url = new URL(text);
    return url.origin === text && /^https?:$/.test(url.protocol);
  } catch {
    return false;
  }
}
