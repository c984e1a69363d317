/** Recognised browsers and known networks of an account. */
import { findEntry, readEntries } from "./entries.ts";
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

/**
 * The recognised browser with this device id, or null; taken from `read` when this
 * request read it already.
 */
export async function findRecognisedBrowser(
  kv: Deno.Kv,
  accountUuid: string,
  deviceId: string,
  read: readonly Deno.KvEntryMaybe<unknown>[] = [],
): Promise<RecognisedBrowser | null> {
  return (await findEntry<RecognisedBrowser>(
    kv,
    recognisedBrowserKey(accountUuid, deviceId),
    read,
  ))?.value ?? null;
}

/**
 * How familiar a login's browser and network are to the account, in one read: the
 * recognised browser with this device id (when one is named) and whether the account
 * has completed a login from this network (when there is one).
 */
export async function findLoginContext(
  kv: Deno.Kv,
  accountUuid: string,
  deviceId: string | null,
  network: string | null,
): Promise<{ browser: RecognisedBrowser | null; knownNetwork: boolean }> {
  const browserKeys = deviceId === null
    ? []
    : [recognisedBrowserKey(accountUuid, deviceId)];
  const networkKeys = network === null
    ? []
    : [knownNetworkKey(accountUuid, network)];
  const entries = await readEntries(kv, [...browserKeys, ...networkKeys]);
  return {
    browser: deviceId === null
      ? null
      : (entries[0].value as RecognisedBrowser | null),
    knownNetwork: network !== null && entries.at(-1)!.versionstamp !== null,
  };
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
