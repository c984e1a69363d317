/**
 * Argon2id (RFC 9106) key derivation from two engines that give identical output:
 * WebCrypto's native `Argon2id` where the runtime has it (Deno ≥ 2.6), else hash-wasm's
 * WebAssembly build (Deno Deploy's older runtime).
 */
import { lazy } from "../runtime/lazy.ts";

/** The WebAssembly build, loaded only where the runtime has no native Argon2id. */
const hashWasm = lazy(() => import("hash-wasm"));

/** Argon2id cost parameters, named as in the PHC string format. */
export interface Argon2idParameters {
  /** Memory in KiB. */
  memoryKiB: number;
  /** Passes over memory. */
  iterations: number;
  parallelism: number;
  hashLength: number;
}

/** One Argon2id implementation. */
export type Argon2idEngine = (
  password: Uint8Array<ArrayBuffer>,
  salt: Uint8Array<ArrayBuffer>,
  parameters: Argon2idParameters,
) => Promise<Uint8Array<ArrayBuffer>>;

/** The WebAssembly engine, available everywhere. */
export const wasmArgon2idEngine: Argon2idEngine = async (
  password,
  salt,
  parameters,
) =>
  new Uint8Array(
    await (await hashWasm()).argon2id({
      password,
      salt,
      memorySize: parameters.memoryKiB,
      iterations: parameters.iterations,
      parallelism: parameters.parallelism,
      hashLength: parameters.hashLength,
      outputType: "binary",
    }),
  );

/** WebCrypto's native engine; throws where the runtime lacks Argon2id. */
export const nativeArgon2idEngine: Argon2idEngine = async (
  password,
  salt,
  parameters,
) => {
  const key = await crypto.subtle.importKey(
    "raw",
    password,
    "Argon2id",
    false,
    ["deriveBits"],
  );
  // WICG "Modern Algorithms in WebCrypto": nonce, memory (KiB), passes, parallelism.
  const algorithm = {
    name: "Argon2id",
    nonce: salt,
    memory: parameters.memoryKiB,
    passes: parameters.iterations,
    parallelism: parameters.parallelism,
  };
  return new Uint8Array(
    await crypto.subtle.deriveBits(
      algorithm as unknown as AlgorithmIdentifier,
      key,
      parameters.hashLength * 8,
    ),
  );
};

/** Whether this runtime's WebCrypto implements Argon2id. */
export async function hasNativeArgon2id(): Promise<boolean> {
  try {
    await nativeArgon2idEngine(new Uint8Array(8), new Uint8Array(16), {
      memoryKiB: 8,
      iterations: 1,
      parallelism: 1,
      hashLength: 16,
    });
    return true;
  } catch {
    return false;
  }
}

/** The fastest engine this runtime offers. */
export async function selectArgon2idEngine(): Promise<Argon2idEngine> {
  return await hasNativeArgon2id() ? nativeArgon2idEngine : wasmArgon2idEngine;
}
