/** The security history of an account. */
import { securityEventKey } from "./keys.ts";

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
