/** Development secrets, generated once and kept in KV so restarts keep sessions valid. */
import { developmentSecretsKey } from "./keys.ts";

/**
 * Returns the stored secrets, storing generated ones first when there are none (only
 * then are they generated: a key pair costs every restart a few milliseconds).
 */
export async function getOrStoreDevelopmentSecrets<T>(
  kv: Deno.Kv,
  generate: () => Promise<T>,
): Promise<{ secrets: T; created: boolean }> {
  const key = developmentSecretsKey();
  const found = await kv.get<T>(key);
  if (found.value !== null) return { secrets: found.value, created: false };
  const generated = await generate();
  const result = await kv.atomic().check({ key, versionstamp: null }).set(
    key,
    generated,
  ).commit();
  if (result.ok) return { secrets: generated, created: true };
  // Another process stored them first: use theirs, so all processes agree.
  const stored = await kv.get<T>(key);
  return { secrets: stored.value!, created: false };
}
