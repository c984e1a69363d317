/**
 * The login ticket as the steps use it: hashing the opaque ticket, reading it live,
 * reserving an attempt (the ticket's and the lockout's) before any code is checked.
 */
import { listBackupCodes } from "../../kv/backup_codes.ts";
import { listWebauthnCredentials } from "../../kv/webauthn_credentials.ts";
import { loginTicketKey } from "../../kv/keys.ts";
import {
  findLiveTicket,
  type LoginTicket,
  reserveTicketAttempt,
} from "../../kv/login_tickets.ts";
import { findTotpCredential } from "../../kv/totp_credentials.ts";
import type { Deps, RequestOrigin } from "../deps.ts";
import { ApiError } from "../runtime/errors.ts";
import {
  assertNotLocked,
  type LoginAttempt,
  reserveAttempt,
} from "../safeguards/lockout.ts";
import { hashOpaqueToken } from "../crypto/opaque_token.ts";
import { findAccount } from "../../kv/accounts.ts";
import { refuseFrozenAccount } from "../frozen_account.ts";
import { isPhishingResistantOnly } from "../safeguards/phishing_resistant.ts";

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

/** The second factors an account can use now (only passkeys, when it says so). */
export async function availableMethods(
  deps: Deps,
  accountUuid: string,
): Promise<TicketState["methods"]> {
  const methods: TicketState["methods"] = [];
  const passkeysOnly = isPhishingResistantOnly(
    (await findAccount(deps.kv, accountUuid))?.value ?? null,
  );
  if (!passkeysOnly && await findTotpCredential(deps.kv, accountUuid)) {
    methods.push("totp");
  }
  if ((await listWebauthnCredentials(deps.kv, accountUuid)).length > 0) {
    methods.push("webauthn");
  }
  if (passkeysOnly) return methods;
  if ((await listBackupCodes(deps.kv, accountUuid)).length > 0) {
    methods.push("backup_code");
  }
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

/**
 * Reserves an attempt of the login's lockout budget and one of the ticket's, both before
 * any code is checked. The lock is looked at first, so a locked account spends nothing
 * of the ticket.
 */
export async function reserveCodeAttempt(
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
  await refuseFrozenAccount(deps, live.value.accountUuid);
  await assertNotLocked(deps, live.value.lockoutSubject);
  const reserved = await reserveTicketAttempt(deps.kv, hash, deps.clock.now());
  if (!reserved) throw new ApiError("invalid_ticket");
  const attempt = await reserveAttempt(deps, reserved.value.lockoutSubject);
  return { hash, ticket: reserved.value, attempt };
}

/** Counts a wrong code and answers `invalid_code`. */
export async function wrongCode(
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
export async function currentTicket(
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
