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
import { enqueueMessage, type Message } from "../kv/outbox.ts";
import type { AccountId } from "./account_id.ts";
import { requireCaptcha } from "./captcha_gate.ts";
import {
  assessLoginContext,
  describeBrowser,
  prepareRecognition,
} from "./device_recognition.ts";
import { timeOrderedId } from "./ids.ts";
import { composeMessage } from "./messages.ts";
import {
  generateOneTimeCode,
  hashOneTimeCode,
  oneTimeCodeMatches,
} from "./one_time_code.ts";
import type { Deps, RequestOrigin } from "./deps.ts";
import { ApiError } from "./errors.ts";
import {
  assertNotLocked,
  isRiskyLogin,
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
  /** A new `__Host-device` cookie for a browser that had none. */
  deviceCookie: string | null;
  /** Messages the completion queued (a new-login alert). */
  messageIds: string[];
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
 * Step 1: account ID and passcode. The lock is looked at first (it reveals nothing:
 * unknown IDs lock too), so a locked account costs no CAPTCHA check and no hash.
 * Unknown accounts cost the same hash as known ones and get the same answer.
 */
export async function startLogin(
  deps: Deps,
  input: {
    accountId: AccountId;
    passcode: string;
    captcha: string | undefined;
    deviceCookie: string | undefined;
  },
  origin: RequestOrigin,
): Promise<{ state: TicketState; messageIds: string[] }> {
  const accountId = input.accountId.value;
  const account = await findAccountByAccountId(deps.kv, accountId);
  const context = account
    ? await assessLoginContext(
      deps,
      account.value.id,
      input.deviceCookie,
      origin.ip,
    )
    : null;
  const subject = { accountId, deviceId: context?.deviceId ?? null };
  await assertNotLocked(deps, subject);
  await requireCaptcha(
    deps,
    input.captcha,
    () => isRiskyLogin(deps, subject, origin.ip),
  );

  const attempt = await reserveAttempt(deps, subject);
  const verdict = await deps.hasher.verify(
    account?.value.passcodeHash ?? deps.dummyPasscodeHash,
    input.passcode,
  );
  if (!account || !context || !verdict.valid) {
    await attempt.failed(origin);
    throw new ApiError("invalid_credentials");
  }
  await attempt.passed();
  if (verdict.needsRehash) await rehashPasscode(deps, account, input.passcode);

  const now = deps.clock.now();
  const methods = await availableMethods(deps, account.value.id);
  const ticket = generateOpaqueToken(deps.random);
  const hash = await ticketHash(deps, ticket);
  const requires: LoginTicket["requires"] = [];
  const newContext = !context.deviceId || !context.knownNetwork;
  if (newContext) requires.push("device_verification");
  requires.push(methods.includes("totp") ? "mfa" : "mfa_enrollment");

  let message: Message | null = null;
  let deviceCodeHash: string | null = null;
  if (newContext) {
    const code = generateOneTimeCode(deps.random);
    deviceCodeHash = await hashOneTimeCode(
      deps.keyring.hmac["one-time-code"],
      deviceCodeContext(hash),
      code,
    );
    message = composeMessage("device_verification_code", {
      code,
      browser: describeBrowser(origin.userAgent),
      ip: origin.ip,
      at: new Date(now).toISOString(),
    }, {
      id: timeOrderedId(deps.clock, deps.random),
      channel: account.value.channel,
      to: account.value.accountId,
      antiPhishingCode: account.value.antiPhishingCode,
      createdAt: now,
    }, deps.config.appOrigins[0]);
  }
  await putLoginTicket(
    deps.kv,
    hash,
    {
      accountUuid: account.value.id,
      accountId: account.value.accountId,
      requires,
      amr: ["pwd"],
      expiresAt: now + ticketTtlSeconds * 1000,
      attemptsLeft: ticketMaxAttempts,
      pendingTotpSecret: null,
      lockoutSubject: subject,
      context: {
        deviceId: context.deviceId,
        cookieDeviceId: context.cookieDeviceId,
        network: context.network,
        knownNetwork: context.knownNetwork,
      },
      deviceCodeHash,
    },
    now,
    message,
  );
  return {
    state: {
      status: "pending",
      ticket,
      expiresIn: ticketTtlSeconds,
      requires,
      methods,
    },
    messageIds: message ? [message.id] : [],
  };
}

const deviceCodeContext = (ticketHash: string) => `device:${ticketHash}`;

/**
 * The new-device step: the code sent to the account's address. Right: the ticket moves
 * on to MFA; wrong: it counts toward the lockout and the ticket's 5 attempts.
 */
export async function verifyDevice(
  deps: Deps,
  ticket: string,
  code: string,
  origin: RequestOrigin,
): Promise<TicketState> {
  const reserved = await reserveCodeAttempt(deps, ticket, "device");
  const stored = reserved.ticket.deviceCodeHash;
  const matches = stored !== null && await oneTimeCodeMatches(
    deps.keyring.hmac["one-time-code"],
    deviceCodeContext(reserved.hash),
    code,
    stored,
  );
  if (!matches) return await wrongCode(reserved.attempt, origin);
  const updated = await withRetry(async (retry) => {
    const entry = await currentTicket(deps, reserved.hash);
    if (!entry.value.requires.includes("device_verification")) {
      throw new ApiError("conflict", "This device is already verified.");
    }
    const value: LoginTicket = {
      ...entry.value,
      requires: entry.value.requires.filter((step) =>
        step !== "device_verification"
      ),
      deviceCodeHash: null,
    };
    return await updateLoginTicket(deps.kv, entry, value, deps.clock.now())
      ? value
      : retry;
  });
  await reserved.attempt.passed();
  return {
    status: "pending",
    ticket,
    expiresIn: Math.max(
      0,
      Math.floor((updated.expiresAt - deps.clock.now()) / 1000),
    ),
    requires: updated.requires,
    methods: await availableMethods(deps, updated.accountUuid),
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
 * Reserves an attempt of the login's lockout budget and one of the ticket's, both before
 * any code is checked. The lock is looked at first, so a locked account spends nothing
 * of the ticket.
 */
async function reserveCodeAttempt(
  deps: Deps,
  ticket: string,
  step: "device" | "mfa",
): Promise<{ hash: string; ticket: LoginTicket; attempt: LoginAttempt }> {
  const hash = await ticketHash(deps, ticket);
  const live = await findLiveTicket(deps.kv, hash, deps.clock.now());
  if (!live) throw new ApiError("invalid_ticket");
  if (step === "mfa") requireOnlyMfaLeft(live.value);
  if (
    step === "device" && !live.value.requires.includes("device_verification")
  ) {
    throw new ApiError("conflict", "This login does not need a device code.");
  }
  await assertNotLocked(deps, live.value.lockoutSubject);
  const reserved = await reserveTicketAttempt(deps.kv, hash, deps.clock.now());
  if (!reserved) throw new ApiError("invalid_ticket");
  const attempt = await reserveAttempt(deps, reserved.value.lockoutSubject);
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

/**
 * What every completed login also does: the browser and network become recognised, and
 * a login from a new one is announced to the owner, in the completing operation.
 */
async function prepareCompletion(
  deps: Deps,
  ticket: LoginTicket,
  origin: RequestOrigin,
): Promise<{
  deviceCookie: string | null;
  messageIds: string[];
  apply(operation: Deno.AtomicOperation): void;
}> {
  const recognition = await prepareRecognition(
    deps,
    ticket.accountUuid,
    ticket.context,
    origin,
  );
  const account = await findAccount(deps.kv, ticket.accountUuid);
  const newContext = !ticket.context.deviceId || !ticket.context.knownNetwork;
  const now = deps.clock.now();
  const alert = newContext && account
    ? composeMessage("new_login_alert", {
      browser: recognition.browser.name,
      ip: origin.ip,
      at: new Date(now).toISOString(),
    }, {
      id: timeOrderedId(deps.clock, deps.random),
      channel: account.value.channel,
      to: account.value.accountId,
      antiPhishingCode: account.value.antiPhishingCode,
      createdAt: now,
    }, deps.config.appOrigins[0])
    : null;
  return {
    deviceCookie: recognition.cookie,
    messageIds: alert ? [alert.id] : [],
    apply(operation) {
      recognition.apply(operation);
      if (alert) enqueueMessage(operation, alert);
    },
  };
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

/** A login whose second factor is being checked: everything its completion needs. */
interface PendingCompletion {
  reserved: { hash: string; ticket: LoginTicket; attempt: LoginAttempt };
  completed: CompletedLogin;
  insert(operation: Deno.AtomicOperation): void;
}

/** Reserves the attempt and prepares the session and recognition of a completion. */
async function beginCompletion(
  deps: Deps,
  ticket: string,
  origin: RequestOrigin,
): Promise<PendingCompletion> {
  const reserved = await reserveCodeAttempt(deps, ticket, "mfa");
  const amr = ["pwd", "otp", "mfa"];
  const session = await prepareSession(
    deps,
    reserved.ticket.accountUuid,
    amr,
    origin,
  );
  const completion = await prepareCompletion(deps, reserved.ticket, origin);
  return {
    reserved,
    completed: {
      ...session,
      amr,
      deviceCookie: completion.deviceCookie,
      messageIds: completion.messageIds,
    },
    insert(operation) {
      session.insert(operation);
      completion.apply(operation);
    },
  };
}

/**
 * Commits a completed login in one atomic operation: the ticket consumed, the factor's
 * own checks and writes (`addFactor`, which reads afresh on every try and throws when
 * the factor no longer holds), the session, recognition, and the events. Retried on
 * conflict; then the lockout counter is cleared.
 */
async function commitLogin(
  deps: Deps,
  pending: PendingCompletion,
  origin: RequestOrigin,
  eventTypes: string[],
  addFactor: (
    operation: Deno.AtomicOperation,
    ticket: Deno.KvEntry<LoginTicket>,
  ) => Promise<void>,
): Promise<void> {
  const accountUuid = pending.reserved.ticket.accountUuid;
  await withRetry(async (retry) => {
    const entry = await currentTicket(deps, pending.reserved.hash);
    const operation = deps.kv.atomic().check(entry).delete(entry.key);
    await addFactor(operation, entry);
    pending.insert(operation);
    for (const type of [...eventTypes, "login_succeeded"]) {
      recordSecurityEvent(
        operation,
        accountUuid,
        securityEvent(deps, type, origin),
      );
    }
    return (await operation.commit()).ok ? true : retry;
  });
  await pending.reserved.attempt.completed();
}

/** Completes MFA (or enrollment) with a TOTP code. */
export async function completeWithTotp(
  deps: Deps,
  ticket: string,
  code: string,
  origin: RequestOrigin,
): Promise<CompletedLogin> {
  const pending = await beginCompletion(deps, ticket, origin);
  const { reserved } = pending;
  const accountUuid = reserved.ticket.accountUuid;

  if (reserved.ticket.requires.includes("mfa_enrollment")) {
    const sealed = reserved.ticket.pendingTotpSecret;
    if (!sealed) {
      await reserved.attempt.passed();
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
    await commitLogin(
      deps,
      pending,
      origin,
      ["mfa_enrolled"],
      async (operation, entry) => {
        if (entry.value.pendingTotpSecret !== sealed) {
          throw new ApiError(
            "conflict",
            "A newer enrollment was started; use its code.",
          );
        }
        const now = deps.clock.now();
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
      },
    );
    return { ...pending.completed, backupCodes };
  }

  await commitLogin(deps, pending, origin, [], async (operation) => {
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
    acceptTotpStep(operation, credential, step);
  });
  return pending.completed;
}

/** Completes MFA with a single-use backup code. */
export async function completeWithBackupCode(
  deps: Deps,
  ticket: string,
  code: string,
  origin: RequestOrigin,
): Promise<CompletedLogin> {
  const pending = await beginCompletion(deps, ticket, origin);
  const { reserved } = pending;
  const accountUuid = reserved.ticket.accountUuid;
  if (!reserved.ticket.requires.includes("mfa")) {
    await reserved.attempt.passed();
    throw new ApiError("conflict", "Enroll an authenticator app first.");
  }
  const hash = await backupCodeHash(deps, accountUuid, code);
  await commitLogin(
    deps,
    pending,
    origin,
    ["backup_code_used"],
    async (operation) => {
      const backupCode = await findBackupCode(deps.kv, accountUuid, hash);
      if (!backupCode) return await wrongCode(reserved.attempt, origin);
      spendBackupCode(operation, backupCode);
    },
  );
  const backupCodesRemaining =
    (await listBackupCodes(deps.kv, accountUuid)).length;
  return { ...pending.completed, backupCodesRemaining };
}
