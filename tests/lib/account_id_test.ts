import { normaliseAccountId } from "../../lib/account_id.ts";
import { assertEquals } from "../helpers/assert.ts";

Deno.test("e-mails are trimmed and lower-cased; phones become E.164", async () => {
  assertEquals(await normaliseAccountId("  Alice.B@Example.COM "), {
    value: "alice.b@example.com",
    channel: "email",
  });
  assertEquals(await normaliseAccountId("+49 (170) 123-4567"), {
    value: "+491701234567",
    channel: "sms",
  });
  assertEquals(
    (await normaliseAccountId("0049 170 1234567"))?.value,
    "+491701234567",
  );
});

Deno.test("malformed account IDs are refused", async () => {
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
    assertEquals(await normaliseAccountId(text), null, text);
  }
});
