import { buildKeyring, generateSecrets } from "../../../lib/crypto/keyring.ts";
import { cryptoRandom } from "../../../lib/runtime/random.ts";
import { assertEquals, assertRejects } from "../../helpers/assert.ts";

Deno.test("a signing key that cannot be imported stops the start, named by its kid", async () => {
  const secrets = await generateSecrets("EdDSA", cryptoRandom);
  const [key] = JSON.parse(secrets.jwtSigningKeys);
  // A P-256 curve on an Ed25519 key: well-formed JSON, not a key.
  const broken = JSON.stringify([{ ...key, crv: "P-256" }]);
  await assertRejects(
    () => buildKeyring({ ...secrets, jwtSigningKeys: broken }),
    TypeError,
    `JWT_SIGNING_KEYS: the key "${key.kid}" is not a valid EdDSA key`,
  );
});

Deno.test("generated keys of both algorithms are imported, and only their public parts are published", async () => {
  for (const alg of ["EdDSA", "ES256"] as const) {
    const secrets = await generateSecrets(alg, cryptoRandom);
    const keyring = await buildKeyring(secrets);
    const [jwk] = JSON.parse(secrets.jwtSigningKeys);
    assertEquals(keyring.signing.alg, alg);
    assertEquals(keyring.signing.kid, jwk.kid);
    assertEquals(Object.hasOwn(jwk, "key_ops"), false);
    assertEquals(keyring.publicJwks.map((key) => "d" in key), [false]);
    assertEquals(keyring.verificationKeys.get(jwk.kid)?.key.type, "public");
  }
});
