/** Login tickets: the state of one login between its steps (API.md, Login). */
import type { Guard } from "./guards.ts";
import { loginTicketKey } from "./keys.ts";
import type { LockoutSubject } from "./login_failures.ts";
import { enqueueMessage, type Message } from "./outbox.ts";
import { cleanupAfterMs } from "./retry.ts";

/** What a login still needs, and what it has proven. */
export interface LoginTicket {
  accountUuid: string;
  /** The normalised account ID, whose lockout counter every step uses. */
  accountId: string;
  /**
   * When the passcode this login proved was set: a passcode changed since (a reset, a
   * change by the owner) makes the ticket worthless.
   */
  passcodeChangedAt: number;
  requires: ("device_verification" | "mfa_enrollment" | "mfa")[];
  /** Factors proven so far (RFC 8176 `amr` values). */
  amr: string[];
  expiresAt: number;
  /** Wrong codes this ticket may still take; the ticket dies at zero. */
  attemptsLeft: number;
  /** The TOTP secret being enrolled, sealed; replaced whenever a new QR is shown. */
  pendingTotpSecret: string | null;
  /** Whose failure budget this login spends: the account ID, or it and a browser. */
  lockoutSubject: LockoutSubject;
  /** The browser and network the login comes from. */
  context: {
    deviceId: string | null;
    cookieDeviceId: string | null;
    network: string | null;
    knownNetwork: boolean;
  };
  /** HMAC of the new-device code while `device_verification` is required. */
  deviceCodeHash: string | null;
  /** When the last new-device code was sent (a new one at most once a minute). */
  deviceCodeSentAt?: number | null;
  /** The WebAuthn challenge of this login, single-use (cleared when an answer is tried). */
  webauthnChallenge?: string | null;
}

/** Stores a new ticket, with the message it sends (a new-device code) if any. */
export async function putLoginTicket(
  kv: Deno.Kv,
  ticketHash: string,
  ticket: LoginTicket,
  nowMs: number,
  message: Message | null,
): Promise<void> {
  const operation = kv.atomic().set(loginTicketKey(ticketHash), ticket, {
    expireIn: cleanupAfterMs(ticket.expiresAt, nowMs),
  });
  if (message) enqueueMessage(operation, message);
  const result = await operation.commit();
  if (!result.ok) throw new Error("storing a login ticket failed");
}

/** Whether a ticket's entry is live (unexpired, attempts left). */
function isLive(
  entry: Deno.KvEntryMaybe<LoginTicket>,
  nowMs: number,
): entry is Deno.KvEntry<LoginTicket> {
  return entry.versionstamp !== null && entry.value.expiresAt > nowMs &&
    entry.value.attemptsLeft > 0;
}

/** A live ticket (unexpired, attempts left), or null. */
export async function findLiveTicket(
  kv: Deno.Kv,
  ticketHash: string,
  nowMs: number,
): Promise<Deno.KvEntry<LoginTicket> | null> {
  const entry = await kv.get<LoginTicket>(loginTicketKey(ticketHash));
  return isLive(entry, nowMs) ? entry : null;
}

/**
 * Spends one attempt of a live ticket before a code is checked, so racing requests
 * cannot check more codes than the ticket allows: the ticket as it is then, or null (a
 * refusal) when it is dead. Committed with the lockout's reservation (kv/guards.ts).
 */
export function ticketAttemptGuard(
  ticketHash: string,
  nowMs: number,
): Guard<LoginTicket | null> {
  const key = loginTicketKey(ticketHash);
  return {
    key,
    decide(entry) {
      const ticket = entry as Deno.KvEntryMaybe<LoginTicket>;
      if (!isLive(ticket, nowMs)) return { outcome: null };
      const value = {
        ...ticket.value,
        attemptsLeft: ticket.value.attemptsLeft - 1,
      };
      return {
        outcome: value,
        write: (operation) =>
          operation.set(key, value, {
            expireIn: cleanupAfterMs(value.expiresAt, nowMs),
          }),
      };
    },
  };
}

/**
 * Replaces a live ticket's value if it has not changed since `entry` was read, with the
 * message the change sends (a new device code) if any: the new versionstamp, or null
 * when it had changed.
 */
export async function updateLoginTicket(
  kv: Deno.Kv,
  entry: Deno.KvEntry<LoginTicket>,
  value: LoginTicket,
  nowMs: number,
  message: Message | null = null,
): Promise<string | null> {
  const operation = kv.atomic().check(entry).set(entry.key, value, {
    expireIn: cleanupAfterMs(value.expiresAt, nowMs),
  });
  if (message) enqueueMessage(operation, message);
  const result = await operation.commit();
  return result.ok ? result.versionstamp : null;
}
