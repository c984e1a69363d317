/** Completes the configured secrets: from the environment, or in development from KV. */
import { getOrStoreDevelopmentSecrets } from "../../kv/development_secrets.ts";
import type { Config, Secrets } from "../runtime/config.ts";
import { generateSecrets } from "./keyring.ts";
import type { Log } from "../runtime/log_writer.ts";
import type { RandomSource } from "../runtime/random.ts";

/**
 * Every secret, taking development ones from KV (generated on first start) where the
 * environment has none. Production configs never get here incomplete: `loadConfig` refuses.
 */
export async function resolveSecrets(
  config: Config,
  kv: Deno.Kv,
  random: RandomSource,
  log: Log,
): Promise<Secrets> {
  const { jwtSigningKeys, hmacKey, dataEncryptionKey } = config.secrets;
  if (jwtSigningKeys && hmacKey && dataEncryptionKey) {
    return { jwtSigningKeys, hmacKey, dataEncryptionKey };
  }
  if (config.appEnv !== "development") {
    throw new Error("secrets missing outside development");
  }
  const { secrets: stored, created } = await getOrStoreDevelopmentSecrets(
    kv,
    () => generateSecrets(config.jwtAlgorithm, random),
  );
  log({
    level: "warn",
    msg: created
      ? "DEVELOPMENT SECRETS GENERATED and stored in KV. Never use them in production: set JWT_SIGNING_KEYS, HMAC_KEY and DATA_ENCRYPTION_KEY."
      : "Using DEVELOPMENT SECRETS stored in KV. Never use them in production.",
  });
  return {
    jwtSigningKeys: jwtSigningKeys ?? stored.jwtSigningKeys,
    hmacKey: hmacKey ?? stored.hmacKey,
    dataEncryptionKey: dataEncryptionKey ?? stored.dataEncryptionKey,
  };
}
