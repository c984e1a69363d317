import { findTradingPasscode } from "../../kv/trading_passcodes.ts";
import { findAccountByAccountId } from "../../kv/accounts.ts";
import { findWithdrawalHold } from "../../kv/action_tokens.ts";
import { selectArgon2idEngine } from "../../lib/crypto/argon2id.ts";
import {
  createPasscodeHasher,
  type PasscodeHasher,
} from "../../lib/crypto/passcode_hash.ts";
import { cryptoRandom } from "../../lib/runtime/random.ts";
import { totpCodeAt } from "../../lib/crypto/totp.ts";
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

Deno.test("replacing the trading passcode holds withdrawals for 24 hours; setting the first does not", async () => {
  using service = await createTestService();
  const accountId = await registerAccount(service);
  const { secret, body } = await enrollAndLogIn(service, accountId);
  const headers = { authorization: `Bearer ${body.accessToken}` };
  const setTradingPasscode = (tradingPasscode: string) => {
    service.clock.advanceSeconds(30);
    return service.request(
      "/v1/trading-passcode",
      json(
        {
          tradingPasscode,
          totp: totpCodeAt(secret, service.clock.now()),
        },
        "PUT",
        headers,
      ),
    );
  };
  const stepUp = (tradingPasscode: string, action: string) =>
    service.request(
      "/v1/step-up",
      json({ tradingPasscode, action }, "POST", headers),
    );

  assertEquals((await setTradingPasscode("284915")).status, 204);
  assertEquals(service.sent.at(-1)!.subject, "Your trading passcode was set");
  assertEquals((await stepUp("284915", "withdrawal")).status, 200);

  assertEquals((await setTradingPasscode("739164")).status, 204);
  const notice = service.sent.at(-1)!;
  assertEquals(notice.subject, "Your trading passcode was changed");
  assert(notice.text.includes("Withdrawals are on hold for 24 hours."));
  const held = await stepUp("739164", "withdrawal");
  assertEquals(held.status, 403);
  assertEquals((await held.json()).code, "security_hold");
  assertEquals((await stepUp("739164", "trade")).status, 200);
  assertEquals((await stepUp("284915", "trade")).status, 401);
});

/**
 * A real hasher whose hashes, once `holdUntil(n)` is called, are handed out only when n
 * are done, all at once: the requests behind them then read and commit at the same time.
 */
async function gatedHasher() {
  const real = createPasscodeHasher({
    engine: await selectArgon2idEngine(),
    random: cryptoRandom,
  });
  let gate: { waiting: number; opened: PromiseWithResolvers<void> } | null =
    null;
  const hasher: PasscodeHasher = {
    verify: real.verify,
    async hash(passcode) {
      const phc = await real.hash(passcode);
      if (gate) {
        if (--gate.waiting === 0) gate.opened.resolve();
        await gate.opened.promise;
      }
      return phc;
    },
  };
  return {
    hasher,
    holdUntil(count: number) {
      gate = { waiting: count, opened: Promise.withResolvers<void>() };
    },
  };
}

Deno.test("first trading passcodes racing: one is the first, every other one a replacement that holds withdrawals", async () => {
  const gated = await gatedHasher();
  using service = await createTestService({
    overrides: { hasher: gated.hasher },
  });
  const accountId = await registerAccount(service);
  const { body, backupCodes } = await enrollAndLogIn(service, accountId);
  const headers = { authorization: `Bearer ${body.accessToken}` };
  const account = (await findAccountByAccountId(service.kv, accountId))!.value;
  // Five: confirmations reserve a lockout attempt each, and a sixth at once is
  // refused (423) until one of the five has finished.
  const racing = backupCodes.slice(0, 5);
  gated.holdUntil(racing.length);
  const responses = await Promise.all(
    racing.map((backupCode, i) =>
      service.request(
        "/v1/trading-passcode",
        json(
          { tradingPasscode: String(739164 + i * 7), backupCode },
          "PUT",
          headers,
        ),
      )
    ),
  );
  assertEquals(
    responses.map((response) => response.status),
    Array(racing.length).fill(204),
  );
  assert(
    await findWithdrawalHold(service.kv, account.id, service.clock.now()),
  );
  const subjects = service.sent.filter((message) =>
    message.kind === "trading_passcode_set"
  ).map((message) => message.subject);
  assertEquals(
    subjects.filter((subject) => subject === "Your trading passcode was set")
      .length,
    1,
  );
});
