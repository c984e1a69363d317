/** Reading records, once each. */

/** The entry under `key`, or null when nothing is stored there. */
export async function findEntry<T>(
  kv: Deno.Kv,
  key: Deno.KvKey,
  read: readonly Deno.KvEntryMaybe<unknown>[] = [],
): Promise<Deno.KvEntry<T> | null> {
  const [entry] = await readEntries(kv, [key], read);
  return entry.versionstamp === null ? null : entry as Deno.KvEntry<T>;
}

/** KV answers at most this many keys in one `getMany`. */
const getManyLimit = 10;

/**
 * The entries under `keys`, in their order. Those in `read` (entries this request read
 * already, versionstamps and all) are taken from there, so no key is read twice; the
 * rest are read together, in one round trip. A commit that checks an entry taken from
 * `read` fails if it changed since, and its retry reads afresh.
 */
export async function readEntries(
  kv: Deno.Kv,
  keys: readonly Deno.KvKey[],
  read: readonly Deno.KvEntryMaybe<unknown>[] = [],
): Promise<Deno.KvEntryMaybe<unknown>[]> {
  const found = keys.map((key) =>
    read.find((entry) => sameKey(entry.key, key)) ?? null
  );
  const missing = keys.filter((_, i) => found[i] === null);
  const fresh: Deno.KvEntryMaybe<unknown>[] = [];
  if (missing.length === 1) fresh.push(await kv.get(missing[0]));
  else if (missing.length > 1) {
    for (let i = 0; i < missing.length; i += getManyLimit) {
      fresh.push(...await kv.getMany(missing.slice(i, i + getManyLimit)));
    }
  }
  return found.map((entry) => entry ?? fresh.shift()!);
}

function sameKey(a: Deno.KvKey, b: Deno.KvKey): boolean {
  return a.length === b.length && a.every((part, i) => part === b[i]);
}
