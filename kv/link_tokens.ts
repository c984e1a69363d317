/**
 * Single-use tokens carried by links in messages: the freeze link ("this wasn't me")
 * and the link that cancels a delayed recovery. Only a keyed hash of a token is a key
 * here, so a copy of the database holds no working link.
 */
import { findEntry } from "./entries.ts";
import { linkTokenKey } from "./keys.ts";
import { cleanupAfterMs } from "./retry.ts";

/** What a link token allows, for which account, until when. */
export interface LinkToken {
  purpose: "freeze" | "cancel_recovery";
  accountUuid: string;
  expiresAt: number;
  /** For `cancel_recovery`: the id of the pending recovery it cancels. */
  recoveryId?: string;
}

/** Adds a token to the operation that sends the message carrying it. */
export function putLinkToken(
  operation: Deno.AtomicOperation,
  tokenHash: string,
  token: LinkToken,
  nowMs: number,
): Deno.AtomicOperation {
  return operation.set(linkTokenKey(tokenHash), token, {
    expireIn: cleanupAfterMs(token.expiresAt, nowMs),
  });
}

/** The unspent, unexpired token of this purpose, or null. */
export async function findLinkToken(
  kv: Deno.Kv,
  tokenHash: string,
  purpose: LinkToken["purpose"],
  nowMs: number,
): Promise<Deno.KvEntry<LinkToken> | null> {
  const entry = await findEntry<LinkToken>(kv, linkTokenKey(tokenHash));
  return entry && entry.value.purpose === purpose &&
      entry.value.expiresAt > nowMs
    ? entry
    : null;
}

/** Adds the spending of a read token: of two racing uses, one commit fails. */
export function spendLinkToken(
  operation: Deno.AtomicOperation,
  entry: Deno.KvEntry<LinkToken>,
): Deno.AtomicOperation {
  return operation.check(entry).delete(entry.key);
}
