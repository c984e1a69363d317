/**
 * Every environment setting of the service, validated in one place.
 *
 * Production refuses to start with one message naming every missing or invalid setting;
 * development fills secrets from KV (see `kv/development_secrets.ts`, `lib/crypto/secrets.ts`) and says so loudly.
 */
import type { RateLimitRule } from "../../kv/rate_limits.ts";
import {
  base64UrlKey,
  Broken,
  integer,
  matching,
  oneOf,
  rateLimit,
  type Rule,
  signingKeys,
  trimmedText,
  url,
} from "./setting_rules.ts";

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

/** Settings a production start-up cannot do without. */
const productionRequired = [
  "APP_ORIGIN",
  "RP_ID",
  "JWT_SIGNING_KEYS",
  "HMAC_KEY",
  "DATA_ENCRYPTION_KEY",
] as const;

/** Reads every setting by its rule, the fallback text where it is not set. */
function readSettings(environment: Environment, issues: string[]) {
  function setting<T>(name: string, rule: Rule<T>): T | undefined;
  function setting<T>(name: string, rule: Rule<T>, fallback: string): T;
  function setting<T>(name: string, rule: Rule<T>, fallback?: string) {
    const text = environment[name] ?? fallback;
    if (text === undefined) return undefined;
    const value = rule(text);
    if (!(value instanceof Broken)) return value;
    issues.push(`${name}: ${value.message}`);
  }
  const minute = 60, hour = 60 * minute, day = 24 * hour;
  return {
    APP_ENV: setting(
      "APP_ENV",
      oneOf("development", "production"),
      "production",
    ),
    PORT: setting("PORT", integer(1, 65535), "8000"),
    APP_ORIGIN: environment.APP_ORIGIN,
    RP_ID: setting("RP_ID", matching(/^[a-z0-9.-]+$/, "must be a host name")),
    RP_NAME: setting("RP_NAME", trimmedText(1, 64), "Exchange Login"),
    BRAND_NAME: setting("BRAND_NAME", trimmedText(1, 40), "Exchange"),
    BRAND_COLOR: setting(
      "BRAND_COLOR",
      matching(/^#[0-9a-fA-F]{6}$/, "must look like #2f5bea"),
      "#2f5bea",
    ),
    // Read at start with the tasks' --allow-read=. and served from this origin.
    BRAND_LOGO: setting(
      "BRAND_LOGO",
      matching(
        /^(?!\/)(?!.*\.\.)[\w./-]+\.(svg|png)$/,
        "must be a .svg or .png file inside the project folder, like static/logo.svg",
      ),
    ),
    WEBAUTHN_USER_VERIFICATION: setting(
      "WEBAUTHN_USER_VERIFICATION",
      oneOf("required", "preferred"),
      "required",
    ),
    DENO_KV_PATH: environment.DENO_KV_PATH,
    CAPTCHA_MODE: setting(
      "CAPTCHA_MODE",
      oneOf("always", "adaptive", "off"),
      "always",
    ),
    CAPTCHA_MAX_NUMBER: setting(
      "CAPTCHA_MAX_NUMBER",
      integer(10, 10_000_000),
      "20000",
    ),
    RATE_LIMIT_LOGIN: setting("RATE_LIMIT_LOGIN", rateLimit, "10/60s"),
    RATE_LIMIT_REGISTER: setting("RATE_LIMIT_REGISTER", rateLimit, "5/60s"),
    RATE_LIMIT_RECOVERY: setting("RATE_LIMIT_RECOVERY", rateLimit, "5/60s"),
    RATE_LIMIT_CAPTCHA: setting("RATE_LIMIT_CAPTCHA", rateLimit, "30/60s"),
    RATE_LIMIT_CODE: setting("RATE_LIMIT_CODE", rateLimit, "20/60s"),
    RATE_LIMIT_SECURITY: setting("RATE_LIMIT_SECURITY", rateLimit, "10/60s"),
    RECOVERY_ANSWER_FLOOR_MS: setting(
      "RECOVERY_ANSWER_FLOOR_MS",
      integer(0, 5000),
      "100",
    ),
    BREACHED_PASSCODE_CHECK: setting(
      "BREACHED_PASSCODE_CHECK",
      oneOf("hibp", "off"),
    ),
    BREACHED_PASSCODE_RANGE_URL: setting(
      "BREACHED_PASSCODE_RANGE_URL",
      url("https", "http"),
      "https://api.pwnedpasswords.com/range/",
    ),
    JWT_ALG: setting("JWT_ALG", oneOf("EdDSA", "ES256"), "EdDSA"),
    // NIST SP 800-63B AAL2: reauthenticate after 12 hours, or 30 minutes of inactivity.
    SESSION_ABSOLUTE_SECONDS: setting(
      "SESSION_ABSOLUTE_SECONDS",
      integer(minute, 30 * day),
      String(12 * hour),
    ),
    SESSION_IDLE_SECONDS: setting(
      "SESSION_IDLE_SECONDS",
      integer(minute, day),
      String(30 * minute),
    ),
    // API.md, Session: one confirmation opens 5 minutes of changes; at most 30.
    CONFIRMATION_WINDOW_SECONDS: setting(
      "CONFIRMATION_WINDOW_SECONDS",
      integer(minute, 30 * minute),
      String(5 * minute),
    ),
    TRUSTED_PROXY: setting("TRUSTED_PROXY", integer(0, 5), "0"),
    MESSAGE_TRANSPORT: setting(
      "MESSAGE_TRANSPORT",
      oneOf("dev", "webhook", "smtp"),
    ),
    SMTP_URL: setting("SMTP_URL", url("smtps", "smtp")),
    SMTP_TLS: setting("SMTP_TLS", oneOf("on", "off"), "on"),
    MESSAGE_FROM: setting(
      "MESSAGE_FROM",
      matching(
        /^([^<>@\s][^<>@]*<)?[^<>@\s]+@[^<>@\s]+\.[^<>@\s]+>?$/,
        "must be an address, optionally with a name: Exchange <security@example.com>",
        320,
      ),
    ),
    MESSAGE_WEBHOOK_URL: setting("MESSAGE_WEBHOOK_URL", url("https", "http")),
    MESSAGE_WEBHOOK_SECRET: setting(
      "MESSAGE_WEBHOOK_SECRET",
      matching(/^[^]{32,}$/, "must be at least 32 characters"),
    ),
    JWT_SIGNING_KEYS: setting("JWT_SIGNING_KEYS", signingKeys),
    HMAC_KEY: setting("HMAC_KEY", base64UrlKey(32)),
    DATA_ENCRYPTION_KEY: setting("DATA_ENCRYPTION_KEY", base64UrlKey(32, true)),
  };
}

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
  const broken: string[] = [];
  const env = readSettings(cleaned, broken);
  // The checks below read the values: a setting that breaks its rule stops here.
  if (broken.length > 0) throw new ConfigError([...issues, ...broken]);

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
