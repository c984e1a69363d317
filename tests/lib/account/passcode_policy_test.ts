import { normaliseAccountId } from "../../../lib/account_id.ts";
import { createRangeApiCheck } from "../../../lib/account/breached_passcodes.ts";
import {
  createPasscodePolicy,
  estimatedPrefixLength,
} from "../../../lib/account/passcode_policy.ts";
import type { PasscodePolicy } from "../../../lib/deps.ts";
import { assert, assertEquals } from "../../helpers/assert.ts";
import { startFakeRangeApi } from "../../helpers/range_api.ts";

const alice = (await normaliseAccountId("alice.wonder@example.com"))!;

function policy(): PasscodePolicy {
  return createPasscodePolicy({
    rpName: "Exchange Login",
    appOrigins: ["https://login.coinvault.example"],
    isBreached: null,
  });
}

Deno.test("the passcode policy wants length and strength, not the account ID", async () => {
  const check = policy();
  assert((await check.check("correct horse battery staple", alice)).accepted);
  for (
    const passcode of [
      "Tr0ub4dor",
      "password1234",
      "qwertyuiopasdf",
      "alice.wonder-is-great-77",
      "aaaaaaaaaaaaaaaa",
    ]
  ) {
    const verdict = await check.check(passcode, alice);
    assert(!verdict.accepted, passcode);
    assert(verdict.feedback.length > 0);
  }
  const phone = (await normaliseAccountId("+491701234567"))!;
  assert(
    !(await check.check("my number 01234567 is safe", phone)).accepted,
  );
});

Deno.test("the service's own words make a passcode weak (ASVS 6.2.11)", async () => {
  const check = policy();
  for (
    const passcode of [
      "Exchange Login 2024", // the relying party's name
      "coinvault login 2024!", // the origin's host labels
      "Crypto Exchange 2024", // the domain's words
      "Binance2024!", // another exchange's name
      "Wonder Example 2024!", // the account ID's parts
    ]
  ) {
    assert(!(await check.check(passcode, alice)).accepted, passcode);
  }
});

Deno.test("only a prefix is estimated: a weak start is not rescued by its tail", async () => {
  const check = policy();
  const weakStart = "a".repeat(estimatedPrefixLength);
  // Scored whole, the random tail would make this strong.
  const verdict = await check.check(
    weakStart + "Qv7#kP2!xR9$mW4zT8@hL3^bN6",
    alice,
  );
  assert(!verdict.accepted);
  // A strong start stays strong, however long the passcode.
  assert(
    (await check.check(
      "correct horse battery staple 42!" + "a".repeat(90),
      alice,
    )).accepted,
  );
  assertEquals(
    await check.check("correct horse battery staple " + "x".repeat(100), alice),
    { accepted: false, feedback: ["Use at most 128 characters."] },
  );
});

Deno.test("a passcode from the breach corpus is refused; only a 5-hex prefix leaves", async () => {
  await using api = await startFakeRangeApi(["correct horse battery staple"]);
  const logs: Record<string, unknown>[] = [];
  const isBreached = createRangeApiCheck({
    rangeUrl: api.rangeUrl,
    timeoutMs: 1500,
    log: (record) => logs.push(record),
  });
  const check = createPasscodePolicy({
    rpName: "Exchange Login",
    appOrigins: ["https://login.coinvault.example"],
    isBreached,
  });
  assertEquals(await check.check("correct horse battery staple", alice), {
    accepted: false,
    feedback: [
      "This passcode appears in known data breaches. Choose another one.",
    ],
  });
  assert(
    (await check.check("velvet harbour sings at noon 7", alice)).accepted,
  );
  assertEquals(api.requests.length, 2);
  for (const request of api.requests) {
    assert(/^\/range\/[0-9A-F]{5}$/.test(request.path), request.path);
    assertEquals(request.padding, "true");
  }
  assertEquals(logs, []);
});

Deno.test("an unreachable or slow breach corpus fails open with a warning", async () => {
  await using slow = await startFakeRangeApi([], { delayMs: 2000 });
  for (
    const rangeUrl of [slow.rangeUrl, "http://127.0.0.1:9/range/"]
  ) {
    const logs: Record<string, unknown>[] = [];
    const isBreached = createRangeApiCheck({
      rangeUrl,
      timeoutMs: 200,
      log: (record) => logs.push(record),
    });
    assertEquals(await isBreached("correct horse battery staple"), false);
    assertEquals(logs.length, 1);
    assertEquals(logs[0].level, "warn");
  }
});
