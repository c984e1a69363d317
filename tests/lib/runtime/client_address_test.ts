import {
  canonicalAddress,
  clientKey,
  networkOf,
} from "../../../lib/runtime/client_address.ts";
import { assert, assertEquals } from "../../helpers/assert.ts";

Deno.test("IPv4-mapped addresses are the IPv4 clients they carry, each with its own key", () => {
  assertEquals(clientKey("::ffff:203.0.113.7"), "203.0.113.7");
  assertEquals(clientKey("::ffff:198.51.100.1"), "198.51.100.1");
  assertEquals(clientKey("::1"), "::/64");
  assertEquals(networkOf("::ffff:203.0.113.7"), "203.0.113.0/24");
  assertEquals(canonicalAddress("::ffff:203.0.113.7"), "203.0.113.7");
});

Deno.test("IPv6 is made canonical before it is grouped: /64 for limits, /48 for networks", () => {
  assertEquals(clientKey("2001:0db8:0001:0002::9"), "2001:db8:1:2::/64");
  assertEquals(clientKey("2001:db8:1:2::9"), "2001:db8:1:2::/64");
  assertEquals(clientKey("2001:DB8:1:2:3:4:5:6"), "2001:db8:1:2::/64");
  assertEquals(clientKey("2001:db8::1"), "2001:db8::/64");
  assertEquals(networkOf("2001:0db8:0001:0002::9"), "2001:db8:1::/48");
  assertEquals(networkOf("2001:db8:1:2::9"), "2001:db8:1::/48");
  assertEquals(
    canonicalAddress("2001:0DB8:0000:0000:0000:0000:0000:0001"),
    "2001:db8::1",
  );
});

Deno.test("IPv4 is four decimal parts in range, and nothing else is an address", () => {
  assertEquals(clientKey("203.0.113.9"), "203.0.113.9");
  assertEquals(networkOf("203.0.113.9"), "203.0.113.0/24");
  for (
    const text of [
      "999.1.1.1",
      "1.2.3",
      "1.2.3.4.5",
      "0x7f.0.0.1",
      "010.0.0.1",
      "3232235777",
      "2001:db8::1::2",
      "Call-support-555-0100",
      "",
      " 203.0.113.9",
      "203.0.113.9\u0000",
      "1".repeat(3000),
    ]
  ) {
    assertEquals(canonicalAddress(text), null, text.slice(0, 40));
    assertEquals(clientKey(text), "unknown", text.slice(0, 40));
    assertEquals(networkOf(text), null, text.slice(0, 40));
  }
  assert(clientKey(null) === "unknown" && networkOf(null) === null);
});

Deno.test("an IPv4-mapped address written in hex is the same IPv4 client; a zone is no address", () => {
  assertEquals(canonicalAddress("::ffff:cb00:7107"), "203.0.113.7");
  assertEquals(clientKey("::FFFF:CB00:7107"), "203.0.113.7");
  assertEquals(networkOf("::ffff:cb00:7107"), "203.0.113.0/24");
  assertEquals(canonicalAddress("fe80::1%eth0"), null);
  assertEquals(canonicalAddress("2001:db8:0:0:1:0:0:1"), "2001:db8::1:0:0:1");
  assertEquals(
    canonicalAddress("2001:db8:0:1:1:1:1:1"),
    "2001:db8:0:1:1:1:1:1",
  );
  assertEquals(canonicalAddress("0.0.0.0"), "0.0.0.0");
  assertEquals(clientKey("::"), "::/64");
});
