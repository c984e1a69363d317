/**
 * The KV reads of the hot requests. On Deno Deploy a strong read from a region far from
 * the primary costs 90–190 ms, so each key a request touches is read once: what a step
 * read is handed on (with its versionstamp, which the commit still checks), not read
 * again. The cheapest refusals read the least the API allows: a locked sign-in its
 * lock, a session check its session.
 */
import { totpCodeAt } from "../../lib/crypto/totp.ts";
import { assert, assertEquals } from "../helpers/assert.ts";
import { recordingKv } from "../helpers/recording_kv.ts";
import {
  browserHeaders,
  createTestService,
  enrollAndLogIn,
  json,
  passcodeStep,
  registerAccount,
  solveCaptcha,
  strongPasscode,
  type TestService,
  type TestServiceOptions,
} from "../helpers/service.ts";

/** A service that records every key read, and an enrolled, signed-in account on it. */
async function rig(options: TestServiceOptions = {}) {
  let reads: string[] = [];
  const service = await createTestService({
    ...options,
    wrapKv(kv) {
      const recording = recordingKv(kv);
      reads = recording.reads;
      return recording.kv;
    },
  });
  const accountId = await registerAccount(service);
  const { secret, body } = await enrollAndLogIn(service, accountId);
  return {
    service,
    accountId,
    secret,
    accessToken: body.accessToken as string,
    refreshToken: body.refreshToken as string,
    /** The keys `send` read, its deliveries included, in order, and its answer. */
    async readsOf(send: () => Promise<Response>) {
      await service.deps.deliverer.settled();
      const before = reads.length;
      const response = await send();
      const body = await response.json();
      await service.deps.deliverer.settled();
      return { status: response.status, body, reads: reads.slice(before) };
    },
  };
}

/** Fails with the keys read more than once. */
function assertEachReadOnce(reads: string[]): void {
  const again = reads.filter((key, i) => reads.indexOf(key) !== i);
  assertEquals(again, [], `read again, of ${reads.join(", ")}`);
  assert(reads.length > 0);
}

const login = async (
  service: TestService,
  accountId: string,
  passcode: string,
  headers: Record<string, string> = {},
) =>
  service.request(
    "/v1/login",
    json(
      { accountId, passcode, captcha: await solveCaptcha(service) },
      "POST",
      headers,
    ),
  );

const wrongPasscode = "not the passcode 12";

Deno.test("a wrong passcode reads each key once, from a stranger's browser and from a recognised one", async () => {
  const { service, accountId, readsOf } = await rig();
  using _ = service;
  for (const headers of [{}, browserHeaders(service)]) {
    const captcha = await solveCaptcha(service);
    const { status, reads } = await readsOf(() =>
      service.request(
        "/v1/login",
        json({ accountId, passcode: wrongPasscode, captcha }, "POST", headers),
      )
    );
    assertEquals(status, 401);
    assertEachReadOnce(reads);
  }
});

Deno.test("with the adaptive CAPTCHA, judging the risk reads nothing twice either", async () => {
  const { service, accountId, readsOf } = await rig({
    env: { CAPTCHA_MODE: "adaptive" },
  });
  using _ = service;
  const { status, reads } = await readsOf(() =>
    service.request(
      "/v1/login",
      json(
        { accountId, passcode: wrongPasscode },
        "POST",
        browserHeaders(service),
      ),
    )
  );
  assertEquals(status, 401);
  assertEachReadOnce(reads);
});

Deno.test("a right passcode reads each key once, from a recognised browser and from a stranger's", async () => {
  const { service, accountId, readsOf } = await rig();
  using _ = service;
  for (const headers of [browserHeaders(service), {}]) {
    const captcha = await solveCaptcha(service);
    const { status, body, reads } = await readsOf(() =>
      service.request(
        "/v1/login",
        json({ accountId, passcode: strongPasscode, captcha }, "POST", headers),
      )
    );
    assertEquals(status, 200);
    assertEquals(body.status, "pending");
    assertEachReadOnce(reads);
  }
});

Deno.test("a locked sign-in is refused for one read of its lock: no account, no CAPTCHA, no hash", async () => {
  const { service, accountId, readsOf } = await rig();
  using _ = service;
  const browser = browserHeaders(service);
  for (const headers of [{}, browser]) {
    for (let i = 0; i < 5; i++) {
      assertEquals(
        (await login(service, accountId, wrongPasscode, headers)).status,
        401,
      );
    }
  }
  let hashed = 0;
  const hasher = service.deps.hasher;
  service.deps.hasher = {
    hash: hasher.hash,
    verify: (phc, passcode) => (hashed++, hasher.verify(phc, passcode)),
  };
  for (const headers of [{}, browser]) {
    const { status, body, reads } = await readsOf(() =>
      service.request(
        "/v1/login",
        // No CAPTCHA at all: the lock answers before it is asked for.
        json({ accountId, passcode: strongPasscode }, "POST", headers),
      )
    );
    assertEquals([status, body.code], [423, "account_locked"]);
    assertEquals(reads.length, 1, reads.join(", "));
    assert(reads[0].startsWith(`login_failures/${accountId}`), reads[0]);
  }
  assertEquals(hashed, 0);
});

Deno.test("a sign-in over its network's budget reads the lock and the budget, nothing more", async () => {
  const { service, accountId, readsOf } = await rig({
    env: { RATE_LIMIT_LOGIN: "1/60s" },
  });
  using _ = service;
  // The rig's own sign-in spent this window's budget from its address.
  const captcha = await solveCaptcha(service);
  const { status, reads } = await readsOf(() =>
    service.request(
      "/v1/login",
      json({ accountId, passcode: strongPasscode, captcha }),
    )
  );
  assertEquals(status, 429);
  assertEquals(reads.map((key) => key.split("/")[0]), [
    "login_failures",
    "rate_limits",
  ]);
});

Deno.test("a wrong and a right app code at the second step read each key once", async () => {
  const { service, accountId, secret, readsOf } = await rig();
  using _ = service;
  service.clock.advanceSeconds(30);
  const { ticket } = await passcodeStep(service, accountId);
  const right = totpCodeAt(secret, service.clock.now());
  const wrong = right === "000000" ? "111111" : "000000";
  const refused = await readsOf(() =>
    service.request("/v1/login/totp", json({ ticket, code: wrong }))
  );
  assertEquals(refused.status, 401);
  assertEachReadOnce(refused.reads);
  const accepted = await readsOf(() =>
    service.request(
      "/v1/login/totp",
      json({ ticket, code: right, transport: "token" }),
    )
  );
  assertEquals(accepted.status, 200);
  assertEachReadOnce(accepted.reads);
});

Deno.test("a session check reads the session record and nothing else", async () => {
  const { service, accessToken, readsOf } = await rig();
  using _ = service;
  const authorization = `Bearer ${accessToken}`;
  // Twice: the second a minute later, when last-seen is written too.
  for (const seconds of [0, 61]) {
    service.clock.advanceSeconds(seconds);
    const { status, body, reads } = await readsOf(() =>
      service.request("/v1/session", { headers: { authorization } })
    );
    assertEquals(status, 200);
    assertEquals(reads, [`sessions/${body.sessionId}`]);
  }
});

Deno.test("a refresh reads the refresh token and its session, once each", async () => {
  const { service, refreshToken, readsOf } = await rig();
  using _ = service;
  const { status, body, reads } = await readsOf(() =>
    service.request("/v1/session/refresh", json({ refreshToken }))
  );
  assertEquals(status, 200);
  assertEquals(reads.map((key) => key.split("/")[0]), [
    "refresh_tokens",
    "sessions",
  ]);
  assertEquals(reads[1], `sessions/${body.session.id}`);
});

Deno.test("a step-up reads each key once, with a wrong trading passcode and with the right one", async () => {
  const { service, secret, accessToken, readsOf } = await rig();
  using _ = service;
  const authorization = `Bearer ${accessToken}`;
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
  for (
    const [tradingPasscode, expected] of [
      ["111111", 401],
      ["284915", 200],
    ] as const
  ) {
    for (const action of ["trade", "withdrawal"]) {
      const { status, reads } = await readsOf(() =>
        service.request(
          "/v1/step-up",
          json({ tradingPasscode, action }, "POST", { authorization }),
        )
      );
      assertEquals(status, expected);
      assertEachReadOnce(reads);
    }
  }
});

Deno.test("what a step read and handed on still holds under races: 10 racing wrong app codes are checked 5 times", async () => {
  const { service, accountId, secret } = await rig();
  using _ = service;
  service.clock.advanceSeconds(30);
  const tickets = [];
  for (let i = 0; i < 10; i++) {
    tickets.push((await passcodeStep(service, accountId)).ticket);
  }
  const right = totpCodeAt(secret, service.clock.now());
  const code = right === "000000" ? "111111" : "000000";
  const responses = await Promise.all(
    tickets.map((ticket) =>
      service.request("/v1/login/totp", json({ ticket, code }))
    ),
  );
  const statuses = responses.map((response) => response.status);
  await Promise.all(responses.map((response) => response.body?.cancel()));
  assertEquals(statuses.filter((status) => status === 401).length, 5);
  assertEquals(statuses.filter((status) => status === 423).length, 5);
  assertEquals(
    service.sent.filter((message) => message.kind === "account_locked").length,
    1,
  );
});

Deno.test("10 racing wrong trading passcodes are checked 5 times, and the lock is told once", async () => {
  const { service, secret, accessToken } = await rig();
  using _ = service;
  const authorization = `Bearer ${accessToken}`;
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
  const responses = await Promise.all(
    Array.from({ length: 10 }, () =>
      service.request(
        "/v1/step-up",
        json({ tradingPasscode: "503872", action: "trade" }, "POST", {
          authorization,
        }),
      )),
  );
  const statuses = responses.map((response) => response.status);
  await Promise.all(responses.map((response) => response.body?.cancel()));
  assertEquals(statuses.filter((status) => status === 401).length, 5);
  assertEquals(statuses.filter((status) => status === 423).length, 5);
  assertEquals(
    service.sent.filter((message) => message.kind === "step_up_locked").length,
    1,
  );
});
