/**
 * Trusted devices as the owner manages them: WebAuthn credentials and recognised
 * browsers in one list (`kind`), renamed or removed. Removing a browser ends its
 * sessions; every change is an event and a message, written together.
 */
import {
  type BrowserDescription,
  describeBrowser,
} from "../runtime/browser_description.ts";
import type { Account } from "../../kv/accounts.ts";
import { webauthnCredentialByIdKey } from "../../kv/keys.ts";
import { enqueueMessage } from "../../kv/outbox.ts";
import {
  findRecognisedBrowserEntry,
  listRecognisedBrowsers,
} from "../../kv/recognised_devices.ts";
import { recordSecurityEvent } from "../../kv/security_events.ts";
import {
  findWebauthnCredential,
  listWebauthnCredentials,
} from "../../kv/webauthn_credentials.ts";
import type { Deps, RequestOrigin } from "../deps.ts";
import { ApiError } from "../runtime/errors.ts";
import { composeAccountMessage } from "../messages/account_message.ts";
import type { DeviceReference } from "../messages/messages.ts";
import {
  type ConfirmingSession,
  confirmSecurityChange,
  type SecondFactorProof,
} from "../safeguards/second_factor.ts";
import {
  addSignOut,
  finishSignOut,
  signOut,
} from "../sessions/session_revocation.ts";
import { securityEvent } from "../security_event.ts";
import {
  holdWithdrawals,
  withdrawalHoldEnd,
} from "../safeguards/withdrawal_hold.ts";

/** A device as the API shows it. */
export interface TrustedDevice {
  id: string;
  name: string;
  kind: "webauthn" | "browser";
  createdAt: string;
  lastUsedAt: string | null;
  /**
   * A browser's make and system, by their allow-listed names (null where unknown): a
   * page names a browser still called what it was recognised as in its own language.
   */
  browser?: BrowserDescription;
}

const iso = (ms: number | null) =>
  ms === null ? null : new Date(ms).toISOString();

/** Every trusted device of the account, newest first. */
export async function listTrustedDevices(
  deps: Deps,
  accountUuid: string,
): Promise<TrustedDevice[]> {
  const credentials = await listWebauthnCredentials(deps.kv, accountUuid);
  const browsers = await listRecognisedBrowsers(deps.kv, accountUuid);
  return [
    ...credentials.map((credential) => ({
      id: credential.id,
      name: credential.name,
      kind: "webauthn" as const,
      createdAt: credential.createdAt,
      lastUsedAt: credential.lastUsedAt,
    })),
    ...browsers.map((browser) => ({
      id: browser.id,
      name: browser.name,
      kind: "browser" as const,
      createdAt: browser.firstSeenAt,
      lastUsedAt: browser.lastSeenAt,
      browser: describeBrowser(browser.userAgent),
    })),
  ].sort((a, b) => b.createdAt - a.createdAt).map((device) => ({
    ...device,
    createdAt: iso(device.createdAt)!,
    lastUsedAt: iso(device.lastUsedAt),
  }));
}

/** The device's entry of either kind and how messages name it, or `404 not_found`. */
async function findDevice(deps: Deps, accountUuid: string, id: string) {
  const credential = await findWebauthnCredential(deps.kv, accountUuid, id);
  if (credential) {
    return {
      entry: credential,
      reference: {
        kind: "webauthn" as const,
        addedAt: credential.value.createdAt,
      },
    };
  }
  const browser = await findRecognisedBrowserEntry(deps.kv, accountUuid, id);
  if (browser) {
    return {
      entry: browser,
      reference: {
        kind: "browser" as const,
        addedAt: browser.value.firstSeenAt,
      },
    };
  }
  throw new ApiError("not_found", "No such device.");
}

function deviceMessage(
  deps: Deps,
  account: Account,
  action: "renamed" | "removed",
  device: DeviceReference,
  holdUntil: number | null = null,
) {
  return composeAccountMessage(deps, account, "device_changed", {
    action,
    device,
    holdUntil,
  });
}

/** Renames a device; returns it and the message id. */
export async function renameTrustedDevice(
  deps: Deps,
  account: Account,
  id: string,
  name: string,
  origin: RequestOrigin,
): Promise<{ device: TrustedDevice; messageId: string }> {
  const found = await findDevice(deps, account.id, id);
  const message = deviceMessage(deps, account, "renamed", found.reference);
  const operation = deps.kv.atomic().check(found.entry).set(found.entry.key, {
    ...found.entry.value,
    name,
  });
  recordSecurityEvent(
    operation,
    account.id,
    securityEvent(deps, "device_renamed", origin),
  );
  enqueueMessage(operation, message);
  if (!(await operation.commit()).ok) {
    throw new ApiError("conflict", "The device changed meanwhile; try again.");
  }
  const device = (await listTrustedDevices(deps, account.id)).find((d) =>
    d.id === id
  )!;
  return { device, messageId: message.id };
}

/**
 * Removes a device after a current second factor (or in a confirmed session). A removed passkey stops working at
 * once and holds withdrawals (until `holdUntil`); a removed browser is no longer
 * recognised and its sessions end. Returns the notice's id and the hold's end, if any.
 */
export async function removeTrustedDevice(
  deps: Deps,
  session: ConfirmingSession,
  account: Account,
  id: string,
  proof: SecondFactorProof,
  origin: RequestOrigin,
): Promise<{ messageId: string; holdUntil: number | null }> {
  const found = await findDevice(deps, account.id, id);
  await confirmSecurityChange(deps, session, proof, origin);
  const holdUntil = found.reference.kind === "webauthn"
    ? withdrawalHoldEnd(deps)
    : null;
  const message = deviceMessage(
    deps,
    account,
    "removed",
    found.reference,
    holdUntil,
  );
  const operation = deps.kv.atomic().check(found.entry).delete(found.entry.key);
  const browserSessions = found.reference.kind === "browser"
    ? signOut(deps, { browserId: id })
    : null;
  if (browserSessions) {
    addSignOut(deps, operation, account.id, browserSessions, origin);
  }
  if (holdUntil !== null) {
    operation.delete(webauthnCredentialByIdKey(id));
    holdWithdrawals(deps, operation, account.id, holdUntil);
  }
  recordSecurityEvent(
    operation,
    account.id,
    securityEvent(deps, "device_removed", origin),
  );
  enqueueMessage(operation, message);
  if (!(await operation.commit()).ok) {
    throw new ApiError("conflict", "The device changed meanwhile; try again.");
  }
  if (browserSessions) await finishSignOut(deps, account.id, browserSessions);
  return { messageId: message.id, holdUntil };
}
