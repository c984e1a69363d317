/**
 * The transactional outbox: a message is written in the same atomic operation as the
 * change it announces, then delivered by whoever leases it first (the request that wrote
 * it, or the cron sweep), so a crash between commit and delivery loses nothing.
 */
import {
  deadLetterKey,
  deadLetterPrefix,
  devMailboxKey,
  devMailboxPrefix,
  outboxKey,
  outboxPrefix,
} from "./keys.ts";
import { type LinkToken, putLinkToken } from "./link_tokens.ts";

/** A composed message as stored and delivered (`lib/messages/messages.ts` composes them). */
export interface Message {
  id: string;
  kind: string;
  channel: "email" | "sms";
  to: string;
  subject: string;
  text: string;
  /** An e-mail's HTML part, with the same words as `text`; none for a text message. */
  html?: string;
  createdAt: number;
  /**
   * The token of a link the text carries (the freeze link), by its keyed hash: stored
   * by {@link enqueueMessage} in the same operation, never kept in the entry.
   */
  linkToken?: { hash: string; record: LinkToken };
}

/** A message waiting for delivery, with its delivery bookkeeping. */
export interface OutboxEntry {
  message: Message;
  attempts: number;
  nextAttemptAt: number;
  /** While in the future, one deliverer owns the entry and nobody else sends it. */
  leaseUntil: number;
  lastError: string | null;
}

/** A message that failed every attempt, kept for an operator (never deleted by code). */
export interface DeadLetter extends OutboxEntry {
  deadAt: number;
}

/** Adds a message to an atomic operation that records the change it announces. */
export function enqueueMessage(
  operation: Deno.AtomicOperation,
  { linkToken, ...message }: Message,
): Deno.AtomicOperation {
  if (linkToken) {
    putLinkToken(
      operation,
      linkToken.hash,
      linkToken.record,
      message.createdAt,
    );
  }
  const entry: OutboxEntry = {
    message,
    attempts: 0,
    nextAttemptAt: message.createdAt,
    leaseUntil: 0,
    lastError: null,
  };
  return operation.set(outboxKey(message.id), entry);
}

/**
 * Takes the entry for delivery if it is due and not leased; null otherwise.
 * The lease is a check-and-set, so two deliverers never both send one entry.
 */
export async function leaseOutboxEntry(
  kv: Deno.Kv,
  messageId: string,
  nowMs: number,
  leaseMs: number,
): Promise<Deno.KvEntry<OutboxEntry> | null> {
  const entry = await kv.get<OutboxEntry>(outboxKey(messageId));
  if (
    entry.versionstamp === null || entry.value.leaseUntil > nowMs ||
    entry.value.nextAttemptAt > nowMs
  ) return null;
  const leased = { ...entry.value, leaseUntil: nowMs + leaseMs };
  const result = await kv.atomic().check(entry).set(entry.key, leased).commit();
  return result.ok
    ? { ...entry, value: leased, versionstamp: result.versionstamp }
    : null;
}

/** Removes a delivered entry. */
export async function completeOutboxEntry(
  kv: Deno.Kv,
  messageId: string,
): Promise<void> {
  await kv.delete(outboxKey(messageId));
}

/**
 * Records a failed attempt: the entry is retried at `nextAttemptAt`, or, when `dead`,
 * moves to the dead-letter list in the same atomic operation.
 */
export async function failOutboxEntry(
  kv: Deno.Kv,
  leased: Deno.KvEntry<OutboxEntry>,
  failure: {
    error: string;
    nextAttemptAt: number;
    dead: boolean;
    nowMs: number;
  },
): Promise<void> {
  const value: OutboxEntry = {
    ...leased.value,
    attempts: leased.value.attempts + 1,
    nextAttemptAt: failure.nextAttemptAt,
    leaseUntil: 0,
    lastError: failure.error.slice(0, 500),
  };
  const operation = kv.atomic().check(leased);
  if (failure.dead) {
    const deadLetter: DeadLetter = { ...value, deadAt: failure.nowMs };
    operation.delete(leased.key).set(
      deadLetterKey(value.message.id),
      deadLetter,
    );
  } else {
    operation.set(leased.key, value);
  }
  // A failed check means our lease lapsed and another deliverer owns the entry now.
  await operation.commit();
}

/** Ids of entries due for delivery, oldest first. */
export async function listDueOutboxIds(
  kv: Deno.Kv,
  nowMs: number,
  limit: number,
): Promise<string[]> {
  const ids: string[] = [];
  for await (
    const entry of kv.list<OutboxEntry>({ prefix: outboxPrefix() }, {
      limit: 500,
    })
  ) {
    if (
      entry.value.nextAttemptAt <= nowMs && entry.value.leaseUntil <= nowMs
    ) ids.push(entry.value.message.id);
    if (ids.length >= limit) break;
  }
  return ids;
}

/** How many entries wait, counting no further than `cap`. */
export async function countOutboxEntries(
  kv: Deno.Kv,
  cap: number,
): Promise<number> {
  let count = 0;
  for await (
    const _ of kv.list({ prefix: outboxPrefix() }, { limit: cap })
  ) count++;
  return count;
}

/** Every entry still waiting, for diagnostics and tests. */
export async function listOutboxEntries(kv: Deno.Kv): Promise<OutboxEntry[]> {
  return await Array.fromAsync(
    kv.list<OutboxEntry>({ prefix: outboxPrefix() }),
    (entry) => entry.value,
  );
}

/** Every dead letter. */
export async function listDeadLetters(kv: Deno.Kv): Promise<DeadLetter[]> {
  return await Array.fromAsync(
    kv.list<DeadLetter>({ prefix: deadLetterPrefix() }),
    (entry) => entry.value,
  );
}

/** The development mailbox keeps a week of messages. */
const devMailboxRetentionMs = 7 * 24 * 60 * 60 * 1000;

/** Stores a message in the development mailbox (the `dev` transport's "send"). */
export async function putDevMailboxMessage(
  kv: Deno.Kv,
  message: Message,
): Promise<void> {
  await kv.set(devMailboxKey(message.id), message, {
    expireIn: devMailboxRetentionMs,
  });
}

/** The newest messages of the development mailbox, newest first. */
/** One message of the development mailbox, or null. */
export async function findDevMailboxMessage(
  kv: Deno.Kv,
  id: string,
): Promise<Message | null> {
  return (await kv.get<Message>(devMailboxKey(id))).value;
}

export async function listDevMailbox(
  kv: Deno.Kv,
  limit: number,
): Promise<Message[]> {
  return await Array.fromAsync(
    kv.list<Message>({ prefix: devMailboxPrefix() }, { reverse: true, limit }),
    (entry) => entry.value,
  );
}
