import type { AccessClaims } from "../../../lib/crypto/access_token.ts";
import { createVerifiedTokenCache } from "../../../lib/sessions/verified_token_cache.ts";
import { assertEquals } from "../../helpers/assert.ts";

const claims = (exp: number): AccessClaims => ({
  sub: "account",
  sid: "session",
  amr: ["pwd", "otp", "mfa"],
  iat: exp - 900,
  exp,
});

Deno.test("a token is verified once, until it expires; failures are not kept", async () => {
  const cache = createVerifiedTokenCache();
  let checks = 0;
  const verifyGood = () => {
    checks++;
    return Promise.resolve(claims(1_000));
  };
  for (let i = 0; i < 5; i++) {
    assertEquals(
      await cache.verify("token-a", 500_000, verifyGood),
      claims(1_000),
    );
  }
  assertEquals(checks, 1);
  // Past `exp` the cached claims are not served: the fresh check decides.
  assertEquals(
    await cache.verify("token-a", 1_000_000, () => Promise.resolve(null)),
    null,
  );
  let failures = 0;
  const verifyBad = () => {
    failures++;
    return Promise.resolve(null);
  };
  await cache.verify("forged", 0, verifyBad);
  await cache.verify("forged", 0, verifyBad);
  assertEquals(failures, 2);
  assertEquals(cache.size, 0);
});

Deno.test("the cache holds at most its bound, dropping the oldest", async () => {
  const cache = createVerifiedTokenCache(3);
  for (const token of ["a", "b", "c", "d"]) {
    await cache.verify(token, 0, () => Promise.resolve(claims(10)));
  }
  assertEquals(cache.size, 3);
  let checked = false;
  await cache.verify("a", 0, () => {
    checked = true;
    return Promise.resolve(claims(10));
  });
  assertEquals(checked, true);
});
