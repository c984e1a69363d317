/**
 * TOTP (RFC 6238) as authenticator apps implement it: SHA-1, 6 digits, 30-second steps,
 * one step of drift either side. Verification returns the matched time step, so the
 * caller can refuse that step and every older one afterwards (replay refusal).
 */
import { Secret, TOTP } from "otpauth";
import { lazy } from "../runtime/lazy.ts";
import type { RandomSource } from "../runtime/random.ts";

/** The QR encoder, for enrollment only. */
const qrEncoder = lazy(() => import("uqr"));

export const totpPeriodSeconds = 30;
export const totpDigits = 6;
/** One step either side: a phone clock 30 seconds off still works (RFC 6238 §5.2). */
const driftSteps = 1;
/** 160-bit secrets, the RFC 4226 §4 recommendation. */
const secretBytes = 20;

/** A fresh base32 TOTP secret. */
export function generateTotpSecret(random: RandomSource): string {
  return new Secret({ buffer: random(secretBytes).buffer }).base32;
}

function totpFor(secretBase32: string, issuer: string, label: string): TOTP {
  return new TOTP({
    issuer,
    label,
    secret: Secret.fromBase32(secretBase32),
    algorithm: "SHA1",
    digits: totpDigits,
    period: totpPeriodSeconds,
  });
}

/** The `otpauth://` URI and its QR code (SVG) for enrollment. */
export async function totpEnrollment(
  secretBase32: string,
  issuer: string,
  accountId: string,
): Promise<{ otpauthUri: string; qrSvg: string }> {
  const otpauthUri = totpFor(secretBase32, issuer, accountId).toString();
  const { renderSVG } = await qrEncoder();
  return { otpauthUri, qrSvg: renderSVG(otpauthUri, { ecc: "M" }) };
}

/** The time step a code matches at `nowMs`, or null. */
export function matchTotpStep(
  secretBase32: string,
  code: string,
  nowMs: number,
): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = TOTP.validate({
    token: code,
    secret: Secret.fromBase32(secretBase32),
    algorithm: "SHA1",
    digits: totpDigits,
    period: totpPeriodSeconds,
    timestamp: nowMs,
    window: driftSteps,
  });
  if (delta === null) return null;
  return Math.floor(nowMs / 1000 / totpPeriodSeconds) + delta;
}

/** The code for a time (tests and the benchmark play the authenticator). */
export function totpCodeAt(secretBase32: string, nowMs: number): string {
  return TOTP.generate({
    secret: Secret.fromBase32(secretBase32),
    algorithm: "SHA1",
    digits: totpDigits,
    period: totpPeriodSeconds,
    timestamp: nowMs,
  });
}
