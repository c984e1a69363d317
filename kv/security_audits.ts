/** The last recorded security audit of an account (the owner opened the checklist). */
import { securityAuditKey } from "./keys.ts";
import { recordSecurityEvent, type SecurityEvent } from "./security_events.ts";

/** When the checklist was last opened. */
export interface SecurityAuditRecord {
  at: number;
}

/** The account's last recorded audit entry (its versionstamp guards the next one). */
export function readLastAudit(
  kv: Deno.Kv,
  accountUuid: string,
): Promise<Deno.KvEntryMaybe<SecurityAuditRecord>> {
  return kv.get<SecurityAuditRecord>(securityAuditKey(accountUuid));
}

/**
 * Records an audit with its event, unless another was recorded since `last` was read:
 * of racing requests one records, the others see it. False when the check failed.
 */
export async function recordAudit(
  kv: Deno.Kv,
  last: Deno.KvEntryMaybe<SecurityAuditRecord>,
  accountUuid: string,
  event: SecurityEvent,
): Promise<boolean> {
  const operation = kv.atomic().check(last).set(
    securityAuditKey(accountUuid),
    { at: event.at } satisfies SecurityAuditRecord,
  );
  recordSecurityEvent(operation, accountUuid, event);
  return (await operation.commit()).ok;
}
