/** The security history of an account. */
import { nobodysAccountUuid } from "./accounts.ts";
import { securityEventKey, securityEventPrefix } from "./keys.ts";

/** What happened, when, and from where. */
export interface SecurityEvent {
  id: string;
  type: string;
  at: number;
  ip: string | null;
  userAgent: string | null;
}

/** Events are kept 180 days (API.md audit rules; GDPR data minimisation). */
export const securityEventRetentionMs = 180 * 24 * 60 * 60 * 1000;

/** Adds an event to the atomic operation that makes the change it records. */
export function recordSecurityEvent(
  operation: Deno.AtomicOperation,
  accountUuid: string,
  event: SecurityEvent,
): Deno.AtomicOperation {
  return operation.set(securityEventKey(accountUuid, event.id), event, {
    expireIn: securityEventRetentionMs,
  });
}

/** How long a stand-in event (below) stays: it is never read, only written. */
const standInRetentionMs = 10 * 60 * 1000;

/**
 * Adds the event of an account, or, for an account ID without one (null), the same
 * write under an account nobody has, cleaned up after 10 minutes. A write costs a
 * commit measurably more (about a quarter of a millisecond on SQLite), so a request
 * that records an event for a known ID must write one for an unknown ID too, or its
 * time tells a stranger which IDs have accounts.
 */
export function recordSecurityEventOrStandIn(
  operation: Deno.AtomicOperation,
  accountUuid: string | null,
  event: SecurityEvent,
): Deno.AtomicOperation {
  if (accountUuid !== null) {
    return recordSecurityEvent(operation, accountUuid, event);
  }
  return operation.set(securityEventKey(nobodysAccountUuid, event.id), event, {
    expireIn: standInRetentionMs,
  });
}

/** A page of an account's events, newest first, and the cursor of the next page. */
export async function listSecurityEvents(
  kv: Deno.Kv,
  accountUuid: string,
  options: { limit: number; cursor?: string; notBefore: number },
): Promise<{ events: SecurityEvent[]; cursor: string | null }> {
  const iterator = kv.list<SecurityEvent>(
    { prefix: securityEventPrefix(accountUuid) },
    { reverse: true, limit: options.limit, cursor: options.cursor },
  );
  const events: SecurityEvent[] = [];
  for await (const entry of iterator) {
    // Expiry that matters is checked on read: `expireIn` may lag.
    if (entry.value.at < options.notBefore) return { events, cursor: null };
    events.push(entry.value);
  }
  const more = events.length === options.limit && iterator.cursor !== "";
  return { events, cursor: more ? iterator.cursor : null };
}
