/** Development secrets, generated once and kept in KV so restarts keep sessions valid. */
import { developmentSecretsKey } from "./keys.ts";

/** Returns the stored secrets, storing `generated` first when there are none. */
export async function getOrStoreDevelopmentSecrets<T>(
  kv: Deno.Kv,
  generated: T,
): Promise<{ secrets: T; created: boolean }> {
  const key = developmentSecretsKey();
  const result = await kv.atomic().check({ key, versionstamp: null }).set(
    key,
    generated,
  ).commit();
  if (result.ok) return { secrets: generated, created: true };
  // Another process stored them first: use theirs, so all processes agree.
  const stored = await kv.get<T>(key);
  return { secrets: stored.value!, created: false };
}
