/**
 * A stranger who names an account ID must not learn from the answer, nor from the work
 * behind it, whether the ID has an account. The work is compared as the database saw
 * it: the same reads and the same commits, with the same kinds of writes, for an ID
 * with an account and for one without. (bench/account_timing.ts measures the time.)
 */
import { assert, assertEquals } from "../helpers/assert.ts";
import { recordingKv } from "../helpers/recording_kv.ts";
import { selectArgon2idEngine } from "../../lib/crypto/argon2id.ts";
import { createPasscodeHasher } from "../../lib/crypto/passcode_hash.ts";
import { cryptoRandom } from "../../lib/runtime/random.ts";
import {
  createTestService,
  enrollAndLogIn,
  json,
  registerAccount,
  strongPasscode,
} from "../helpers/service.ts";

/** The service, its record of KV work, and an enrolled account to compare with. */
async function rig() {
  let recorded: string[] = [];
  const service = await createTestService({
    // Both sides would solve the same CAPTCHA; the comparison leaves it out.
    env: { CAPTCHA_MODE: "off" },
    wrapKv(kv) {
      const recording = recordingKv(kv);
      recorded = recording.operations;
      return recording.kv;
    },
  });
  const known = await registerAccount(service);
  const { secret, backupCodes, body } = await enrollAndLogIn(service, known);
  return {
    service,
    known,
    secret,
    backupCodes,
    authorization: `Bearer ${body.accessToken}`,
    /** The KV work of `send`, its background deliveries included, sorted. */
    async workOf(send: () => Promise<Response>) {
      await service.deps.deliverer.settled();
      const before = recorded.length;
      const response = await send();
      await response.body?.cancel();
      await service.deps.deliverer.settled();
      return {
        status: response.status,
        work: recorded.slice(before).sort(),
      };
    },
  };
}

async function sameWork(
  compare: (accountId: string) => Promise<{ status: number; work: string[] }>,
  known: string,
) {
  const withAccount = await compare(known);
  const without = await compare(`nobody-${crypto.randomUUID()}@example.com`);
  assertEquals(without, withAccount);
  assert(withAccount.work.length > 0);
}

Deno.test("a wrong passcode costs the same reads and writes for an ID with or without an account", async () => {
  const { service, known, workOf } = await rig();
  using _ = service;
  await sameWork(
    (accountId) =>
      workOf(() =>
        service.request(
          "/v1/login",
          json({ accountId, passcode: "not the passcode 1" }),
          "203.0.113.40",
        )
      ),
    known,
  );
});

Deno.test("asking for recovery costs the same for an address with or without an account, and both get a message", async () => {
  const { service, known, workOf } = await rig();
  using _ = service;
  await sameWork(
    (accountId) =>
      workOf(() => service.request("/v1/recovery", json({ accountId }))),
    known,
  );
  const kinds = service.sent.slice(-2).map((message) => message.kind).sort();
  assertEquals(kinds, ["recovery_code", "recovery_no_account"]);
  const notice = service.sent.find((m) => m.kind === "recovery_no_account")!;
  assert(notice.to.startsWith("nobody-"));
  assert(!/\b\d{6}\b/.test(notice.text), "no code goes to an unknown address");
});

Deno.test("a wrong recovery code costs the same for an ID with or without an account", async () => {
  const { service, known, workOf } = await rig();
  using _ = service;
  await sameWork(async (accountId) => {
    await service.request("/v1/recovery", json({ accountId }));
    return await workOf(() =>
      service.request(
        "/v1/recovery/reset",
        json({
          accountId,
          code: "000000",
          newPasscode: "amber glacier folds 7 quiet maps",
          totp: "000000",
        }),
      )
    );
  }, known);
});

Deno.test("registering a taken ID costs the same as registering a free one", async () => {
  const { service, known, workOf } = await rig();
  using _ = service;
  await sameWork(
    (accountId) =>
      workOf(() =>
        service.request(
          "/v1/accounts",
          json({ accountId, passcode: strongPasscode }),
        )
      ),
    known,
  );
});

Deno.test("moving to a taken ID costs the same as moving to a free one", async () => {
  const { service, known, backupCodes, authorization, workOf } = await rig();
  using _ = service;
  const other = await registerAccount(service);
  let proof = 0;
  await sameWork(
    (newAccountId) =>
      workOf(() =>
        service.request(
          "/v1/account-id",
          json(
            {
              newAccountId,
              passcode: strongPasscode,
              backupCode: backupCodes[proof++],
            },
            "PUT",
            { authorization },
          ),
        )
      ),
    other,
  );
  // The taken address got a notice, the free one a code.
  assertEquals(
    service.sent.filter((message) => message.to === other).at(-1)?.kind,
    "registration_notice",
  );
  assertEquals(
    service.sent.filter((message) => message.to.startsWith("nobody-"))
      .map((message) => message.kind),
    ["account_id_change_code"],
  );
  assert(known !== other);
});

Deno.test("recovery answers wait for their floor, whoever they name; a refusal for the budget does not", async () => {
  using service = await createTestService({
    env: {
      CAPTCHA_MODE: "off",
      RECOVERY_ANSWER_FLOOR_MS: "150",
      RATE_LIMIT_RECOVERY: "2/3600s",
    },
  });
  const known = await registerAccount(service);
  const timed = async (path: string, body: unknown) => {
    const started = performance.now();
    const response = await service.request(path, json(body));
    await response.body?.cancel();
    return { status: response.status, ms: performance.now() - started };
  };
  for (const accountId of [known, "nobody-here@example.com"]) {
    const asked = await timed("/v1/recovery", { accountId });
    assertEquals(asked.status, 202);
    assert(asked.ms >= 150, `${asked.ms} ms`);
    const reset = await timed("/v1/recovery/reset", {
      accountId,
      code: "000000",
      newPasscode: "amber glacier folds 7 quiet maps",
    });
    assertEquals(reset.status, 400);
    assert(reset.ms >= 150, `${reset.ms} ms`);
  }
  // Throttling comes before the floor: a spent budget says nothing about an account.
  assertEquals((await timed("/v1/recovery", { accountId: known })).status, 429);
});

Deno.test("a process's first passcode check makes the stand-in hash, whether the ID is known or not", async () => {
  for (const known of [true, false]) {
    const hashed: string[] = [];
    const engine = await selectArgon2idEngine();
    const hasher = createPasscodeHasher({ engine, random: cryptoRandom });
    using service = await createTestService({
      env: { CAPTCHA_MODE: "off" },
      overrides: {
        hasher: {
          hash(passcode) {
            hashed.push(passcode);
            return hasher.hash(passcode);
          },
          verify: hasher.verify,
        },
      },
    });
    const accountId = known
      ? await registerAccount(service)
      : "nobody@example.com";
    const before = hashed.length;
    const answer = await service.request(
      "/v1/login",
      json({ accountId, passcode: "a wrong passcode 7!" }),
    );
    assertEquals(answer.status, 401);
    // Exactly one hash made, the stand-in's, by this first check either way; the
    // next check makes none.
    assertEquals(hashed.length - before, 1, `known: ${known}`);
    await service.request(
      "/v1/login",
      json({ accountId, passcode: "another wrong one 8!" }),
    );
    assertEquals(hashed.length - before, 1, `known: ${known}`);
  }
});
