import { type CodeRecord, redeemCodeAmong } from "../../kv/one_time_codes.ts";
import { assertEquals } from "../helpers/assert.ts";

const nowMs = 1_000_000;

function record(codeHash: string, attemptsLeft = 5): CodeRecord<string> {
  return { codeHash, expiresAt: nowMs + 60_000, attemptsLeft, data: codeHash };
}

Deno.test("redeemCodeAmong() compares a code with every live record, spends a try of each, and consumes all on a match", async () => {
  using kv = await Deno.openKv(":memory:");
  const keys = [["codes", 0], ["codes", 1], ["codes", 2]];
  await kv.set(keys[0], record("a"));
  await kv.set(keys[1], record("b"));
  await kv.set(keys[2], record("c", 0));
  const compared: string[] = [];
  const matches = (code: string) => (stored: CodeRecord<string>) => {
    compared.push(stored.codeHash);
    return Promise.resolve(stored.codeHash === code);
  };

  assertEquals(
    await redeemCodeAmong(kv, keys, { nowMs, matches: matches("x") }),
    { ok: false, reason: "wrong" },
  );
  // The used-up record is not compared; the others each lost a try.
  assertEquals(compared.toSorted(), ["a", "b"]);
  const spent = await kv.getMany<CodeRecord<string>[]>(keys);
  assertEquals(spent.map((entry) => entry.value?.attemptsLeft), [4, 4, 0]);

  compared.length = 0;
  const redeemed = await redeemCodeAmong(kv, keys, {
    nowMs,
    matches: matches("a"),
  });
  assertEquals(redeemed.ok && redeemed.record.data, "a");
  // The first record matched, and the second was still compared.
  assertEquals(compared.toSorted(), ["a", "b"]);
  const left = await kv.getMany(keys);
  assertEquals(left.map((entry) => entry.versionstamp), [null, null, null]);
});

Deno.test("redeemCodeAmong() redeems neither of two records with the same code", async () => {
  using kv = await Deno.openKv(":memory:");
  const keys = [["codes", 0], ["codes", 1]];
  await kv.set(keys[0], record("same"));
  await kv.set(keys[1], { ...record("same"), data: "other" });
  assertEquals(
    await redeemCodeAmong<string>(kv, keys, {
      nowMs,
      matches: (stored) => Promise.resolve(stored.codeHash === "same"),
    }),
    { ok: false, reason: "wrong" },
  );
  const left = await kv.getMany<CodeRecord<string>[]>(keys);
  assertEquals(left.map((entry) => entry.value?.attemptsLeft), [4, 4]);
});
