/** Step-up bound to what it authorises (API.md, Step-up details), by passcode or passkey. */
import { decodeJwt } from "jose";
import { assert, assertEquals } from "../helpers/assert.ts";
import { signedInAccount } from "../helpers/brakes.ts";
import { addPasskey } from "../helpers/passkeys.ts";
import { createTestService, type TestService } from "../helpers/service.ts";

const withdrawal = {
  asset: "BTC",
  amount: 0.5,
  destination: "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh",
};

/** A signed-in account with trading passcode 284915 and no withdrawal hold. */
async function tradingAccount(service: TestService) {
  const account = await signedInAccount(service);
  const set = await account.send("/v1/trading-passcode", {
    tradingPasscode: "284915",
    totp: account.totp(),
  }, "PUT");
  assertEquals(set.status, 204);
  return account;
}

const consume = (service: TestService, body: string) =>
  service.request("/v1/step-up/consume", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });

Deno.test("details are bound into the token as dtl; other details are refused without spending it; canonical forms are equal", async () => {
  using service = await createTestService();
  const account = await tradingAccount(service);
  const stepped = await account.send("/v1/step-up", {
    tradingPasscode: "284915",
    action: "trade",
    details: withdrawal,
  });
  assertEquals(stepped.status, 200);
  const { actionToken } = await stepped.json();
  assertEquals(
    typeof decodeJwt(actionToken).dtl === "string" &&
      (decodeJwt(actionToken).dtl as string).length,
    43,
  );

  for (
    const other of [
      "",
      `,"details":{}`,
      `,"details":{"asset":"BTC","amount":0.5,"destination":"bc1qattacker"}`,
      `,"details":{"asset":"BTC","amount":"0.5","destination":"${withdrawal.destination}"}`,
    ]
  ) {
    const refused = await consume(
      service,
      `{"actionToken":"${actionToken}"${other}}`,
    );
    assertEquals(
      [refused.status, (await refused.json()).code],
      [409, "details_mismatch"],
      other,
    );
  }
  // Another key order and number form (5e-1) are the same canonical JSON.
  const redeemed = await consume(
    service,
    `{"details":{"destination":"${withdrawal.destination}","amount":5e-1,"asset":"BTC"},"actionToken":"${actionToken}"}`,
  );
  assertEquals(redeemed.status, 200);
  assertEquals(await redeemed.json(), {
    action: "trade",
    accountId: account.accountId,
    details: withdrawal,
  });
  const twice = await consume(
    service,
    JSON.stringify({ actionToken, details: withdrawal }),
  );
  assertEquals((await twice.json()).code, "token_used");
});

Deno.test("a token without details refuses details, and details beyond 1 KiB are refused", async () => {
  using service = await createTestService();
  const account = await tradingAccount(service);
  const { actionToken } = await (await account.send("/v1/step-up", {
    tradingPasscode: "284915",
    action: "api_key.create",
  })).json();
  const refused = await consume(
    service,
    JSON.stringify({ actionToken, details: { scope: "read" } }),
  );
  assertEquals((await refused.json()).code, "details_mismatch");
  const plain = await consume(service, JSON.stringify({ actionToken }));
  assertEquals(await plain.json(), {
    action: "api_key.create",
    accountId: account.accountId,
  });
  const large = await account.send("/v1/step-up", {
    tradingPasscode: "284915",
    action: "trade",
    details: { memo: "x".repeat(1020) },
  });
  assertEquals([large.status, (await large.json()).code], [
    400,
    "invalid_request",
  ]);
});

Deno.test("racing redemptions of a detailed token: exactly one succeeds", async () => {
  using service = await createTestService();
  const account = await tradingAccount(service);
  const { actionToken } = await (await account.send("/v1/step-up", {
    tradingPasscode: "284915",
    action: "trade",
    details: withdrawal,
  })).json();
  const answers = await Promise.all(
    Array.from(
      { length: 10 },
      () =>
        consume(service, JSON.stringify({ actionToken, details: withdrawal })),
    ),
  );
  const statuses = answers.map((answer) => answer.status).sort();
  for (const answer of answers) await answer.body?.cancel();
  assertEquals(statuses, [200, ...Array(9).fill(409)]);
});

Deno.test("a passkey steps up in place of the trading passcode; its challenge commits to action and details", async () => {
  using service = await createTestService();
  const account = await tradingAccount(service);
  const { authenticator, response } = await addPasskey(
    service,
    account.authorization.slice("Bearer ".length),
    account.secret,
  );
  assertEquals(response.status, 201);
  const options = async (body: unknown) => {
    const answer = await account.send("/v1/step-up/options", body);
    assertEquals(answer.status, 200);
    return await answer.json();
  };

  // A new passkey holds withdrawals: refused before the passkey is asked.
  const heldOptions = await options({
    action: "withdrawal",
    details: withdrawal,
  });
  const held = await account.send("/v1/step-up", {
    action: "withdrawal",
    details: withdrawal,
    webauthn: await authenticator.assert(heldOptions),
  });
  assertEquals((await held.json()).code, "security_hold");

  const tradeOptions = await options({ action: "trade", details: withdrawal });
  const assertion = await authenticator.assert(tradeOptions);
  // An answer to a challenge for other details (or another action) is refused...
  for (
    const other of [
      {
        action: "trade",
        details: { ...withdrawal, destination: "bc1qattacker" },
      },
      { action: "api_key.create", details: withdrawal },
      { action: "trade" },
    ]
  ) {
    const refused = await account.send("/v1/step-up", {
      ...other,
      webauthn: assertion,
    });
    assertEquals(
      [refused.status, (await refused.json()).code],
      [409, "details_mismatch"],
    );
  }
  // ...and the challenge stays for the details it was made for.
  const stepped = await account.send("/v1/step-up", {
    action: "trade",
    details: withdrawal,
    webauthn: assertion,
  });
  assertEquals(stepped.status, 200);
  const { actionToken } = await stepped.json();
  const redeemed = await consume(
    service,
    JSON.stringify({ actionToken, details: withdrawal }),
  );
  assertEquals((await redeemed.json()).details, withdrawal);
  // Single use: the same answer again finds no challenge.
  const replayed = await account.send("/v1/step-up", {
    action: "trade",
    details: withdrawal,
    webauthn: assertion,
  });
  assertEquals([replayed.status, (await replayed.json()).code], [
    409,
    "conflict",
  ]);
});

Deno.test("wrong passkey answers count toward the step-up lockout, as wrong trading passcodes do", async () => {
  using service = await createTestService();
  const account = await tradingAccount(service);
  const { authenticator } = await addPasskey(
    service,
    account.authorization.slice("Bearer ".length),
    account.secret,
  );
  for (let i = 0; i < 5; i++) {
    const options = await (await account.send("/v1/step-up/options", {
      action: "trade",
    })).json();
    const forged = await account.send("/v1/step-up", {
      action: "trade",
      webauthn: await authenticator.assert(options, { forgedSignature: true }),
    });
    assertEquals(
      [forged.status, (await forged.json()).code],
      [401, "invalid_code"],
    );
  }
  const options = await (await account.send("/v1/step-up/options", {
    action: "trade",
  })).json();
  const locked = await account.send("/v1/step-up", {
    action: "trade",
    webauthn: await authenticator.assert(options),
  });
  assertEquals([locked.status, (await locked.json()).code], [
    423,
    "step_up_locked",
  ]);
  const passcode = await account.send("/v1/step-up", {
    action: "trade",
    tradingPasscode: "284915",
  });
  assertEquals(passcode.status, 423);
  assert(service.sent.some((message) => message.kind === "step_up_locked"));
});
