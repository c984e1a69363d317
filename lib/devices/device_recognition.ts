/**
 * Recognising the browser and network of a login (the guide: an unrecognised device or
 * network triggers stricter verification).
 *
 * A browser is recognised by a signed `__Host-device` cookie whose id is on the account's
 * list; a forged cookie fails the HMAC, another account's cookie is not on the list. A
 * network is the IPv4 /24 or IPv6 /48 of the client address.
 */
import {
  findLoginContext,
  findRecognisedBrowser,
  putKnownNetwork,
  putRecognisedBrowser,
  type RecognisedBrowser,
} from "../../kv/recognised_devices.ts";
import {
  browserLabel,
  describeBrowser,
} from "../runtime/browser_description.ts";
import { networkOf } from "../runtime/client_address.ts";
import { constantTimeEqual } from "../crypto/constant_time.ts";
import type { Deps, RequestOrigin } from "../deps.ts";
import { fromBase64Url, toBase64Url } from "../runtime/encoding.ts";
import { randomId } from "../runtime/ids.ts";
import { hmacSha256 } from "../crypto/keyring.ts";

/** A new device cookie value: `<device id>.<HMAC of it>`. */
export async function issueDeviceCookie(
  deps: Deps,
): Promise<{ deviceId: string; cookie: string }> {
  const deviceId = randomId(deps.random);
  const signature = await hmacSha256(
    deps.keyring.hmac["device-cookie"],
    deviceId,
  );
  return { deviceId, cookie: `${deviceId}.${toBase64Url(signature)}` };
}

/** The device id of a correctly signed cookie, or null. */
export async function readDeviceCookie(
  deps: Deps,
  cookie: string | undefined,
): Promise<string | null> {
  const match = /^([0-9a-f]{32})\.([A-Za-z0-9_-]{43})$/.exec(cookie ?? "");
  if (!match) return null;
  const expected = await hmacSha256(
    deps.keyring.hmac["device-cookie"],
    match[1],
  );
  const presented = fromBase64Url(match[2]);
  return presented && constantTimeEqual(expected, presented) ? match[1] : null;
}

/** How familiar a login's context is to the account. */
export interface LoginContext {
  /** The recognised browser's id, or null. */
  deviceId: string | null;
  /** The id of a correctly signed cookie, recognised for this account or not. */
  cookieDeviceId: string | null;
  network: string | null;
  knownNetwork: boolean;
}

/** Reads the device cookie and the network against the account's lists, together. */
export async function assessLoginContext(
  deps: Deps,
  accountUuid: string,
  cookieId: string | null,
  ip: string | null,
): Promise<LoginContext> {
  const network = networkOf(ip);
  const found = await findLoginContext(deps.kv, accountUuid, cookieId, network);
  return {
    deviceId: found.browser ? cookieId : null,
    cookieDeviceId: cookieId,
    network,
    knownNetwork: found.knownNetwork,
  };
}

/**
 * Prepares "this browser and network are now recognised" for the operation that completes
 * a login or a verification; `cookie` is set when the browser had no valid cookie yet.
 * `read`: entries the request read already (the recognised browser among them).
 */
export async function prepareRecognition(
  deps: Deps,
  accountUuid: string,
  context: Pick<LoginContext, "deviceId" | "cookieDeviceId" | "network">,
  origin: RequestOrigin,
  read: readonly Deno.KvEntryMaybe<unknown>[] = [],
): Promise<{
  cookie: string | null;
  browser: RecognisedBrowser;
  apply(operation: Deno.AtomicOperation): void;
}> {
  const now = deps.clock.now();
  const known = context.deviceId
    ? await findRecognisedBrowser(deps.kv, accountUuid, context.deviceId, read)
    : null;
  let cookie: string | null = null;
  let browser: RecognisedBrowser;
  if (known) {
    browser = { ...known, lastSeenAt: now };
  } else {
    // One cookie per browser: a browser known to another account keeps its id.
    let id = context.cookieDeviceId;
    if (!id) {
      const issued = await issueDeviceCookie(deps);
      id = issued.deviceId;
      cookie = issued.cookie;
    }
    browser = {
      id,
      name: browserLabel(describeBrowser(origin.userAgent)),
      userAgent: origin.userAgent,
      firstSeenAt: now,
      lastSeenAt: now,
    };
  }
  return {
    cookie,
    browser,
    apply(operation) {
      putRecognisedBrowser(operation, accountUuid, browser);
      if (context.network) {
        putKnownNetwork(operation, accountUuid, context.network, now);
      }
    },
  };
}
