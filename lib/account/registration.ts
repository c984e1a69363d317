/** Registration: a pending account, verified by a code sent to its address. */
import { findAccountByAccountId } from "../../kv/accounts.ts";
import {
  putPendingRegistration,
  verifyRegistration,
} from "../../kv/registrations.ts";
import type { AccountId } from "../account_id.ts";
import type { Deps, RequestOrigin } from "../deps.ts";
import { ApiError } from "../runtime/errors.ts";
import { randomId, timeOrderedId } from "../runtime/ids.ts";
import { composeMessage } from "../messages/messages.ts";
import { messageSender } from "../messages/account_message.ts";
import { chooseLanguage, type Language } from "../i18n/languages.ts";
import { codeRecordMatches, issueCodeRecord } from "../crypto/code_record.ts";
import { requireStrongPasscode } from "./passcode_policy.ts";
import { networkOf } from "../runtime/client_address.ts";
import {
  prepareRecognition,
  readDeviceCookie,
} from "../devices/device_recognition.ts";

const codeContext = (accountId: string) => `registration:${accountId}`;

/**
 * Starts a registration and returns the id of the message it queued.
 *
 * A taken ID gets a notice instead of a code, after the same work: the same hash, and
 * a pending registration stored all the same, whose code goes to nobody (so it can
 * never verify, and the account's uniqueness check would refuse it anyway). Neither
 * the answer nor the work behind it tells a stranger whether the address has an
 * account.
 */
export async function startRegistration(
  deps: Deps,
  accountId: AccountId,
  passcode: string,
  language: Language,
): Promise<string> {
  await requireStrongPasscode(deps.passcodePolicy, passcode, accountId);
  const passcodeHash = await deps.hasher.hash(passcode);
  const now = deps.clock.now();
  const existing = await findAccountByAccountId(deps.kv, accountId.value);
  const { code, record } = await issueCodeRecord(
    deps,
    codeContext(accountId.value),
    { accountId: accountId.value, channel: accountId.channel, passcodeHash },
    now,
  );
  const recipient = {
    id: timeOrderedId(deps.clock, deps.random),
    channel: accountId.channel,
    to: accountId.value,
    antiPhishingCode: existing?.value.antiPhishingCode ?? null,
    createdAt: now,
    // The owner of a taken address reads their own language; a newcomer, the request's.
    language: existing ? chooseLanguage(existing.value.language) : language,
  };
  const message = existing
    ? composeMessage("registration_notice", {}, recipient, messageSender(deps))
    : composeMessage(
      "registration_code",
      { code },
      recipient,
      messageSender(deps),
    );
  await putPendingRegistration(deps.kv, record, message, now);
  return message.id;
}

/**
 * Verifies a registration code and creates the account; `invalid_code` otherwise. The
 * browser and network that proved control of the address become recognised, so the
 * first login from them needs no new-device code. Returns the device cookie to set.
 */
export async function completeRegistration(
  deps: Deps,
  accountId: string,
  code: string,
  origin: RequestOrigin,
  deviceCookie: string | undefined,
): Promise<{ deviceCookie: string | null }> {
  const now = deps.clock.now();
  const accountUuid = randomId(deps.random);
  const recognition = await prepareRecognition(deps, accountUuid, {
    deviceId: null,
    cookieDeviceId: await readDeviceCookie(deps, deviceCookie),
    network: networkOf(origin.ip),
  }, origin);
  const account = await verifyRegistration(deps.kv, accountId, {
    nowMs: now,
    matches: codeRecordMatches(deps, codeContext(accountId), code),
    alsoWrite: recognition.apply,
    createAccount: (registration) => ({
      account: {
        id: accountUuid,
        accountId: registration.accountId,
        channel: registration.channel,
        passcodeHash: registration.passcodeHash,
        createdAt: now,
        passcodeChangedAt: now,
        antiPhishingCode: null,
        // The language the address was proven in, until the owner chooses another.
        language: origin.language,
      },
      event: {
        id: timeOrderedId(deps.clock, deps.random),
        type: "account_created",
        at: now,
        ip: origin.ip,
        userAgent: origin.userAgent,
      },
    }),
  });
  if (!account) {
    throw new ApiError("invalid_code", undefined, { status: 400 });
  }
  return { deviceCookie: recognition.cookie };
}
