/**
 * Micro benchmarks of the pieces a request is made of: Argon2id (native WebCrypto and
 * WebAssembly), TOTP, JWTs, the CAPTCHA check, and the KV counters behind the lockout
 * and the rate limits, on an in-memory and on a file KV.
 */
import { solveChallenge } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/sha";
import {
  type Argon2idEngine,
  hasNativeArgon2id,
  nativeArgon2idEngine,
  wasmArgon2idEngine,
} from "../lib/crypto/argon2id.ts";
import {
  signAccessToken,
  verifyAccessToken,
} from "../lib/crypto/access_token.ts";
import {
  createCaptchaChallenge,
  parseCaptchaPayload,
  verifyCaptchaPayload,
} from "../lib/crypto/captcha.ts";
import { systemClock } from "../lib/runtime/clock.ts";
import { buildKeyring, generateSecrets } from "../lib/crypto/keyring.ts";
import { loginLockout } from "../lib/safeguards/lockout.ts";
import { createPasscodeHasher } from "../lib/crypto/passcode_hash.ts";
import { cryptoRandom } from "../lib/runtime/random.ts";
import {
  generateTotpSecret,
  matchTotpStep,
  totpCodeAt,
} from "../lib/crypto/totp.ts";
import { loginFailuresKey } from "../kv/keys.ts";
import { reserveLoginAttempt } from "../kv/login_failures.ts";
import { requestCountGuard } from "../kv/rate_limits.ts";
import { commitGuards } from "../kv/guards.ts";

const passcode = "correct horse battery staple 42!";

async function argon2idBench(name: string, engine: Argon2idEngine) {
  const hasher = createPasscodeHasher({ engine, random: cryptoRandom });
  const stored = await hasher.hash(passcode);
  Deno.bench(`Argon2id verify, ${name}`, { group: "argon2id" }, async () => {
    await hasher.verify(stored, passcode);
  });
}
if (await hasNativeArgon2id()) {
  await argon2idBench("native", nativeArgon2idEngine);
}
await argon2idBench("WebAssembly", wasmArgon2idEngine);

const totpSecret = generateTotpSecret(cryptoRandom);
Deno.bench("TOTP verify (±1 step)", { group: "codes" }, () => {
  const now = Date.now();
  if (matchTotpStep(totpSecret, totpCodeAt(totpSecret, now), now) === null) {
    throw new Error("the code did not match");
  }
});

const captchaSecrets = {
  challenge: "bench-challenge",
  derivedKey: "bench-key",
};
const challenge = await createCaptchaChallenge({
  clock: systemClock,
  random: cryptoRandom,
  secrets: captchaSecrets,
  maxNumber: 20000,
});
const solution = await solveChallenge({ challenge, deriveKey });
const captcha = parseCaptchaPayload(
  btoa(JSON.stringify({ challenge, solution })),
)!;
Deno.bench("CAPTCHA verify (signature + derived key)", {
  group: "codes",
}, async () => {
  if (
    !await verifyCaptchaPayload(captcha, {
      clock: systemClock,
      secrets: captchaSecrets,
    })
  ) throw new Error("the payload did not verify");
});

const names = {
  issuer: "https://login.example.com",
  audience: "https://login.example.com/v1",
};
for (const algorithm of ["EdDSA", "ES256"] as const) {
  const keyring = await buildKeyring(
    await generateSecrets(algorithm, cryptoRandom),
  );
  const claims = { sub: "account", sid: "session", amr: ["pwd", "otp"] };
  const token = await signAccessToken(keyring, names, claims, Date.now());
  Deno.bench(`JWT sign, ${algorithm}`, { group: "jwt" }, async () => {
    await signAccessToken(keyring, names, claims, Date.now());
  });
  Deno.bench(`JWT verify, ${algorithm}`, { group: "jwt" }, async () => {
    if (!await verifyAccessToken(keyring, names, token, Date.now())) {
      throw new Error("the token did not verify");
    }
  });
}

const kvFile = await Deno.makeTempFile({ suffix: ".sqlite3" });
const stores = {
  "in-memory": await Deno.openKv(":memory:"),
  "file": await Deno.openKv(kvFile),
};
const rule = { limit: 1_000_000_000, windowSeconds: 60 };
for (const [name, kv] of Object.entries(stores)) {
  let subject = 0;
  Deno.bench(`lockout reservation, ${name} KV`, { group: "kv" }, async () => {
    // A new subject each time: the reservation, never the lock.
    await reserveLoginAttempt(
      kv,
      loginFailuresKey(`bench${subject++}@example.com`, null),
      loginLockout,
      Date.now(),
    );
  });
  Deno.bench(`rate-limit check, ${name} KV`, { group: "kv" }, async () => {
    await commitGuards(kv, [
      requestCountGuard("login", "198.51.100.7", rule, Date.now()),
    ]);
  });
}
globalThis.addEventListener("unload", () => {
  for (const kv of Object.values(stores)) kv.close();
  Deno.removeSync(kvFile);
});
