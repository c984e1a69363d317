import {
  hasNativeArgon2id,
  nativeArgon2idEngine,
  wasmArgon2idEngine,
} from "../../../lib/crypto/argon2id.ts";
import {
  createPasscodeHasher,
  defaultPasscodeParameters,
  parsePhc,
} from "../../../lib/crypto/passcode_hash.ts";
import type { RandomSource } from "../../../lib/runtime/random.ts";
import { cryptoRandom } from "../../../lib/runtime/random.ts";
import { assert, assertEquals } from "../../helpers/assert.ts";

const fixedSalt: RandomSource = (length) =>
  Uint8Array.from({ length }, (_, i) => i);

// Deno Deploy's runtime has no native Argon2id; there only the WebAssembly path runs.
const native = await hasNativeArgon2id();

Deno.test("the WebAssembly engine makes an OWASP-parameter PHC string that verifies", async () => {
  const hasher = createPasscodeHasher({
    engine: wasmArgon2idEngine,
    random: cryptoRandom,
  });
  const phc = await hasher.hash("correct horse battery staple");
  assert(phc.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"));
  const parsed = parsePhc(phc);
  assertEquals(parsed?.salt.length, 16);
  assertEquals(parsed?.hash.length, 32);
  assertEquals(await hasher.verify(phc, "correct horse battery staple"), {
    valid: true,
    needsRehash: false,
  });
  assertEquals(
    (await hasher.verify(phc, "correct horse battery stapler")).valid,
    false,
  );
});

Deno.test({
  name:
    "native and WebAssembly Argon2id give the same PHC string and read each other's",
  ignore: !native,
  async fn() {
    const nativeHasher = createPasscodeHasher({
      engine: nativeArgon2idEngine,
      random: fixedSalt,
    });
    const wasmHasher = createPasscodeHasher({
      engine: wasmArgon2idEngine,
      random: fixedSalt,
    });
    const fromNative = await nativeHasher.hash("Ünïcödé passcode ﬁ 2024");
    const fromWasm = await wasmHasher.hash("Ünïcödé passcode ﬁ 2024");
    assertEquals(fromNative, fromWasm);
    const other = createPasscodeHasher({
      engine: wasmArgon2idEngine,
      random: cryptoRandom,
    });
    const otherNative = createPasscodeHasher({
      engine: nativeArgon2idEngine,
      random: cryptoRandom,
    });
    assert(
      (await wasmHasher.verify(
        await otherNative.hash("x y z w v u"),
        "x y z w v u",
      )).valid,
    );
    assert(
      (await nativeHasher.verify(
        await other.hash("x y z w v u"),
        "x y z w v u",
      )).valid,
    );
  },
});

Deno.test("passcodes are NFKC-normalised: composed and decomposed forms match", async () => {
  const hasher = createPasscodeHasher({
    engine: wasmArgon2idEngine,
    random: cryptoRandom,
  });
  const phc = await hasher.hash("caf\u00e9 au lait 1234");
  assert((await hasher.verify(phc, "cafe\u0301 au lait 1234")).valid);
});

Deno.test("weaker stored parameters ask for a rehash after a good login", async () => {
  const weak = createPasscodeHasher({
    engine: wasmArgon2idEngine,
    random: cryptoRandom,
    parameters: {
      ...defaultPasscodeParameters,
      memoryKiB: 8192,
      iterations: 1,
    },
  });
  const current = createPasscodeHasher({
    engine: wasmArgon2idEngine,
    random: cryptoRandom,
  });
  const phc = await weak.hash("a passcode of old");
  assertEquals(await current.verify(phc, "a passcode of old"), {
    valid: true,
    needsRehash: true,
  });
  assertEquals(await current.verify(phc, "wrong"), {
    valid: false,
    needsRehash: false,
  });
});

Deno.test("malformed hashes never verify and never throw", async () => {
  const hasher = createPasscodeHasher({
    engine: wasmArgon2idEngine,
    random: cryptoRandom,
  });
  for (
    const phc of [
      "",
      "$argon2i$v=19$m=1,t=1,p=1$AAAA$AAAA",
      "$argon2id$v=19$m=19456,t=2,p=1$!!$??",
    ]
  ) {
    assertEquals((await hasher.verify(phc, "anything")).valid, false);
  }
});
