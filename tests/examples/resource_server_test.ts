/**
 * `examples/resource_server.ts` against the real service, each on its own loopback
 * port: access tokens verified offline with the JWKS, a revoked session's token
 * honoured there until it expires (the service's clock is moved, not waited for), and
 * withdrawals only with an action token the service redeems.
 */
import { totpCodeAt } from "../../lib/crypto/totp.ts";
import { createResourceServer } from "../../examples/resource_server.ts";
import { assert, assertEquals } from "../helpers/assert.ts";
import { freePort } from "../helpers/net.ts";
import {
  createTestService,
  enrollAndLogIn,
  json,
  registerAccount,
  signInAgain,
  type TestService,
} from "../helpers/service.ts";

/** The service and the example, served; `close()` stops both. */
async function servedPair() {
  const loginPort = freePort();
  const loginOrigin = `http://localhost:${loginPort}`;
  const service = await createTestService({ env: { APP_ORIGIN: loginOrigin } });
  const loginServer = Deno.serve(
    { hostname: "127.0.0.1", port: loginPort, onListen: () => {} },
    (request, info) => service.app.fetch(request, info),
  );
  const exampleServer = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    createResourceServer({ loginOrigin, now: service.clock.now }).fetch,
  );
  const example = `http://127.0.0.1:${exampleServer.addr.port}`;
  return {
    service,
    example,
    async close() {
      await exampleServer.shutdown();
      await loginServer.shutdown();
      await service.deps.deliverer.settled();
      service.close();
    },
  };
}

/** A signed-in account with a trading passcode; its token and TOTP secret. */
async function tradingAccount(service: TestService) {
  const accountId = await registerAccount(service);
  const { secret, body } = await enrollAndLogIn(service, accountId);
  const authorization = `Bearer ${body.accessToken}`;
  service.clock.advanceSeconds(30);
  const set = await service.request(
    "/v1/trading-passcode",
    json(
      {
        tradingPasscode: "284915",
        totp: totpCodeAt(secret, service.clock.now()),
      },
      "PUT",
      { authorization },
    ),
  );
  assertEquals(set.status, 204);
  return { accountId, secret, authorization };
}

const withdrawal = {
  asset: "BTC",
  amount: "0.25",
  destination: "bc1qexampledestination",
};

/** An action token for `action`, bound to `details` (a withdrawal's, by default). */
async function actionToken(
  service: TestService,
  authorization: string,
  action: string,
  details: Record<string, string> = withdrawal,
): Promise<string> {
  const response = await service.request(
    "/v1/step-up",
    json({ tradingPasscode: "284915", action, details }, "POST", {
      authorization,
    }),
  );
  assertEquals(response.status, 200);
  return (await response.json()).actionToken;
}

function withdraw(example: string, authorization: string, token?: string) {
  return fetch(`${example}/api/withdrawals`, {
    method: "POST",
    headers: { authorization, "content-type": "application/json" },
    body: JSON.stringify({ ...withdrawal, actionToken: token }),
  });
}

Deno.test("the example trusts a valid session offline, and a revoked one only until its JWT expires", async () => {
  const pair = await servedPair();
  const { service, example } = pair;
  try {
    const { accountId, secret, authorization } = await tradingAccount(service);
    const account = await fetch(`${example}/api/account`, {
      headers: { authorization },
    });
    assertEquals(account.status, 200);
    const caller = await account.json();
    assert(typeof caller.subject === "string" && caller.subject.length > 0);
    assertEquals(caller.amr, ["pwd", "otp", "mfa"]);

    const second = await signInAgain(service, accountId, secret);
    const loggedOut = await service.request("/v1/logout", {
      method: "POST",
      headers: second,
    });
    assertEquals(loggedOut.status, 204);
    // The service refuses the revoked session's token at once...
    const atService = await service.request("/v1/session", { headers: second });
    assertEquals(atService.status, 401);
    assertEquals((await atService.json()).code, "session_revoked");
    // ...a service that verifies offline honours it until it expires.
    const stillTrusted = await fetch(`${example}/api/account`, {
      headers: second,
    });
    assertEquals(stillTrusted.status, 200);
    await stillTrusted.body?.cancel();

    service.clock.advanceSeconds(15 * 60 + 1);
    const expired = await fetch(`${example}/api/account`, { headers: second });
    assertEquals(expired.status, 401);
    assertEquals(await expired.json(), { error: "unauthenticated" });

    for (
      const refused of [
        {} as Record<string, string>,
        { authorization: "Bearer not-a-jwt" },
        // An action token is no access token (its audience is /actions).
        {
          authorization: `Bearer ${await actionToken(
            service,
            (await signInAgain(service, accountId, secret)).authorization,
            "trade",
          )}`,
        },
      ]
    ) {
      const response = await fetch(`${example}/api/account`, {
        headers: refused,
      });
      assertEquals(response.status, 401);
      await response.body?.cancel();
    }
  } finally {
    await pair.close();
  }
});

Deno.test("the example executes a withdrawal only with a withdrawal token the service redeems, once", async () => {
  const pair = await servedPair();
  const { service, example } = pair;
  try {
    const { accountId, secret, authorization } = await tradingAccount(service);

    for (const token of [undefined, "not-a-jwt.at.all"]) {
      const refused = await withdraw(example, authorization, token);
      assert([400, 403].includes(refused.status), String(refused.status));
      await refused.body?.cancel();
    }
    // A token for another action is refused before the service is asked.
    const trade = await actionToken(service, authorization, "trade");
    const wrongAction = await withdraw(example, authorization, trade);
    assertEquals(wrongAction.status, 403);
    assertEquals(await wrongAction.json(), { error: "step_up_required" });

    const token = await actionToken(service, authorization, "withdrawal");
    const executed = await withdraw(example, authorization, token);
    assertEquals(executed.status, 201);
    const receipt = await executed.json();
    assertEquals(receipt.status, "executed");
    assertEquals(receipt.accountId, accountId);
    assertEquals(receipt.amount, "0.25");

    // Approved for another destination: the service refuses these details, spending
    // nothing, and the example does not execute.
    const elsewhere = await actionToken(service, authorization, "withdrawal", {
      ...withdrawal,
      destination: "bc1qsomebodyelse",
    });
    const redirected = await withdraw(example, authorization, elsewhere);
    assertEquals(redirected.status, 403);
    assertEquals(await redirected.json(), {
      error: "step_up_refused",
      reason: "details_mismatch",
    });

    // Once: the service remembers the redemption.
    const replayed = await withdraw(example, authorization, token);
    assertEquals(replayed.status, 403);
    assertEquals(await replayed.json(), {
      error: "step_up_refused",
      reason: "token_used",
    });

    // Another session of the same account cannot spend this session's token.
    const other = await signInAgain(service, accountId, secret);
    const fresh = await actionToken(service, authorization, "withdrawal");
    const borrowed = await withdraw(example, other.authorization, fresh);
    assertEquals(borrowed.status, 403);
    await borrowed.body?.cancel();

    // Signed out after the step-up: the JWT still verifies offline, but the service
    // no longer redeems the session's token.
    const loggedOut = await service.request("/v1/logout", {
      method: "POST",
      headers: { authorization },
    });
    assertEquals(loggedOut.status, 204);
    const afterLogout = await withdraw(example, authorization, fresh);
    assertEquals(afterLogout.status, 403);
    assertEquals(await afterLogout.json(), {
      error: "step_up_refused",
      reason: "unauthenticated",
    });
  } finally {
    await pair.close();
  }
});
