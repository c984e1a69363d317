import { commitGuards, type Guard } from "../../kv/guards.ts";
import { assertEquals } from "../helpers/assert.ts";

/** A counter that lets `limit` increments through. */
function counterGuard(key: Deno.KvKey, limit: number): Guard<number | null> {
  return {
    key,
    decide(entry) {
      const count = (entry.value as number | null) ?? 0;
      if (count >= limit) return { outcome: null };
      return {
        outcome: count + 1,
        write: (operation) => operation.set(key, count + 1),
      };
    },
  };
}

/** The outcomes of committing `guards`. */
const decide = async (
  kv: Deno.Kv,
  guards: Guard<number | null>[],
  read: Deno.KvEntryMaybe<unknown>[] = [],
) => (await commitGuards(kv, guards, read)).outcomes;

Deno.test("guards commit together; a refusal stops the later ones and keeps the earlier writes", async () => {
  using kv = await Deno.openKv(":memory:");
  assertEquals(
    await decide(kv, [counterGuard(["a"], 5), counterGuard(["b"], 5)]),
    [1, 1],
  );
  await kv.set(["full"], 1);
  assertEquals(
    await decide(kv, [
      counterGuard(["a"], 5),
      counterGuard(["full"], 1),
      counterGuard(["b"], 5),
    ]),
    [2, null, undefined],
  );
  const [a, full, b] = await kv.getMany<number[]>([["a"], ["full"], ["b"]]);
  assertEquals([a.value, full.value, b.value], [2, 1, 1]);
  // Refused first: nothing is written at all.
  assertEquals(
    await decide(kv, [counterGuard(["full"], 1), counterGuard(["a"], 5)]),
    [null, undefined],
  );
  assertEquals((await kv.get(["a"])).value, 2);
});

Deno.test("racing commits are decided again on conflict: a limit of 10 lets exactly 10 through", async () => {
  using kv = await Deno.openKv(":memory:");
  const outcomes = await Promise.all(
    Array.from(
      { length: 30 },
      (_, i) =>
        decide(kv, [
          counterGuard(["shared"], 10),
          counterGuard(["own", i], 1),
        ]),
    ),
  );
  const through = outcomes.filter(([shared]) => shared !== null);
  assertEquals(through.length, 10);
  assertEquals(
    through.map(([shared]) => shared).sort((x, y) => x! - y!),
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  );
  assertEquals((await kv.get(["shared"])).value, 10);
  const own = await Array.fromAsync(kv.list({ prefix: ["own"] }));
  assertEquals(own.length, 10);
});

Deno.test("a record read earlier is decided on without a read, and checked: a change since decides again", async () => {
  using kv = await Deno.openKv(":memory:");
  await kv.set(["a"], 1);
  const read = await kv.get(["a"]);
  assertEquals(await decide(kv, [counterGuard(["a"], 5)], [read]), [2]);
  // `read` is stale now: the commit's check fails, and the retry reads 2.
  assertEquals(await decide(kv, [counterGuard(["a"], 5)], [read]), [3]);
  assertEquals((await kv.get(["a"])).value, 3);
});
