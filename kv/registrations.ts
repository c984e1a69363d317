/** Registrations waiting for their verification code. */
import { type Account, insertAccount } from "./accounts.ts";
import { registrationKey } from "./keys.ts";
import {
  type CodeRecord,
  putCodeRecord,
  redeemCodeAmong,
} from "./one_time_codes.ts";
import { enqueueMessage, type Message } from "./outbox.ts";
import { recordSecurityEvent, type SecurityEvent } from "./security_events.ts";
import { withRetry } from "./retry.ts";

/** What a pending registration holds until verified. */
export interface PendingRegistration {
  accountId: string;
  channel: "email" | "sms";
  passcodeHash: string;
}

/**
 * How many registrations of one ID may wait side by side (API.md, Registration): enough
 * that a stranger's cannot push out the owner's, few enough to bound a guess's work.
 */
const pendingRegistrationsPerId = 3;

/** The slots of an ID's pending registrations. */
function registrationKeys(accountId: string): Deno.KvKey[] {
  return Array.from(
    { length: pendingRegistrationsPerId },
    (_, slot) => registrationKey(accountId, slot),
  );
}

/**
 * Stores a pending registration and its code message in one atomic operation, beside the
 * others of its ID: in a free slot, else in the oldest registration's, so a fourth
 * displaces the oldest. The chosen slot is checked, so racing registrations never leave
 * more than the slots hold; each keeps its own code, so nobody can squat an address they
 * cannot read, nor replace the owner's registration with theirs.
 */
export async function putPendingRegistration(
  kv: Deno.Kv,
  record: CodeRecord<PendingRegistration>,
  message: Message,
  nowMs: number,
): Promise<void> {
  const keys = registrationKeys(record.data.accountId);
  await withRetry<void>(async (retry) => {
    const entries = await kv.getMany<CodeRecord<PendingRegistration>[]>(keys);
    const slot = entries.reduce((chosen, entry) =>
      reuseOrder(entry, nowMs) < reuseOrder(chosen, nowMs) ? entry : chosen
    );
    const operation = putCodeRecord(
      kv.atomic().check(slot),
      slot.key,
      record,
      nowMs,
    );
    const result = await enqueueMessage(operation, message).commit();
    return result.ok ? undefined : retry;
  });
}

/**
 * Slots are taken lowest first: free ones (empty, expired, out of tries), then the oldest
 * registration's (every code lives equally long, so the oldest expires first).
 */
function reuseOrder(
  entry: Deno.KvEntryMaybe<CodeRecord<PendingRegistration>>,
  nowMs: number,
): number {
  if (entry.versionstamp === null) return -Infinity;
  const { expiresAt, attemptsLeft } = entry.value;
  return expiresAt <= nowMs || attemptsLeft <= 0 ? -Infinity : expiresAt;
}

/** Options of {@link verifyRegistration}. */
export interface VerifyRegistrationOptions {
  nowMs: number;
  matches(record: CodeRecord<PendingRegistration>): Promise<boolean>;
  /** Builds the account and its creation event from the verified registration. */
  createAccount(
    registration: PendingRegistration,
  ): { account: Account; event: SecurityEvent };
  /** Further writes of the creating operation (the recognised browser). */
  alsoWrite(operation: Deno.AtomicOperation): void;
}

/**
 * Redeems a registration code among the pending registrations of the ID: the one it was
 * sent for becomes the account (with its index and creation event) in the atomic
 * operation that deletes every pending registration of the ID.
 */
export async function verifyRegistration(
  kv: Deno.Kv,
  accountId: string,
  options: VerifyRegistrationOptions,
): Promise<Account | null> {
  let created: Account | null = null;
  const result = await redeemCodeAmong<PendingRegistration>(
    kv,
    registrationKeys(accountId),
    {
      nowMs: options.nowMs,
      matches: options.matches,
      onRedeem(operation, record) {
        const { account, event } = options.createAccount(record.data);
        created = account;
        options.alsoWrite(operation);
        return recordSecurityEvent(
          insertAccount(operation, account),
          account.id,
          event,
        );
      },
    },
  );
  return result.ok ? created : null;
}
