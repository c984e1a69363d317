/**
 * The proof-of-work CAPTCHA in ALTCHA's v2 format (altcha-lib 2.x).
 *
 * Challenges are made in deterministic mode: the server picks the counter, signs the
 * derived key, and so verifies a solution with two HMACs instead of redoing the work.
 * Expiry is checked against the injected clock; single use is enforced in KV by the
 * caller (`kv/spent_captchas.ts`), because a signature alone cannot say "used".
 */
import {
  type Challenge,
  createChallenge,
  type Solution,
  verifySolution,
} from "altcha-lib";
// The WebCrypto one: the default imports node:crypto, about 30 ms of a cold start.
import { deriveKey } from "altcha-lib/algorithms/web/sha";
import type { Clock } from "../runtime/clock.ts";
import { decodeBase64Text } from "../runtime/encoding.ts";
import type { RandomSource } from "../runtime/random.ts";

/** API.md: a payload expires within 10 minutes. */
export const captchaTtlSeconds = 10 * 60;

/** What making and checking challenges needs. */
export interface CaptchaContext {
  clock: Clock;
  random: RandomSource;
  secrets: { challenge: string; derivedKey: string };
  /** The counter is drawn from [max/10, max]: the expected work is about half of max. */
  maxNumber: number;
}

/** A client's answer: the widget's base64 JSON `{challenge, solution}`, decoded. */
export interface CaptchaPayload {
  challenge: Challenge;
  solution: Solution;
}

/** A new signed challenge, as `GET /v1/captcha` returns it. */
export async function createCaptchaChallenge(
  context: CaptchaContext,
): Promise<Challenge> {
  const { maxNumber, random, clock, secrets } = context;
  const floor = Math.floor(maxNumber / 10);
  const draw = new DataView(random(4).buffer).getUint32(0);
  return await createChallenge({
    algorithm: "SHA-256",
    cost: 1,
    counter: floor + (draw % (maxNumber - floor + 1)),
    deriveKey,
    expiresAt: Math.floor(clock.now() / 1000) + captchaTtlSeconds,
    hmacSignatureSecret: secrets.challenge,
    hmacKeySignatureSecret: secrets.derivedKey,
  });
}

/** Decodes a widget payload; null when it is not base64 JSON of the right shape. */
export function parseCaptchaPayload(text: string): CaptchaPayload | null {
  if (text.length > 4096) return null;
  const json = decodeBase64Text(text);
  if (json === null) return null;
  try {
    const value = JSON.parse(json);
    const parameters = value?.challenge?.parameters;
    if (
      typeof parameters !== "object" || parameters === null ||
      typeof value.challenge.signature !== "string" ||
      typeof value.solution !== "object" || value.solution === null
    ) return null;
    return value as CaptchaPayload;
  } catch {
    return null;
  }
}

/** Whether the payload solves an unexpired challenge this service signed. */
export async function verifyCaptchaPayload(
  payload: CaptchaPayload,
  context: Pick<CaptchaContext, "clock" | "secrets">,
): Promise<boolean> {
  const expiresAt = payload.challenge.parameters.expiresAt;
  if (
    typeof expiresAt !== "number" ||
    expiresAt * 1000 <= context.clock.now()
  ) return false;
  try {
    const result = await verifySolution({
      challenge: payload.challenge,
      solution: payload.solution,
      deriveKey,
      hmacSignatureSecret: context.secrets.challenge,
      hmacKeySignatureSecret: context.secrets.derivedKey,
    });
    return result.verified;
  } catch {
    return false;
  }
}
