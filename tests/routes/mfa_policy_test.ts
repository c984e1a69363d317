/** Phishing-resistant only (API.md, `PUT /v1/mfa/policy`). */
import { totpCodeAt } from "../../lib/crypto/totp.ts";
import { assert, assertEquals } from "../helpers/assert.ts";
import { recoveryCode, signedInAccount } from "../helpers/brakes.ts";
import { addPasskey, webauthnStep } from "../helpers/passkeys.ts";
import {
  createTestService,
  json,
  passcodeStep,
  type TestService,
} from "../helpers/service.ts";
import type { SoftwareAuthenticator } from "../helpers/software_authenticator.ts";

const newPasscode = "violet kestrel under 9 lanterns";

/** A signed-in account with `count` passkeys. */
async function accountWithPasskeys(service: TestService, count: number) {
  const account = await signedInAccount(service);
  const keys: SoftwareAuthenticator[] = [];
  for (let i = 0; i < count; i++) {
    const added = await addPasskey(
      service,
      account.authorization.slice("Bearer ".length),
      account.secret,
    );
    assertEquals(added.response.status, 201);
    keys.push(added.authenticator);
  }
  return { ...account, keys };
}

/** A passkey's answer to this session's confirmation challenge. */
async function passkeyConfirmation(
  account: Awaited<ReturnType<typeof accountWithPasskeys>>,
) {
  const options = await account.send("/v1/session/confirm/options", {});
  assertEquals(options.status, 200);
  return await account.keys[0].assert(await options.json());
}

Deno.test("passkeys only needs two passkeys", async () => {
  using service = await createTestService();
  const account = await accountWithPasskeys(service, 1);
  const refused = await account.send("/v1/mfa/policy", {
    phishingResistantOnly: true,
    totp: account.totp(),
  }, "PUT");
  assertEquals([refused.status, (await refused.json()).code], [
    409,
    "conflict",
  ]);
  const mfa = await (await account.send("/v1/mfa", undefined, "GET")).json();
  assertEquals(mfa.phishingResistantOnly, false);
});

Deno.test("with passkeys only, app codes and backup codes are refused for sign-in, confirmation and recovery; off again only with a passkey", async () => {
  using service = await createTestService();
  const account = await accountWithPasskeys(service, 2);
  const { accountId } = account;
  const on = await account.send("/v1/mfa/policy", {
    phishingResistantOnly: true,
    totp: account.totp(),
  }, "PUT");
  assertEquals(on.status, 204);
  assertEquals(service.sent.at(-1)!.kind, "mfa_policy_changed");
  const mfa = await (await account.send("/v1/mfa", undefined, "GET")).json();
  assertEquals(mfa.phishingResistantOnly, true);

  // Sign-in: only webauthn is offered; codes answer 403 method_disabled.
  const ticket = await passcodeStep(service, accountId);
  assertEquals(ticket.methods, ["webauthn"]);
  const disabled = async (response: Response) =>
    assertEquals(
      [response.status, (await response.json()).code],
      [403, "method_disabled"],
    );
  await disabled(
    await service.request(
      "/v1/login/totp",
      json({ ticket: ticket.ticket, code: account.totp() }),
    ),
  );
  await disabled(
    await service.request(
      "/v1/login/backup-code",
      json({ ticket: ticket.ticket, code: account.backupCodes[0] }),
    ),
  );
  // A passkey still signs in.
  const step = await webauthnStep(service, accountId);
  const signedIn = await service.request(
    "/v1/login/webauthn",
    json({
      ticket: step.ticket,
      response: await account.keys[1].assert(step.options),
    }),
  );
  assertEquals(signedIn.status, 200);

  // Confirmation of a change: codes refused, nothing counted.
  await disabled(
    await account.send("/v1/anti-phishing-code", {
      code: "Blue-Otter_7",
      totp: account.totp(),
    }, "PUT"),
  );
  await disabled(
    await account.send("/v1/mfa/backup-codes", { totp: account.totp() }),
  );
  // Recovery with a code: refused too (its recovery is the MFA reset).
  await disabled(
    await service.request(
      "/v1/recovery/reset",
      json({
        accountId,
        code: await recoveryCode(service, accountId),
        newPasscode,
        totp: account.totp(),
      }),
    ),
  );

  // Off: not with an app code, only with a passkey.
  await disabled(
    await account.send("/v1/mfa/policy", {
      phishingResistantOnly: false,
      totp: account.totp(),
    }, "PUT"),
  );
  const off = await account.send("/v1/mfa/policy", {
    phishingResistantOnly: false,
    webauthn: await passkeyConfirmation(account),
  }, "PUT");
  assertEquals(off.status, 204);
  const again = await passcodeStep(service, accountId);
  assertEquals(again.methods, ["totp", "webauthn", "backup_code"]);
  const coded = await account.send("/v1/anti-phishing-code", {
    code: "Blue-Otter_7",
    totp: account.totp(),
  }, "PUT");
  assertEquals(coded.status, 204);
});

Deno.test("a passkey confirmation is single-use, and a wrong answer is a wrong confirmation", async () => {
  using service = await createTestService();
  const account = await accountWithPasskeys(service, 2);
  const answer = await passkeyConfirmation(account);
  const locked = await account.send("/v1/security/lock", {
    unlockDelayDays: 2,
    webauthn: answer,
  }, "PUT");
  assertEquals(locked.status, 204);
  const replayed = await account.send("/v1/security/lock", {
    unlockDelayDays: 3,
    webauthn: answer,
  }, "PUT");
  assertEquals([replayed.status, (await replayed.json()).code], [
    409,
    "conflict",
  ]);
  const options = await (await account.send("/v1/session/confirm/options", {}))
    .json();
  const forged = await account.send("/v1/security/lock", {
    unlockDelayDays: 3,
    webauthn: await account.keys[0].assert(options, { forgedSignature: true }),
  }, "PUT");
  assertEquals([forged.status, (await forged.json()).code], [
    400,
    "invalid_code",
  ]);
});

Deno.test("an MFA reset of a passkeys-only account: a passkey sign-in cancels it; completed, it switches codes back on", async () => {
  using service = await createTestService();
  const account = await accountWithPasskeys(service, 2);
  const { accountId } = account;
  assertEquals(
    (await account.send("/v1/mfa/policy", {
      phishingResistantOnly: true,
      totp: account.totp(),
    }, "PUT")).status,
    204,
  );
  const mfaReset = async () =>
    await service.request(
      "/v1/recovery/mfa-reset",
      json({
        accountId,
        code: await recoveryCode(service, accountId),
        newPasscode,
      }),
    );
  assertEquals((await mfaReset()).status, 202);
  const step = await webauthnStep(service, accountId);
  const signedIn = await service.request(
    "/v1/login/webauthn",
    json({
      ticket: step.ticket,
      response: await account.keys[0].assert(step.options),
    }),
  );
  assertEquals(signedIn.status, 200);
  assert(
    service.sent.some((message) => message.kind === "mfa_reset_cancelled"),
  );
  service.clock.advanceSeconds(48 * 60 * 60);
  assertEquals(await service.sweepMfaResets(), 0);

  assertEquals((await mfaReset()).status, 202);
  service.clock.advanceSeconds(48 * 60 * 60);
  assertEquals(await service.sweepMfaResets(), 1);
  const ticket = await passcodeStep(service, accountId, undefined, newPasscode);
  assertEquals(ticket.requires, ["mfa_enrollment"]);
  // Codes work again: the next sign-in enrolls a new authenticator app.
  const enrollment = await (await service.request(
    "/v1/login/totp/enroll",
    json({ ticket: ticket.ticket }),
  )).json();
  const enrolled = await service.request(
    "/v1/login/totp",
    json({
      ticket: ticket.ticket,
      code: totpCodeAt(enrollment.secret, service.clock.now()),
    }),
  );
  assertEquals(enrolled.status, 200);
});

Deno.test("the audit reports the settings lock and the policy", async () => {
  using service = await createTestService();
  const account = await accountWithPasskeys(service, 2);
  const checks = async () =>
    Object.fromEntries(
      (await (await account.send("/v1/security/audit", undefined, "GET"))
        .json()).checks.map((check: { id: string; status: string }) => [
          check.id,
          check.status,
        ]),
    );
  const before = await checks();
  assertEquals([before.settings_lock, before.mfa_policy], ["warn", "warn"]);
  assertEquals(
    (await account.send("/v1/mfa/policy", {
      phishingResistantOnly: true,
      totp: account.totp(),
    }, "PUT")).status,
    204,
  );
  assertEquals(
    (await account.send("/v1/security/lock", {
      unlockDelayDays: 5,
      webauthn: await passkeyConfirmation(account),
    }, "PUT")).status,
    204,
  );
  const after = await checks();
  assertEquals([after.settings_lock, after.mfa_policy], ["ok", "ok"]);
});
