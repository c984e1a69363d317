import { findTradingPasscode } from "../../kv/trading_passcodes.ts";
import { findAccountByAccountId } from "../../kv/accounts.ts";
import { totpCodeAt } from "../../lib/totp.ts";
import { assert, assertEquals } from "../helpers/assert.ts";
import {
  createTestService,
  enrollAndLogIn,
  json,
  registerAccount,
} from "../helpers/service.ts";

Deno.test("PUT /v1/trading-passcode needs a second factor, refuses trivial codes, stores a hash", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  const { secret, body } = await enrollAndLogIn(service, accountId);
  const headers = { authorization: `Bearer ${body.accessToken}` };
  const account = (await findAccountByAccountId(service.kv, accountId))!.value;

  const trivial = await service.request(
    "/v1/trading-passcode",
    json({ tradingPasscode: "123456", totp: "000000" }, "PUT", headers),
  );
  assertEquals(trivial.status, 400);
  assertEquals((await trivial.json()).code, "weak_passcode");
  const malformed = await service.request(
    "/v1/trading-passcode",
    json({ tradingPasscode: "12345a" }, "PUT", headers),
  );
  assertEquals((await malformed.json()).code, "invalid_request");
  const wrongFactor = await service.request(
    "/v1/trading-passcode",
    json({ tradingPasscode: "284915", totp: "000000" }, "PUT", headers),
  );
  assertEquals((await wrongFactor.json()).code, "invalid_code");
  assertEquals(await findTradingPasscode(service.kv, account.id), null);

  service.clock.advanceSeconds(30);
  const set = await service.request(
    "/v1/trading-passcode",
    json(
      {
        tradingPasscode: "284915",
        totp: totpCodeAt(secret, service.clock.now()),
      },
      "PUT",
      headers,
    ),
  );
  assertEquals(set.status, 204);
  const stored = await findTradingPasscode(service.kv, account.id);
  assert(
    stored?.hash.startsWith("$argon2id$") && !stored.hash.includes("284915"),
  );
  assertEquals(service.sent.at(-1)!.kind, "trading_passcode_set");
});
