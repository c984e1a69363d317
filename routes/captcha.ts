/** `GET /v1/captcha`: a proof-of-work challenge for the ALTCHA widget. */
import { Hono } from "hono";
import { z } from "zod";
import { createCaptchaChallenge } from "../lib/crypto/captcha.ts";
import type { Deps } from "../lib/deps.ts";
import type { AppEnv } from "./env.ts";
import { rateLimit } from "./rate_limit.ts";
import { describe } from "./route_docs.ts";

const challengeSchema = z.object({
  parameters: z.object({
    algorithm: z.string(),
    nonce: z.string(),
    salt: z.string(),
    cost: z.number(),
    keyLength: z.number(),
    keyPrefix: z.string(),
    keySignature: z.string().optional(),
    expiresAt: z.number(),
  }),
  signature: z.string(),
});

/** Mounted at `/v1`. */
export function captchaRoutes(deps: Deps): Hono<AppEnv> {
  return new Hono<AppEnv>().get(
    "/captcha",
    describe({
      summary: "A new ALTCHA v2 challenge (single-use, 10 minutes)",
      responses: { 200: { description: "Challenge", schema: challengeSchema } },
    }),
    rateLimit(deps, "captcha"),
    async (c) => {
      const challenge = await createCaptchaChallenge({
        clock: deps.clock,
        random: deps.random,
        secrets: deps.keyring.captchaSecrets,
        maxNumber: deps.config.captchaMaxNumber,
      });
      return c.json(challenge);
    },
  );
}
