/** Registrations waiting for their verification code. */
import { type Account, insertAccount } from "./accounts.ts";
import { registrationKey } from "./keys.ts";
import {
  type CodeRecord,
  putCodeRecord,
  redeemCode,
} from "./one_time_codes.ts";
import { enqueueMessage, type Message } from "./outbox.ts";
import { recordSecurityEvent, type SecurityEvent } from "./security_events.ts";

/** What a pending registration holds until verified. */
export interface PendingRegistration {
  accountId: string;
  channel: "email" | "sms";
  passcodeHash: string;
}

/**
 * Stores a pending registration (replacing an older one for the same ID, so nobody can
 * squat an address they cannot read) and its code message in one atomic operation.
 */
export async function putPendingRegistration(
  kv: Deno.Kv,
  record: CodeRecord<PendingRegistration>,
  message: Message,
  nowMs: number,
): Promise<void> {
  const operation = putCodeRecord(
    kv.atomic(),
    registrationKey(record.data.accountId),
    record,
    nowMs,
  );
  const result = await enqueueMessage(operation, message).commit();
  if (!result.ok) throw new Error("storing a registration failed");
}

/** Queues a message on its own (a notice that changes no record). */
export async function enqueueStandaloneMessage(
  kv: Deno.Kv,
  message: Message,
): Promise<void> {
  const result = await enqueueMessage(kv.atomic(), message).commit();
  if (!result.ok) throw new Error("queueing a message failed");
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
 * Redeems a registration code; on success the account, its index and the creation event
 * are written in the same atomic operation that consumes the registration.
 */
export async function verifyRegistration(
  kv: Deno.Kv,
  accountId: string,
  options: VerifyRegistrationOptions,
): Promise<Account | null> {
  let created: Account | null = null;
  const result = await redeemCode<PendingRegistration>(
    kv,
    registrationKey(accountId),
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
