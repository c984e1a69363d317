/**
 * Login as a short state machine held in a ticket (API.md, Login): passcode first, then
 * TOTP enrollment or a second factor; a session only when nothing is missing.
 */
import {
  type Account,
  findAccount,
  findAccountByAccountId,
} from "../kv/accounts.ts";
import {
  findBackupCode,
  listBackupCodes,
  replaceBackupCodes,
  spendBackupCode,
} from "../kv/backup_codes.ts";
import { loginTicketKey } from "../kv/keys.ts";
import {
  findLiveTicket,
  type LoginTicket,
  putLoginTicket,
  reserveTicketAttempt,
  updateLoginTicket,
} from "../kv/login_tickets.ts";
import { withRetry } from "../kv/retry.ts";
import { recordSecurityEvent } from "../kv/security_events.ts";
import {
  acceptTotpStep,
  findTotpCredential,
  insertTotpCredential,
} from "../kv/totp_credentials.ts";
import type { AccountId } from "./account_id.ts";
import type { Deps, RequestOrigin } from "./deps.ts";
import { ApiError } from "./errors.ts";
import {
  assertNotLocked,
  type LoginAttempt,
  reserveAttempt,
} from "./lockout.ts";
import {
  generateBackupCode,
  generateOpaqueToken,
  hashOpaqueToken,
  normaliseBackupCode,
} from "./opaque_token.ts";
import { openSecret, sealSecret } from "./secret_box.ts";
import {
  type IssuedTokens,
  prepareSession,
  securityEvent,
} from "./sessions.ts";
import { generateTotpSecret, matchTotpStep, totpEnrollment } from "./totp.ts";

/** API.md: a ticket lives 5 minutes and dies after 5 wrong codes. */
export const ticketTtlSeconds = 5 * 60;
const ticketMaxAttempts = 5;
/** Ten backup codes at enrollment and on regeneration. */
export const backupCodeCount = 10;

/** The state of a login as the client sees it. */
export interface TicketState {
  status: "pending";
  ticket: string;
  expiresIn: number;
  requires: LoginTicket["requires"];
  methods: ("totp" | "webauthn" | "backup_code")[];
}

/** A completed login. */
export interface CompletedLogin extends IssuedTokens {
  amr: string[];
  backupCodes?: string[];
  backupCodesRemaining?: number;
}

async function ticketHash(deps: Deps, ticket: string): Promise<string> {
  return await hashOpaqueToken(
    deps.keyring.hmac["token-hash"],
    `ticket:${ticket}`,
  );
}

/** The second factors an account can use now. */
async function availableMethods(
  deps: Deps,
  accountUuid: string,
): Promise<TicketState["methods"]> {
  const methods: TicketState["methods"] = [];
  if (await findTotpCredential(deps.kv, accountUuid)) methods.push("totp");
  if ((await listBackupCodes(deps.kv, accountUuid)).length > 0) {
    methods.push("backup_code");
  }
  return methods;
}

/**
 * Step 1: account ID and passcode. Unknown accounts cost the same hash as known ones
 * and get the same answer, so neither body nor timing tells them apart.
 */
export async function startLogin(
  deps: Deps,
  accountId: AccountId,
  passcode: string,
  origin: RequestOrigin,
): Promise<TicketState> {
  const attempt = await reserveAttempt(deps, accountId.value);
  const account = await findAccountByAccountId(deps.kv, accountId.value);
  const verdict = await deps.hasher.verify(
    account?.value.passcodeHash ?? deps.dummyPasscodeHash,
    passcode,
  );
  if (!account || !verdict.valid) {
    await attempt.failed(origin);
    throw new ApiError("invalid_credentials");
  }
  await attempt.passed();
  if (verdict.needsRehash) await rehashPasscode(deps, account, passcode);

  const now = deps.clock.now();
  const methods = await availableMethods(deps, account.value.id);
  const ticket = generateOpaqueToken(deps.random);
  const requires: LoginTicket["requires"] = methods.includes("totp")
    ? ["mfa"]
    : ["mfa_enrollment"];
  await putLoginTicket(deps.kv, await ticketHash(deps, ticket), {
    accountUuid: account.value.id,
    accountId: account.value.accountId,
    requires,
    amr: ["pwd"],
    expiresAt: now + ticketTtlSeconds * 1000,
    attemptsLeft: ticketMaxAttempts,
    pendingTotpSecret: null,
  }, now);
  return {
    status: "pending",
    ticket,
    expiresIn: ticketTtlSeconds,
    requires,
    methods,
  };
}

/** Stores a hash with the current parameters after a good login with older ones. */
async function rehashPasscode(
  deps: Deps,
  account: Deno.KvEntry<Account>,
  passcode: string,
): Promise<void> {
  const passcodeHash = await deps.hasher.hash(passcode);
  // A failed check means the account changed meanwhile; the next login tries again.
  await deps.kv.atomic().check(account).set(account.key, {
    ...account.value,
    passcodeHash,
  }).commit();
}

/** A live ticket or `invalid_ticket`. */
async function liveTicket(
  deps: Deps,
  ticket: string,
): Promise<{ hash: string; entry: Deno.KvEntry<LoginTicket> }> {
  const hash = await ticketHash(deps, ticket);
  const entry = await findLiveTicket(deps.kv, hash, deps.clock.now());
  if (!entry) throw new ApiError("invalid_ticket");
  return { hash, entry };
}

/**
 * Enrollment: a new TOTP secret (a new one each call: a QR code shown twice is a
 * secret shown twice), sealed into the ticket until a code proves the app has it.
 */
export async function beginTotpEnrollment(
  deps: Deps,
  ticket: string,
): Promise<{ secret: string; otpauthUri: string; qrSvg: string }> {
  return await withRetry(async (retry) => {
    const { entry } = await liveTicket(deps, ticket);
    if (!entry.value.requires.includes("mfa_enrollment")) {
      throw new ApiError(
        "conflict",
        "This login does not need TOTP enrollment.",
      );
    }
    requireOnlyMfaLeft(entry.value);
    const account = await findAccount(deps.kv, entry.value.accountUuid);
    if (!account) throw new ApiError("invalid_ticket");
    const secret = generateTotpSecret(deps.random);
    const sealed = await sealSecret(
      deps.keyring.dataEncryption,
      deps.random,
      account.value.id,
      secret,
    );
    const updated = await updateLoginTicket(deps.kv, entry, {
      ...entry.value,
      pendingTotpSecret: sealed,
    }, deps.clock.now());
    if (!updated) return retry;
    return {
      secret,
      ...totpEnrollment(secret, deps.config.rpName, account.value.accountId),
    };
  });
}

function requireOnlyMfaLeft(ticket: LoginTicket): void {
  if (ticket.requires.includes("device_verification")) {
    throw new ApiError(
      "conflict",
      "Verify this device with the code we sent first.",
    );
  }
}

/**
 * Reserves an attempt of the account's lockout budget and one of the ticket's, both
 * before any code is checked. The lock is looked at first, so a locked account spends
 * nothing of the ticket.
 */
async function reserveCodeAttempt(
  deps: Deps,
  ticket: string,
): Promise<{ hash: string; ticket: LoginTicket; attempt: LoginAttempt }> {
  const hash = await ticketHash(deps, ticket);
  const live = await findLiveTicket(deps.kv, hash, deps.clock.now());
  if (!live) throw new ApiError("invalid_ticket");
  requireOnlyMfaLeft(live.value);
  await assertNotLocked(deps, live.value.accountId);
  const reserved = await reserveTicketAttempt(deps.kv, hash, deps.clock.now());
  if (!reserved) throw new ApiError("invalid_ticket");
  const attempt = await reserveAttempt(deps, reserved.value.accountId);
  return { hash, ticket: reserved.value, attempt };
}

/** Counts a wrong code and answers `invalid_code`. */
async function wrongCode(
  attempt: LoginAttempt,
  origin: RequestOrigin,
): Promise<never> {
  await attempt.failed(origin);
  throw new ApiError("invalid_code");
}

/**
 * The ticket as it is now, for the completing operation. Attempts may be at zero here:
 * this request already holds a reserved attempt.
 */
async function currentTicket(
  deps: Deps,
  hash: string,
): Promise<Deno.KvEntry<LoginTicket>> {
  const entry = await deps.kv.get<LoginTicket>(loginTicketKey(hash));
  if (
    entry.versionstamp === null || entry.value.expiresAt <= deps.clock.now()
  ) {
    throw new ApiError("invalid_ticket");
  }
  return entry;
}

/** Completes MFA (or enrollment) with a TOTP code. */
export async function completeWithTotp(
  deps: Deps,
  ticket: string,
  code: string,
  origin: RequestOrigin,
): Promise<CompletedLogin> {
  const reserved = await reserveCodeAttempt(deps, ticket);
  const accountUuid = reserved.ticket.accountUuid;
  const amr = ["pwd", "otp", "mfa"];
  const prepared = await prepareSession(deps, accountUuid, amr, origin);

  if (reserved.ticket.requires.includes("mfa_enrollment")) {
    const sealed = reserved.ticket.pendingTotpSecret;
    if (!sealed) {
      throw new ApiError("conflict", "Start enrollment to get a secret first.");
    }
    const secret = await openSecret(
      deps.keyring.dataEncryption,
      accountUuid,
      sealed,
    );
    const step = secret ? matchTotpStep(secret, code, deps.clock.now()) : null;
    if (step === null) return await wrongCode(reserved.attempt, origin);
    const backupCodes = Array.from(
      { length: backupCodeCount },
      () => generateBackupCode(deps.random),
    );
    const backupHashes = await Promise.all(
      backupCodes.map((backupCode) =>
        backupCodeHash(deps, accountUuid, backupCode)
      ),
    );
    await withRetry(async (retry) => {
      const entry = await currentTicket(deps, reserved.hash);
      if (entry.value.pendingTotpSecret !== sealed) {
        throw new ApiError(
          "conflict",
          "A newer enrollment was started; use its code.",
        );
      }
      const now = deps.clock.now();
      const operation = deps.kv.atomic().check(entry).delete(entry.key);
      insertTotpCredential(operation, accountUuid, {
        sealedSecret: sealed,
        enrolledAt: now,
        lastUsedStep: step,
      });
      replaceBackupCodes(
        operation,
        accountUuid,
        await listBackupCodes(deps.kv, accountUuid),
        backupHashes,
        now,
      );
      prepared.insert(operation);
      recordSecurityEvent(
        operation,
        accountUuid,
        securityEvent(deps, "mfa_enrolled", origin),
      );
      recordSecurityEvent(
        operation,
        accountUuid,
        securityEvent(deps, "login_succeeded", origin),
      );
      return (await operation.commit()).ok ? true : retry;
    });
    await reserved.attempt.completed();
    return { ...prepared, amr, backupCodes };
  }

  await withRetry(async (retry) => {
    const credential = await findTotpCredential(deps.kv, accountUuid);
    if (!credential) throw new ApiError("invalid_ticket");
    const secret = await openSecret(
      deps.keyring.dataEncryption,
      accountUuid,
      credential.value.sealedSecret,
    );
    const step = secret ? matchTotpStep(secret, code, deps.clock.now()) : null;
    // The same code, or an older one, is refused once a step has been accepted.
    if (step === null || step <= credential.value.lastUsedStep) {
      return await wrongCode(reserved.attempt, origin);
    }
    const entry = await currentTicket(deps, reserved.hash);
    const operation = deps.kv.atomic().check(entry).delete(entry.key);
    acceptTotpStep(operation, credential, step);
    prepared.insert(operation);
    recordSecurityEvent(
      operation,
      accountUuid,
      securityEvent(deps, "login_succeeded", origin),
    );
    return (await operation.commit()).ok ? true : retry;
  });
  await reserved.attempt.completed();
  return { ...prepared, amr };
}

/** The stored form of a backup code, bound to its account. */
export async function backupCodeHash(
  deps: Deps,
  accountUuid: string,
  code: string,
): Promise<string> {
  return await hashOpaqueToken(
    deps.keyring.hmac["token-hash"],
    `backup:${accountUuid}:${normaliseBackupCode(code)}`,
  );
}

/** Completes MFA with a single-use backup code. */
export async function completeWithBackupCode(
  deps: Deps,
  ticket: string,
  code: string,
  origin: RequestOrigin,
): Promise<CompletedLogin> {
  const reserved = await reserveCodeAttempt(deps, ticket);
  const accountUuid = reserved.ticket.accountUuid;
  if (!reserved.ticket.requires.includes("mfa")) {
    throw new ApiError("conflict", "Enroll an authenticator app first.");
  }
  const amr = ["pwd", "otp", "mfa"];
  const prepared = await prepareSession(deps, accountUuid, amr, origin);
  const hash = await backupCodeHash(deps, accountUuid, code);
  await withRetry(async (retry) => {
    const backupCode = await findBackupCode(deps.kv, accountUuid, hash);
    if (!backupCode) return await wrongCode(reserved.attempt, origin);
    const entry = await currentTicket(deps, reserved.hash);
    const operation = deps.kv.atomic().check(entry).delete(entry.key);
    spendBackupCode(operation, backupCode);
    prepared.insert(operation);
    recordSecurityEvent(
      operation,
      accountUuid,
      securityEvent(deps, "backup_code_used", origin),
    );
    recordSecurityEvent(
      operation,
      accountUuid,
      securityEvent(deps, "login_succeeded", origin),
    );
    return (await operation.commit()).ok ? true : retry;
  });
  const backupCodesRemaining =
    (await listBackupCodes(deps.kv, accountUuid)).length;
  return { ...prepared, amr, backupCodesRemaining };
}
