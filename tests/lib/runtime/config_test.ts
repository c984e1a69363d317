import { ConfigError, loadConfig } from "../../../lib/runtime/config.ts";
import { assert, assertEquals } from "../../helpers/assert.ts";

function refusal(environment: Record<string, string>): string[] {
  try {
    loadConfig(environment);
  } catch (error) {
    assert(error instanceof ConfigError);
    return error.issues;
  }
  throw new Error("the configuration was accepted");
}

Deno.test("production start-up is refused with every missing setting named at once", () => {
  const issues = refusal({});
  for (
    const name of [
      "APP_ORIGIN",
      "RP_ID",
      "JWT_SIGNING_KEYS",
      "HMAC_KEY",
      "DATA_ENCRYPTION_KEY",
      "MESSAGE_WEBHOOK_URL",
      "MESSAGE_WEBHOOK_SECRET",
    ]
  ) {
    assert(
      issues.some((issue) => issue.startsWith(`${name}:`)),
      `${name} not named in ${issues.join("; ")}`,
    );
  }
});

Deno.test("invalid settings are named with the rule they break", () => {
  const issues = refusal({
    APP_ENV: "development",
    PORT: "http",
    RATE_LIMIT_LOGIN: "ten per minute",
    HMAC_KEY: "short",
  });
  assert(issues.some((issue) => issue.startsWith("PORT:")));
  assert(
    issues.some((issue) => issue === "RATE_LIMIT_LOGIN: must look like 10/60s"),
  );
  assert(issues.some((issue) => issue.startsWith("HMAC_KEY:")));
});

Deno.test("each rule's refusal says what the setting must be", () => {
  const key = (bytes: number) =>
    btoa("k".repeat(bytes)).replaceAll("+", "-").replaceAll("/", "_")
      .replaceAll("=", "");
  assertEquals(
    refusal({
      APP_ENV: "development",
      PORT: "70000",
      SESSION_IDLE_SECONDS: "1.5",
      JWT_ALG: "RS256",
      BRAND_NAME: "   ",
      SMTP_URL: "https://relay.example",
      MESSAGE_WEBHOOK_SECRET: "short",
      JWT_SIGNING_KEYS: '[{"kty":"OKP"}]',
      DATA_ENCRYPTION_KEY: key(48),
    }),
    [
      "PORT: must be a whole number from 1 to 65535",
      "BRAND_NAME: must be 1 to 40 characters",
      "JWT_ALG: must be one of EdDSA, ES256",
      "SESSION_IDLE_SECONDS: must be a whole number from 60 to 86400",
      "SMTP_URL: must be a URL starting with smtps:// or smtp://",
      "MESSAGE_WEBHOOK_SECRET: must be at least 32 characters",
      "JWT_SIGNING_KEYS: must be a JSON array of private JWKs, each with a kid",
      "DATA_ENCRYPTION_KEY: must be exactly 32 bytes",
    ],
  );
});

Deno.test("CAPTCHA_MODE=off, http origins and the dev transport are refused in production", () => {
  const issues = refusal({
    CAPTCHA_MODE: "off",
    APP_ORIGIN: "http://login.example.com",
    MESSAGE_TRANSPORT: "dev",
  });
  assert(issues.some((issue) => issue.startsWith("CAPTCHA_MODE:")));
  assert(issues.some((issue) => issue.includes("must use https")));
  assert(issues.some((issue) => issue.startsWith("MESSAGE_TRANSPORT:")));
});

Deno.test("development has working defaults and honours what the environment sets", () => {
  const defaults = loadConfig({ APP_ENV: "development" });
  assertEquals(defaults.port, 8000);
  assertEquals(defaults.appOrigins, ["http://localhost:8000"]);
  assertEquals(defaults.rpId, "localhost");
  assertEquals(defaults.captchaMode, "always");
  assertEquals(defaults.messageTransport, "dev");
  assertEquals(defaults.rateLimits.login, { limit: 10, windowSeconds: 60 });
  assertEquals(defaults.rateLimits.register, { limit: 5, windowSeconds: 60 });
  assertEquals(defaults.rateLimits.captcha, { limit: 30, windowSeconds: 60 });
  assertEquals(defaults.rateLimits.code, { limit: 20, windowSeconds: 60 });
  assertEquals(defaults.sessionAbsoluteSeconds, 12 * 60 * 60);
  assertEquals(defaults.sessionIdleSeconds, 30 * 60);
  assertEquals(defaults.secrets, {});
  assertEquals(defaults.brand, {
    name: "Exchange",
    color: "#2f5bea",
    logoPath: undefined,
  });
  assertEquals(defaults.jwtAlgorithm, "EdDSA");
  assertEquals(
    defaults.breachedPasscodeRangeUrl,
    "https://api.pwnedpasswords.com/range/",
  );

  const set = loadConfig({
    APP_ENV: "development",
    PORT: "9001",
    RATE_LIMIT_RECOVERY: "3/120s",
    BRAND_NAME: "  Northwind  ",
    TRUSTED_PROXY: " 2 ",
    APP_ORIGIN: "http://localhost:9001, http://127.0.0.1:9001",
  });
  assertEquals(set.appOrigins, [
    "http://localhost:9001",
    "http://127.0.0.1:9001",
  ]);
  assertEquals(set.rateLimits.recovery, { limit: 3, windowSeconds: 120 });
  assertEquals(set.brand.name, "Northwind");
  assertEquals(set.trustedProxyHops, 2);
});
