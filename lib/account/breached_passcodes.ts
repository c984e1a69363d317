/**
 * The breached-passcode check (OWASP ASVS 6.2.12, NIST SP 800-63B 3.1.1.2: refuse
 * passcodes known from breaches), through the Have I Been Pwned range API with
 * k-anonymity: only the first 5 hex digits of the passcode's SHA-1 leave the service,
 * and the answer lists every suffix of that range, so the service (not the API) decides.
 * `Add-Padding` makes every answer about the same size, so the range cannot be guessed
 * from the traffic either.
 *
 * It fails open: an unreachable or slow API must not stop people from registering or
 * recovering, so any failure is logged as a warning and the passcode counts as unknown.
 */
import type { Log } from "../runtime/log_writer.ts";

/** Whether a passcode appears in the breach corpus; false when the API cannot say. */
export type BreachedPasscodeCheck = (passcode: string) => Promise<boolean>;

/** How the check reaches the range API. */
export interface RangeApiOptions {
  /** The range endpoint; the 5-hex prefix is appended (`…/range/` + `ABCDE`). */
  rangeUrl: string;
  /** An answer later than this counts as no answer (the check fails open). */
  timeoutMs: number;
  log: Log;
}

/** A check against the HIBP range API, or a mirror of it at `rangeUrl`. */
export function createRangeApiCheck(
  options: RangeApiOptions,
): BreachedPasscodeCheck {
  const { rangeUrl, timeoutMs, log } = options;
  return async function isBreachedPasscode(passcode) {
    const digest = await crypto.subtle.digest(
      "SHA-1",
      new TextEncoder().encode(passcode),
    );
    const hex = [...new Uint8Array(digest)]
      .map((byte) => byte.toString(16).padStart(2, "0")).join("").toUpperCase();
    const prefix = hex.slice(0, 5);
    const suffix = hex.slice(5);
    try {
      const response = await fetch(rangeUrl + prefix, {
        headers: { "Add-Padding": "true" },
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!response.ok) {
        await response.body?.cancel();
        throw new Error(`HTTP ${response.status}`);
      }
      // Lines are `SUFFIX:COUNT`; padding lines have a count of 0.
      for (const line of (await response.text()).split("\n")) {
        const [candidate, count] = line.trim().split(":");
        if (candidate === suffix && Number(count) > 0) return true;
      }
      return false;
    } catch (error) {
      log({
        level: "warn",
        msg: "breached-passcode check unavailable; passcode accepted unchecked",
        error: error instanceof Error ? error.name : "unknown",
      });
      return false;
    }
  };
}
