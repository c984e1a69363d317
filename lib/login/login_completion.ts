/**
 * Completing a sign-in with its last factor: the session, the recognition of the
 * browser and network, the alert for a new one, and the lockout cleared, in one commit.
 * A login held in a ticket completes through {@link commitLogin}; a sign-in that needs
 * no ticket (a passkey alone) through {@link commitCompletion}.
 */
import { type Account, findAccount } from "../../kv/accounts.ts";
import {
  findBackupCode,
  listBackupCodes,
  replaceBackupCodes,
  spendBackupCode,
} from "../../kv/backup_codes.ts";
import { type LoginTicket } from "../../kv/login_tickets.ts";
import { withRetry } from "../../kv/retry.ts";
import { recordSecurityEvent } from "../../kv/security_events.ts";
import {
  acceptTotpStep,
  findTotpCredential,
  insertTotpCredential,
} from "../../kv/totp_credentials.ts";
import { enqueueMessage, type Message } from "../../kv/outbox.ts";
import { describeBrowser } from "../runtime/browser_description.ts";
import {
  type LoginContext,
  prepareRecognition,
} from "../devices/device_recognition.ts";
import { prepareMfaResetCancellation } from "../account/mfa_reset.ts";
import { composeAccountMessage } from "../messages/account_message.ts";
import type { Deps, RequestOrigin } from "../deps.ts";
import { ApiError } from "../runtime/errors.ts";
import { type LoginAttempt } from "../safeguards/lockout.ts";
import { backupCodeHash, generateBackupCodes } from "../crypto/backup_codes.ts";
import { openSecret } from "../crypto/secret_box.ts";
import { type IssuedTokens, prepareSession } from "../sessions/sessions.ts";
import { securityEvent } from "../security_event.ts";
import { matchTotpStep } from "../crypto/totp.ts";
import {
  currentTicket,
  reserveCodeAttempt,
  type ReservedCode,
  wrongCode,
} from "./login_ticket.ts";
import { assertNotFrozen } from "../frozen_account.ts";
import {
  mfaResetKey,
  recognisedBrowserKey,
  totpCredentialKey,
} from "../../kv/keys.ts";

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

/**
 * What every completed login also does: the browser and network become recognised, and
 * a login from a new one is announced to the owner, in the completing operation. The
 * alert is composed from the account record that operation checks, so it carries the
 * anti-phishing code in force when it commits.
 */
async function prepareRecognitionAndAlert(
  deps: Deps,
  accountUuid: string,
  context: LoginContext,
  origin: RequestOrigin,
  read: readonly Deno.KvEntryMaybe<unknown>[],
): Promise<{
  deviceCookie: string | null;
  browserId: string;
  apply(operation: Deno.AtomicOperation, account: Account): string[];
}> {
  const recognition = await prepareRecognition(
    deps,
    accountUuid,
    context,
    origin,
    read,
  );
  const newContext = !context.deviceId || !context.knownNetwork;
  return {
    deviceCookie: recognition.cookie,
    browserId: recognition.browser.id,
    apply(operation, account) {
      recognition.apply(operation);
      if (!newContext) return [];
      const alert = composeAccountMessage(deps, account, "new_login_alert", {
        // This request's browser, not the stored one: its name is the owner's to set.
        browser: describeBrowser(origin.userAgent),
        ip: origin.ip,
        at: deps.clock.now(),
      });
      enqueueMessage(operation, alert);
      return [alert.id];
    },
  };
}

/** RFC 8176: a password and a one-time code, together multi-factor. */
const otpAmr = ["pwd", "otp", "mfa"];

/** Whose sign-in completes, from which browser and network, on whose failure budget. */
export interface CompletionSubject {
  accountUuid: string;
  context: LoginContext;
  /** The lockout attempt the sign-in reserved; cleared when it completes. */
  attempt: LoginAttempt;
}

/** A sign-in whose last factor is being checked: everything its completion needs. */
export interface PendingCompletion {
  subject: CompletionSubject;
  completed: CompletedLogin;
  /** Records the sign-in read already: its commit checks them, not reading again. */
  read: Deno.KvEntryMaybe<unknown>[];
  /** Adds the session and recognition; returns the ids of the messages it queues. */
  insert(
    operation: Deno.AtomicOperation,
    account: Deno.KvEntry<Account>,
  ): string[];
}

/** A completion of a login held in a ticket, with the attempt the ticket reserved. */
export interface PendingTicketCompletion extends PendingCompletion {
  reserved: ReservedCode;
}

/**
 * Prepares the session and recognition of a sign-in, with or without a ticket (a
 * passkey alone needs none). Nothing is written until {@link commitCompletion}. `read`:
 * the records the sign-in read already.
 */
export async function prepareCompletion(
  deps: Deps,
  subject: CompletionSubject,
  origin: RequestOrigin,
  amr: string[],
  read: Deno.KvEntryMaybe<unknown>[] = [],
): Promise<PendingCompletion> {
  const completion = await prepareRecognitionAndAlert(
    deps,
    subject.accountUuid,
    subject.context,
    origin,
    read,
  );
  const session = await prepareSession(
    deps,
    subject.accountUuid,
    amr,
    origin,
    completion.browserId,
  );
  return {
    subject,
    completed: {
      ...session,
      amr,
      deviceCookie: completion.deviceCookie,
      messageIds: [],
    },
    read,
    insert(operation, account) {
      session.insert(operation, account);
      return completion.apply(operation, account.value);
    },
  };
}

/**
 * Reserves the ticket's attempt and prepares the session and recognition. What the
 * completion will read (the recognised browser, a pending MFA reset, and the records
 * of `factorKeys`, the factor's) is read with the account and the lockout counter, in
 * one round trip. `codes`: the factor is an app or backup code.
 */
export async function beginCompletion(
  deps: Deps,
  ticket: string,
  origin: RequestOrigin,
  amr: string[],
  options: {
    codes?: boolean;
    factorKeys?(ticket: LoginTicket): Deno.KvKey[];
  } = {},
): Promise<PendingTicketCompletion> {
  const reserved = await reserveCodeAttempt(deps, ticket, "mfa", {
    codes: options.codes,
    alsoRead: (ticket) => [
      ...ticket.context.deviceId === null
        ? []
        : [recognisedBrowserKey(ticket.accountUuid, ticket.context.deviceId)],
      mfaResetKey(ticket.accountUuid),
      ...options.factorKeys?.(ticket) ?? [],
    ],
  });
  const pending = await prepareCompletion(
    deps,
    {
      accountUuid: reserved.ticket.accountUuid,
      context: reserved.ticket.context,
      attempt: reserved.attempt,
    },
    origin,
    amr,
    reserved.read,
  );
  return { ...pending, reserved };
}

/**
 * Commits a completed sign-in in one atomic operation: the factor's own checks and
 * writes (`addFactor`, which takes its records from `read` and throws when the factor
 * no longer holds, and returns the messages it announces, composed from the account the
 * operation checks), the session, recognition, the events, and the cancellation of a
 * pending MFA reset (the owner just proved a factor it would remove). The first try
 * decides on the records the sign-in read already, and the operation checks them; a
 * conflict reads afresh and tries again. Then the lockout counter is cleared.
 */
export async function commitCompletion(
  deps: Deps,
  pending: PendingCompletion,
  origin: RequestOrigin,
  eventTypes: string[],
  addFactor: (
    operation: Deno.AtomicOperation,
    account: Deno.KvEntry<Account>,
    read: readonly Deno.KvEntryMaybe<unknown>[],
  ) => Promise<Message[] | void>,
): Promise<void> {
  const accountUuid = pending.subject.accountUuid;
  let known = pending.read;
  const messageIds = await withRetry(async (retry) => {
    const read = known;
    known = [];
    const account = await findAccount(deps.kv, accountUuid, read);
    if (!account) throw new ApiError("invalid_ticket");
    // A freeze that landed since the sign-in began wins: the attempt is given back,
    // and this operation checks the account, so a racing freeze is seen here too.
    if (account.value.frozenAt != null) {
      await pending.subject.attempt.passed();
      assertNotFrozen(account.value);
    }
    const operation = deps.kv.atomic();
    const notices = await addFactor(operation, account, read) ?? [];
    for (const notice of notices) enqueueMessage(operation, notice);
    // The operation checks the account too, so a change racing this one is seen here.
    const ids = [
      ...notices.map((notice) => notice.id),
      ...pending.insert(operation, account),
    ];
    for (const type of [...eventTypes, "login_succeeded"]) {
      recordSecurityEvent(
        operation,
        accountUuid,
        securityEvent(deps, type, origin),
      );
    }
    const cancellation = await prepareMfaResetCancellation(
      deps,
      account.value,
      origin,
      read,
    );
    cancellation.apply(operation);
    if (cancellation.messageId) ids.push(cancellation.messageId);
    return (await operation.commit()).ok ? ids : retry;
  });
  pending.completed.messageIds.push(...messageIds);
  await pending.subject.attempt.completed();
}

/**
 * Commits a login held in a ticket ({@link commitCompletion}), consuming the ticket in
 * the same operation. A ticket whose passcode changed since it was proven ends.
 */
export async function commitLogin(
  deps: Deps,
  pending: PendingTicketCompletion,
  origin: RequestOrigin,
  eventTypes: string[],
  addFactor: (
    operation: Deno.AtomicOperation,
    ticket: Deno.KvEntry<LoginTicket>,
    account: Account,
    read: readonly Deno.KvEntryMaybe<unknown>[],
  ) => Promise<Message[] | void>,
): Promise<void> {
  await commitCompletion(
    deps,
    pending,
    origin,
    eventTypes,
    async (operation, account, read) => {
      const entry = await currentTicket(deps, pending.reserved.hash, read);
      if (account.value.passcodeChangedAt !== entry.value.passcodeChangedAt) {
        // Not a wrong code: the reserved attempt is given back.
        await pending.reserved.attempt.passed();
        throw new ApiError(
          "invalid_ticket",
          "The passcode changed after this sign-in began. Sign in again.",
        );
      }
      operation.check(entry).delete(entry.key);
      return await addFactor(operation, entry, account.value, read);
    },
  );
}

/** Completes MFA (or enrollment) with a TOTP code. */
export async function completeWithTotp(
  deps: Deps,
  ticket: string,
  code: string,
  origin: RequestOrigin,
): Promise<CompletedLogin> {
  const pending = await beginCompletion(deps, ticket, origin, otpAmr, {
    codes: true,
    // An enrollment inserts the credential, checking that none exists, unread.
    factorKeys: (ticket) =>
      ticket.requires.includes("mfa_enrollment")
        ? []
        : [totpCredentialKey(ticket.accountUuid)],
  });
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
    if (step === null) {
      return await wrongCode(reserved.attempt, reserved.account.value, origin);
    }
    const backupCodes = await generateBackupCodes(
      deps.keyring,
      deps.random,
      accountUuid,
    );
    await commitLogin(
      deps,
      pending,
      origin,
      ["mfa_enrolled"],
      async (operation, entry, account) => {
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
          backupCodes.hashes,
          now,
        );
        // A new second factor, as after an MFA reset: the owner hears of it.
        return [composeAccountMessage(deps, account, "mfa_enrolled", {})];
      },
    );
    return { ...pending.completed, backupCodes: backupCodes.codes };
  }

  await commitLogin(
    deps,
    pending,
    origin,
    [],
    async (operation, _, account, read) => {
      const credential = await findTotpCredential(deps.kv, accountUuid, read);
      if (!credential) throw new ApiError("invalid_ticket");
      const secret = await openSecret(
        deps.keyring.dataEncryption,
        accountUuid,
        credential.value.sealedSecret,
      );
      const step = secret
        ? matchTotpStep(secret, code, deps.clock.now())
        : null;
      // The same code, or an older one, is refused once a step has been accepted.
      if (step === null || step <= credential.value.lastUsedStep) {
        return await wrongCode(reserved.attempt, account, origin);
      }
      acceptTotpStep(operation, credential, step);
    },
  );
  return pending.completed;
}

/** Completes MFA with a single-use backup code. */
export async function completeWithBackupCode(
  deps: Deps,
  ticket: string,
  code: string,
  origin: RequestOrigin,
): Promise<CompletedLogin> {
  const pending = await beginCompletion(deps, ticket, origin, otpAmr, {
    codes: true,
  });
  const { reserved } = pending;
  const accountUuid = reserved.ticket.accountUuid;
  if (!reserved.ticket.requires.includes("mfa")) {
    await reserved.attempt.passed();
    throw new ApiError("conflict", "Enroll an authenticator app first.");
  }
  const hash = await backupCodeHash(deps.keyring, accountUuid, code);
  await commitLogin(
    deps,
    pending,
    origin,
    ["backup_code_used"],
    async (operation, _, account) => {
      const backupCode = await findBackupCode(deps.kv, accountUuid, hash);
      if (!backupCode) {
        return await wrongCode(reserved.attempt, account, origin);
      }
      spendBackupCode(operation, backupCode);
    },
  );
  const backupCodesRemaining =
    (await listBackupCodes(deps.kv, accountUuid)).length;
  return { ...pending.completed, backupCodesRemaining };
}
