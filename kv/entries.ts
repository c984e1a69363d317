/** Reading one record. */

/** The entry under `key`, or null when nothing is stored there. */
export async function findEntry<T>(
  kv: Deno.Kv,
  key: Deno.KvKey,
): Promise<Deno.KvEntry<T> | null> {
  const entry = await kv.get<T>(key);
  return entry.versionstamp === null ? null : entry;
}
