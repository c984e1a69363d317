import { normaliseAccountId } from "../../lib/account_id.ts";
import { checkPasscodePolicy } from "../../lib/passcode_policy.ts";
import { assert, assertEquals } from "../helpers/assert.ts";

Deno.test("e-mails are trimmed and lower-cased; phones become E.164", () => {
  assertEquals(normaliseAccountId("  Alice.B@Example.COM "), {
    value: "alice.b@example.com",
    channel: "email",
  });
  assertEquals(normaliseAccountId("+49 (170) 123-4567"), {
    value: "+491701234567",
    channel: "sms",
  });
  assertEquals(normaliseAccountId("0049 170 1234567")?.value, "+491701234567");
});

Deno.test("malformed account IDs are refused", () => {
  for (
    const text of [
      "",
      "alice",
      "alice@",
      "@example.com",
      "alice@example",
      ".alice@example.com",
      "al..ice@example.com",
      `${"a".repeat(65)}@example.com`,
      "+49 1",
      "0170 1234567",
      "+999 123456789",
    ]
  ) {
    assertEquals(normaliseAccountId(text), null, text);
  }
});

Deno.test("the passcode policy wants length and strength, not the account ID", () => {
  const alice = normaliseAccountId("alice.wonder@example.com")!;
  assert(checkPasscodePolicy("correct horse battery staple", alice).accepted);
  for (
    const passcode of [
      "Tr0ub4dor",
      "password1234",
      "qwertyuiopasdf",
      "alice.wonder-is-great-77",
      "aaaaaaaaaaaaaaaa",
    ]
  ) {
    const verdict = checkPasscodePolicy(passcode, alice);
    assert(!verdict.accepted, passcode);
    assert(verdict.feedback.length > 0);
  }
  const phone = normaliseAccountId("+491701234567")!;
  assert(!checkPasscodePolicy("my number 01234567 is safe", phone).accepted);
});
