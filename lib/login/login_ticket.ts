/**
 * The login ticket as the steps use it: hashing the opaque ticket, reading it live,
 * reserving an attempt (the ticket's and the lockout's) before any code is checked.
 */
import { listBackupCodes } from "../../kv/backup_codes.ts";
import { readEntries } from "../../kv/entries.ts";
import { commitGuards } from "../../kv/guards.ts";
import { listWebauthnCredentials } from "../../kv/webauthn_credentials.ts";
import { accountKey, loginTicketKey } from "../../kv/keys.ts";
import {
  findLiveTicket,
  type LoginTicket,
  ticketAttemptGuard,
} from "../../kv/login_tickets.ts";
import type { LoginFailures } from "../../kv/login_failures.ts";
import { findTotpCredential } from "../../kv/totp_credentials.ts";
import type { Deps, RequestOrigin } from "../deps.ts";
import { ApiError } from "../runtime/errors.ts";
import {
  admittedAttempt,
  attemptGuard,
  lockoutKey,
  type LoginAttempt,
  refuseLocked,
} from "../safeguards/lockout.ts";
import { hashOpaqueToken } from "../crypto/opaque_token.ts";
import type { Account } from "../../kv/accounts.ts";
import { assertNotFrozen, refuseFrozenAccount } from "../frozen_account.ts";
import {
  assertCodesAllowed,
  isPhishingResistantOnly,
} from "../safeguards/phishing_resistant.ts";

/** API.md: a ticket lives 5 minutes and dies after 5 wrong codes. */
export const ticketTtlSeconds = 5 * 60;
export const ticketMaxAttempts = 5;

/** The state of a login as the client sees it. */
export interface TicketState {
  status: "pending";
  ticket: string;
  expiresIn: number;
  requires: LoginTicket["requires"];
  methods: ("totp" | "webauthn" | "backup_code")[];
}

export async function ticketHash(deps: Deps, ticket: string): Promise<string> {
  return await hashOpaqueToken(
    deps.keyring.hmac["token-hash"],
    `ticket:${ticket}`,
  );
}

/**
 * The second factors an account can use now (only passkeys, when it says so), from
 * the account as the request read it; the factors' records are read side by side.
 */
export async function availableMethods(
  deps: Deps,
  account: Pick<Account, "id" | "phishingResistantOnly">,
): Promise<TicketState["methods"]> {
  const passkeysOnly = isPhishingResistantOnly(account);
  const [totp, passkeys, backupCodes] = await Promise.all([
    passkeysOnly ? null : findTotpCredential(deps.kv, account.id),
    listWebauthnCredentials(deps.kv, account.id),
    passkeysOnly ? [] : listBackupCodes(deps.kv, account.id),
  ]);
  const methods: TicketState["methods"] = [];
  if (totp) methods.push("totp");
  if (passkeys.length > 0) methods.push("webauthn");
  if (backupCodes.length > 0) methods.push("backup_code");
  return methods;
}

export const deviceCodeContext = (ticketHash: string) => `device:${ticketHash}`;

/** A live ticket or `invalid_ticket`. */
export async function liveTicket(
  deps: Deps,
  ticket: string,
): Promise<{ hash: string; entry: Deno.KvEntry<LoginTicket> }> {
  const hash = await ticketHash(deps, ticket);
  const entry = await findLiveTicket(deps.kv, hash, deps.clock.now());
  if (!entry) throw new ApiError("invalid_ticket");
  await refuseFrozenAccount(deps, entry.value.accountUuid);
  return { hash, entry };
}

export function requireOnlyMfaLeft(ticket: LoginTicket): void {
  if (ticket.requires.includes("device_verification")) {
    throw new ApiError(
      "conflict",
      "Verify this device with the code we sent first.",
    );
  }
}

/** A code step's reserved attempt, and what the step read to reserve it. */
export interface ReservedCode {
  hash: string;
  /** The ticket with this attempt spent. */
  ticket: LoginTicket;
  account: Deno.KvEntry<Account>;
  attempt: LoginAttempt;
  /**
   * Every record the step read, as it stands after the reservation (the ticket, the
   * account, those of `alsoRead`): what follows takes them from here, not from KV.
   */
  read: Deno.KvEntryMaybe<unknown>[];
}

/**
 * Reserves an attempt of the login's lockout budget and one of the ticket's, both before
 * any code is checked, in one commit. The ticket is read, then the account, the lockout
 * counter and the records of `alsoRead` together; the lock is looked at before the
 * commit, so a locked account spends nothing of the ticket. `codes`: an app or backup
 * code is offered, which an account of passkeys only refuses (`403`).
 */
export async function reserveCodeAttempt(
  deps: Deps,
  ticket: string,
  step: "device" | "mfa",
  options: {
    codes?: boolean;
    alsoRead?(ticket: LoginTicket): Deno.KvKey[];
  } = {},
): Promise<ReservedCode> {
  const now = deps.clock.now();
  const hash = await ticketHash(deps, ticket);
  const live = await findLiveTicket(deps.kv, hash, now);
  if (!live) throw new ApiError("invalid_ticket");
  const subject = live.value.lockoutSubject;
  const [account, counter, ...alsoRead] = await readEntries(deps.kv, [
    accountKey(live.value.accountUuid),
    lockoutKey(subject),
    ...options.alsoRead?.(live.value) ?? [],
  ]) as [
    Deno.KvEntryMaybe<Account>,
    Deno.KvEntryMaybe<LoginFailures>,
    ...Deno.KvEntryMaybe<unknown>[],
  ];
  if (account.versionstamp === null) throw new ApiError("invalid_ticket");
  if (options.codes) {
    assertNotFrozen(account.value);
    assertCodesAllowed(account.value);
  }
  if (step === "mfa") requireOnlyMfaLeft(live.value);
  if (
    step === "device" && !live.value.requires.includes("device_verification")
  ) {
    throw new ApiError("conflict", "This login does not need a device code.");
  }
  assertNotFrozen(account.value);
  refuseLocked(deps, counter);
  const { outcomes: [spent, reservation], versionstamp } = await commitGuards(
    deps.kv,
    [ticketAttemptGuard(hash, now), attemptGuard(deps, subject)],
    [live, counter],
  );
  if (!spent) throw new ApiError("invalid_ticket");
  const attempt = admittedAttempt(deps, subject, reservation!, versionstamp);
  return {
    hash,
    ticket: spent,
    account,
    attempt,
    read: [
      // Written by the reservation: its versionstamp is the commit's.
      { key: live.key, value: spent, versionstamp: versionstamp! },
      account,
      ...alsoRead,
    ],
  };
}

/** Counts a wrong code against `account` and answers `invalid_code`. */
export async function wrongCode(
  attempt: LoginAttempt,
  account: Account,
  origin: RequestOrigin,
): Promise<never> {
  await attempt.failed(origin, account);
  throw new ApiError("invalid_code");
}

/**
 * The ticket as it is now, for the completing operation (taken from `read` when the
 * request read it already). Attempts may be at zero here: this request already holds a
 * reserved attempt.
 */
export async function currentTicket(
  deps: Deps,
  hash: string,
  read: readonly Deno.KvEntryMaybe<unknown>[] = [],
): Promise<Deno.KvEntry<LoginTicket>> {
  const [entry] = await readEntries(deps.kv, [loginTicketKey(hash)], read) as [
    Deno.KvEntryMaybe<LoginTicket>,
  ];
  if (
    entry.versionstamp === null || entry.value.expiresAt <= deps.clock.now()
  ) {
    throw new ApiError("invalid_ticket");
  }
  return entry;
}
