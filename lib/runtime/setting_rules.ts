/**
 * The rules an environment setting can follow, for `config.ts`. Plain functions rather
 * than a schema library: the configuration is read before the first answer, and a
 * schema library's import and first compile cost a cold start more than all of this
 * (bench/NOTES.md, "What the start still costs").
 */
import type { RateLimitRule } from "../../kv/rate_limits.ts";
import { fromBase64Url } from "./encoding.ts";
import { parseRateLimitRule } from "./rate_limit_rule.ts";

/** A value that breaks its rule, in the words the start-up refusal prints. */
export class Broken {
  constructor(readonly message: string) {}
}

/** Reads one setting's text: its value, or how it breaks the rule. */
export type Rule<T> = (text: string) => T | Broken;

/** One of a fixed set of words. */
export const oneOf = <T extends string>(...options: T[]): Rule<T> => (text) =>
  (options as string[]).includes(text)
    ? text as T
    : new Broken(`must be one of ${options.join(", ")}`);

/** A whole number from `min` to `max`. */
export const integer = (min: number, max: number): Rule<number> => (text) => {
  const digits = text.trim();
  const value = Number(digits);
  return /^\d+$/.test(digits) && value >= min && value <= max
    ? value
    : new Broken(`must be a whole number from ${min} to ${max}`);
};

/** Text that matches `pattern` (whole), at most `maxLength` characters. */
export const matching =
  (pattern: RegExp, message: string, maxLength = 1024): Rule<string> =>
  (text) =>
    text.length <= maxLength && pattern.test(text) ? text : new Broken(message);

/** Text of `min` to `max` characters after trimming; the trimmed text is the value. */
export const trimmedText =
  (min: number, max: number): Rule<string> => (text) => {
    const trimmed = text.trim();
    return trimmed.length >= min && trimmed.length <= max
      ? trimmed
      : new Broken(`must be ${min} to ${max} characters`);
  };

/** A URL of one of `schemes`, like `https` or `smtps`. */
export const url = (...schemes: string[]): Rule<string> => (text) => {
  const parsed = URL.parse(text);
  return parsed && schemes.includes(parsed.protocol.slice(0, -1))
    ? text
    : new Broken(`must be a URL starting with ${schemes.join(":// or ")}://`);
};

/** A per-IP budget, `N/Ts`. */
export const rateLimit: Rule<RateLimitRule> = (text) =>
  parseRateLimitRule(text) ?? new Broken("must look like 10/60s");

/** A key in base64url: at least `minBytes` bytes, exactly that many with `exact`. */
export const base64UrlKey =
  (minBytes: number, exact = false): Rule<string> => (text) => {
    const length = fromBase64Url(text)?.length ?? 0;
    if (length < minBytes) {
      return new Broken(
        `must be base64url of at least ${minBytes} random bytes`,
      );
    }
    return exact && length !== minBytes
      ? new Broken(`must be exactly ${minBytes} bytes`)
      : text;
  };

/** A JSON array of private JWKs, each with a `kid`. */
export const signingKeys: Rule<string> = (text) => {
  try {
    const keys = JSON.parse(text);
    if (
      Array.isArray(keys) && keys.length > 0 &&
      keys.every((key) =>
        typeof key === "object" && key !== null &&
        typeof key.kid === "string" && typeof key.d === "string"
      )
    ) return text;
  } catch {
    // Not JSON: the refusal below says what it must be.
  }
  return new Broken("must be a JSON array of private JWKs, each with a kid");
};
