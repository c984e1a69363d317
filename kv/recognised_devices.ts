/** Recognised browsers and known networks of an account. */
import { findEntry } from "./entries.ts";
import {
  knownNetworkKey,
  recognisedBrowserKey,
  recognisedBrowserPrefix,
} from "./keys.ts";

/** A browser that completed a login (or verified the account) for this account. */
export interface RecognisedBrowser {
  id: string;
  name: string;
  userAgent: string | null;
  firstSeenAt: number;
  lastSeenAt: number;
}

/** The recognised browser with this device id, or null. */
export async function findRecognisedBrowser(
  kv: Deno.Kv,
  accountUuid: string,
  deviceId: string,
): Promise<RecognisedBrowser | null> {
  return (await kv.get<RecognisedBrowser>(
    recognisedBrowserKey(accountUuid, deviceId),
  )).value;
}

/** Every recognised browser of the account. */
export async function listRecognisedBrowsers(
  kv: Deno.Kv,
  accountUuid: string,
): Promise<RecognisedBrowser[]> {
  return await Array.fromAsync(
    kv.list<RecognisedBrowser>({
      prefix: recognisedBrowserPrefix(accountUuid),
    }),
    (entry) => entry.value,
  );
}

/** Adds (or refreshes) a recognised browser to an atomic operation. */
export function putRecognisedBrowser(
  operation: Deno.AtomicOperation,
  accountUuid: string,
  browser: RecognisedBrowser,
): Deno.AtomicOperation {
  return operation.set(recognisedBrowserKey(accountUuid, browser.id), browser);
}

/** Whether the account has completed a login from this network. */
export async function isKnownNetwork(
  kv: Deno.Kv,
  accountUuid: string,
  network: string,
): Promise<boolean> {
  return (await kv.get(knownNetworkKey(accountUuid, network))).versionstamp !==
    null;
}

/** Adds a network to the account's known networks. */
export function putKnownNetwork(
  operation: Deno.AtomicOperation,
  accountUuid: string,
  network: string,
  nowMs: number,
): Deno.AtomicOperation {
  return operation.set(knownNetworkKey(accountUuid, network), {
    lastSeenAt: nowMs,
  });
}

/** The recognised browser entry, or null. */
export function findRecognisedBrowserEntry(
  kv: Deno.Kv,
  accountUuid: string,
  deviceId: string,
): Promise<Deno.KvEntry<RecognisedBrowser> | null> {
  return findEntry<RecognisedBrowser>(
    kv,
    recognisedBrowserKey(accountUuid, deviceId),
  );
}
