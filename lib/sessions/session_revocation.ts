/**
 * Signing people out after a security change, durably. The change commits a pending
 * revocation with itself (kv/session_revocations.ts); the request that made the change
 * then revokes the sessions and deletes the record, and a sweep finishes any record a
 * stopped isolate left behind. So a passcode that changed always signs out the others.
 */
import { listAccountSessions } from "../../kv/sessions.ts";
import {
  addSessionRevocation,
  deleteSessionRevocation,
  findSessionRevocation,
  listSessionRevocations,
  revocationAccount,
  revocationEnds,
  type SessionRevocation,
} from "../../kv/session_revocations.ts";
import type { Deps, RequestOrigin } from "../deps.ts";
import { randomId } from "../runtime/ids.ts";
import { endSessions } from "./sessions.ts";

/** Whom a change signs out: every session of the account but `keep`, or one browser's. */
export interface SignOut {
  id: string;
  keep: string | null;
  browserId: string | null;
}

/** The request that made a change finishes its revocation long before this. */
const sweepGraceMs = 60 * 1000;

/** A sign-out for a change, to pass to the change and then to {@link finishSignOut}. */
export function signOut(
  deps: Deps,
  scope: { keep?: string; browserId?: string },
): SignOut {
  return {
    id: randomId(deps.random),
    keep: scope.keep ?? null,
    browserId: scope.browserId ?? null,
  };
}

/** Adds the pending revocation of a sign-out to the change's operation. */
export function addSignOut(
  deps: Deps,
  operation: Deno.AtomicOperation,
  accountUuid: string,
  { id, keep, browserId }: SignOut,
  origin: RequestOrigin,
): void {
  addSessionRevocation(
    operation,
    accountUuid,
    id,
    {
      before: deps.clock.now(),
      keep,
      browserId,
      ip: origin.ip,
      userAgent: origin.userAgent,
    },
    // By then every session it names has expired anyway.
    deps.config.sessionAbsoluteSeconds * 1000,
  );
}

/** Revokes the sessions of a committed sign-out, then forgets it. */
export async function finishSignOut(
  deps: Deps,
  accountUuid: string,
  { id }: SignOut,
): Promise<void> {
  const entry = await findSessionRevocation(deps.kv, accountUuid, id);
  if (entry) await finishRevocation(deps, entry);
}

/**
 * The cron sweep: finishes the revocations whose request stopped before it could;
 * returns how many. Younger ones are left to their request, so the two never race.
 */
export async function sweepSessionRevocations(deps: Deps): Promise<number> {
  const due = (await listSessionRevocations(deps.kv)).filter((entry) =>
    entry.value.before <= deps.clock.now() - sweepGraceMs
  );
  for (const entry of due) await finishRevocation(deps, entry);
  return due.length;
}

async function finishRevocation(
  deps: Deps,
  entry: Deno.KvEntry<SessionRevocation>,
): Promise<void> {
  const sessions = (await listAccountSessions(
    deps.kv,
    revocationAccount(entry),
  )).filter((session) => revocationEnds(entry.value, session));
  await endSessions(deps, sessions, {
    ip: entry.value.ip,
    userAgent: entry.value.userAgent,
  });
  await deleteSessionRevocation(deps.kv, entry);
}
