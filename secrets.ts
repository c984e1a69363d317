/**
 * `deno task secrets`: prints fresh production secrets as environment lines.
 * `JWT_ALG=ES256 deno task secrets` makes a P-256 key instead of Ed25519.
 */
import { generateSecrets } from "./lib/crypto/keyring.ts";
import { cryptoRandom } from "./lib/runtime/random.ts";

const alg = Deno.env.get("JWT_ALG") === "ES256" ? "ES256" : "EdDSA";
const secrets = await generateSecrets(alg, cryptoRandom);
console.log(`JWT_ALG=${alg}`);
console.log(`JWT_SIGNING_KEYS='${secrets.jwtSigningKeys}'`);
console.log(`HMAC_KEY=${secrets.hmacKey}`);
console.log(`DATA_ENCRYPTION_KEY=${secrets.dataEncryptionKey}`);
