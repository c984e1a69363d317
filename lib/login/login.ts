/**
 * Login as a short state machine held in a ticket (API.md, Login): passcode first, then
 * the new-device code and TOTP enrollment where needed; the completing steps are in
 * `login_completion.ts`.
 */
import {
  type Account,
  findAccount,
  findAccountByAccountId,
  nobodysAccountUuid,
} from "../../kv/accounts.ts";
import {
  type LoginTicket,
  putLoginTicket,
  updateLoginTicket,
} from "../../kv/login_tickets.ts";
import {
  commitGuards,
  currentRefusal,
  type Guard,
  type PendingGuard,
} from "../../kv/guards.ts";
import type { LockoutSubject } from "../../kv/login_failures.ts";
import type { RateLimitState } from "../../kv/rate_limits.ts";
import { withRetry } from "../../kv/retry.ts";
import { type Message } from "../../kv/outbox.ts";
import type { AccountId } from "../account_id.ts";
import {
  captchaReused,
  verifiedCaptchaUse,
} from "../safeguards/captcha_gate.ts";
import { describeBrowser } from "../runtime/browser_description.ts";
import {
  assessLoginContext,
  readDeviceCookie,
} from "../devices/device_recognition.ts";
import { composeAccountMessage } from "../messages/account_message.ts";
import {
  generateOneTimeCode,
  hashOneTimeCode,
  oneTimeCodeMatches,
} from "../crypto/one_time_code.ts";
import type { Deps, RequestOrigin } from "../deps.ts";
import { ApiError } from "../runtime/errors.ts";
import {
  admittedAttempt,
  assertNotLocked,
  attemptGuard,
  isRiskyLogin,
  type LoginAttempt,
  retryAfterSeconds,
} from "../safeguards/lockout.ts";
import { generateOpaqueToken } from "../crypto/opaque_token.ts";
import { sealSecret } from "../crypto/secret_box.ts";
import { generateTotpSecret, totpEnrollment } from "../crypto/totp.ts";
import { assertNotFrozen } from "../frozen_account.ts";
import {
  availableMethods,
  currentTicket,
  deviceCodeContext,
  liveTicket,
  requireOnlyMfaLeft,
  reserveCodeAttempt,
  ticketHash,
  ticketMaxAttempts,
  type TicketState,
  ticketTtlSeconds,
  wrongCode,
} from "./login_ticket.ts";

/**
 * The admission before the hash, as one commit: the network's count, the CAPTCHA's
 * single use (when one is asked for) and the lockout reservation, refused in that
 * order. As three commits one after another they cost a wrong passcode a tenth of its
 * time on top of the hash.
 */
async function admitAttempt(
  deps: Deps,
  throttle: PendingGuard<RateLimitState>,
  captchaUse: Guard<boolean> | null,
  subject: LockoutSubject,
  read: Deno.KvEntryMaybe<unknown>[],
): Promise<LoginAttempt> {
  const reservationGuard = attemptGuard(deps, subject);
  const { outcomes: [count, spent, reservation], versionstamp } = captchaUse
    ? await commitGuards(
      deps.kv,
      [throttle.guard, captchaUse, reservationGuard],
      read,
    )
    : await commitGuards(deps.kv, [throttle.guard, reservationGuard], read)
      .then(({ outcomes: [count, reservation], versionstamp }) => ({
        outcomes: [count, true, reservation] as const,
        versionstamp,
      }));
  throttle.apply(count!);
  if (!spent) throw captchaReused();
  return admittedAttempt(deps, subject, reservation!, versionstamp);
}

/**
 * Step 1: account ID and passcode. The lock is looked at first (it reveals nothing:
 * unknown IDs lock too): a locked sign-in is refused for one KV read, before the
 * rate-limit write, the account, the CAPTCHA check and the hash. Unknown accounts cost
 * the same hash as known ones and get the same answer. Each record is read once: the
 * admission's commit checks the lockout counter and the budget as they were read.
 */
export async function startLogin(
  deps: Deps,
  input: {
    accountId: AccountId;
    passcode: string;
    captcha: string | undefined;
    deviceCookie: string | undefined;
    /** The count against the per-IP budget (`429` when spent), committed with the rest. */
    throttle: PendingGuard<RateLimitState>;
  },
  origin: RequestOrigin,
): Promise<{ state: TicketState; messageIds: string[] }> {
  const accountId = input.accountId.value;
  const cookieDeviceId = await readDeviceCookie(deps, input.deviceCookie);
  // The lock first. A browser with a signed cookie is judged by its own budget's
  // counter: only a browser the account recognised can have locked it, so that lock
  // refuses before the account is read. A cookie the account does not recognise spends
  // the strangers' budget, whose lock is looked at once that is known.
  const presumed = { accountId, deviceId: cookieDeviceId };
  const presumedCounter = await assertNotLocked(deps, presumed);
  // A spent budget is answered before the CAPTCHA is verified; the count itself is
  // committed with the admission below.
  const { refusal: overBudget, entry: budget } = await currentRefusal(
    deps.kv,
    input.throttle.guard,
  );
  if (overBudget) input.throttle.apply(overBudget);
  const account = await findAccountByAccountId(deps.kv, accountId);
  // An unknown ID is assessed too, against an account nobody has: the same reads, so
  // the time taken does not tell whether the ID has an account.
  const context = await assessLoginContext(
    deps,
    account?.value.id ?? nobodysAccountUuid,
    cookieDeviceId,
    origin.ip,
  );
  const subject = { accountId, deviceId: context.deviceId };
  const counter = subject.deviceId === presumed.deviceId
    ? presumedCounter
    : await assertNotLocked(deps, subject);
  const captchaUse = await verifiedCaptchaUse(
    deps,
    input.captcha,
    () => isRiskyLogin(deps, subject, counter, origin.ip),
  );
  const attempt = await admitAttempt(
    deps,
    input.throttle,
    captchaUse,
    subject,
    [budget, counter],
  );
  const dummyPasscodeHash = await deps.dummyPasscodeHash();
  const verdict = await deps.hasher.verify(
    account?.value.passcodeHash ?? dummyPasscodeHash,
    input.passcode,
  );
  if (!account || !verdict.valid) {
    await attempt.failed(origin, account?.value ?? null);
    throw invalidCredentials(attempt.remainingAfterFailure);
  }
  await attempt.passed();
  // Only behind the right passcode: the answer must not tell strangers about the ID.
  assertNotFrozen(account.value);
  if (verdict.needsRehash) await rehashPasscode(deps, account, input.passcode);

  const now = deps.clock.now();
  const methods = await availableMethods(deps, account.value);
  const ticket = generateOpaqueToken(deps.random);
  const hash = await ticketHash(deps, ticket);
  const requires: LoginTicket["requires"] = [];
  const newContext = !context.deviceId || !context.knownNetwork;
  if (newContext) requires.push("device_verification");
  requires.push(methods.includes("totp") ? "mfa" : "mfa_enrollment");

  const expiresAt = now + ticketTtlSeconds * 1000;
  const deviceCode = newContext
    ? await issueDeviceCode(deps, hash, account.value, expiresAt, origin)
    : null;
  await putLoginTicket(
    deps.kv,
    hash,
    {
      accountUuid: account.value.id,
      accountId: account.value.accountId,
      passcodeChangedAt: account.value.passcodeChangedAt,
      requires,
      amr: ["pwd"],
      expiresAt,
      attemptsLeft: ticketMaxAttempts,
      pendingTotpSecret: null,
      lockoutSubject: subject,
      context: {
        deviceId: context.deviceId,
        cookieDeviceId: context.cookieDeviceId,
        network: context.network,
        knownNetwork: context.knownNetwork,
      },
      deviceCodeHash: deviceCode?.hash ?? null,
      deviceCodeSentAt: deviceCode ? now : null,
    },
    now,
    deviceCode?.message ?? null,
  );
  return {
    state: {
      status: "pending",
      ticket,
      expiresIn: ticketTtlSeconds,
      requires,
      methods,
    },
    messageIds: deviceCode ? [deviceCode.message.id] : [],
  };
}

/**
 * A new-device code for a ticket: its HMAC (bound to the ticket) and the message that
 * sends it, naming the browser, network and time of the login it confirms.
 */
async function issueDeviceCode(
  deps: Deps,
  ticketHash: string,
  account: Account,
  expiresAt: number,
  origin: RequestOrigin,
): Promise<{ hash: string; message: Message }> {
  const code = generateOneTimeCode(deps.random);
  return {
    hash: await hashOneTimeCode(
      deps.keyring.hmac["one-time-code"],
      deviceCodeContext(ticketHash),
      code,
    ),
    message: composeAccountMessage(deps, account, "device_verification_code", {
      code,
      browser: describeBrowser(origin.userAgent),
      ip: origin.ip,
      at: deps.clock.now(),
      validUntil: expiresAt,
    }),
  };
}

/** API.md: a new device code at most once a minute per ticket. */
const deviceCodeResendSeconds = 60;

/**
 * Sends a fresh new-device code in place of the last one, which stops working: at most
 * once a minute per ticket (`429`), only while the ticket still waits for the device
 * step (`409`), never for a locked account (`423`). The ticket's attempts and life are
 * unchanged, so asking again buys no guesses and no time.
 */
export async function resendDeviceCode(
  deps: Deps,
  ticket: string,
  origin: RequestOrigin,
): Promise<{ expiresIn: number; messageIds: string[] }> {
  return await withRetry(async (retry) => {
    const { hash, entry } = await liveTicket(deps, ticket);
    if (!entry.value.requires.includes("device_verification")) {
      throw new ApiError("conflict", "This login does not need a device code.");
    }
    await assertNotLocked(deps, entry.value.lockoutSubject);
    const now = deps.clock.now();
    const nextAllowed = (entry.value.deviceCodeSentAt ?? 0) +
      deviceCodeResendSeconds * 1000;
    if (now < nextAllowed) {
      throw new ApiError(
        "rate_limited",
        "A new code can be sent once a minute.",
        { headers: { "Retry-After": retryAfterSeconds(nextAllowed, now) } },
      );
    }
    const account = await findAccount(deps.kv, entry.value.accountUuid);
    if (!account) throw new ApiError("invalid_ticket");
    const code = await issueDeviceCode(
      deps,
      hash,
      account.value,
      entry.value.expiresAt,
      origin,
    );
    const updated = await updateLoginTicket(
      deps.kv,
      entry,
      {
        ...entry.value,
        deviceCodeHash: code.hash,
        deviceCodeSentAt: now,
      },
      now,
      code.message,
    );
    if (!updated) return retry;
    return {
      expiresIn: Math.max(0, Math.floor((entry.value.expiresAt - now) / 1000)),
      messageIds: [code.message.id],
    };
  });
}

/**
 * The new-device step: the code sent to the account's address. Right: the ticket moves
 * on to MFA; wrong: it counts toward the lockout and the ticket's 5 attempts.
 */
export async function verifyDevice(
  deps: Deps,
  ticket: string,
  code: string,
  origin: RequestOrigin,
): Promise<TicketState> {
  const reserved = await reserveCodeAttempt(deps, ticket, "device");
  const stored = reserved.ticket.deviceCodeHash;
  const matches = stored !== null && await oneTimeCodeMatches(
    deps.keyring.hmac["one-time-code"],
    deviceCodeContext(reserved.hash),
    code,
    stored,
  );
  if (!matches) {
    return await wrongCode(reserved.attempt, reserved.account.value, origin);
  }
  let read = reserved.read;
  const updated = await withRetry(async (retry) => {
    const entry = await currentTicket(deps, reserved.hash, read);
    read = [];
    if (!entry.value.requires.includes("device_verification")) {
      throw new ApiError("conflict", "This device is already verified.");
    }
    const value: LoginTicket = {
      ...entry.value,
      requires: entry.value.requires.filter((step) =>
        step !== "device_verification"
      ),
      deviceCodeHash: null,
    };
    return await updateLoginTicket(deps.kv, entry, value, deps.clock.now())
      ? value
      : retry;
  });
  await reserved.attempt.passed();
  return {
    status: "pending",
    ticket,
    expiresIn: Math.max(
      0,
      Math.floor((updated.expiresAt - deps.clock.now()) / 1000),
    ),
    requires: updated.requires,
    methods: await availableMethods(deps, reserved.account.value),
  };
}

/**
 * `401 invalid_credentials` with the failures left before the lock: counted alike for
 * IDs with and without an account, so it tells nobody which IDs exist.
 */
export function invalidCredentials(attemptsRemaining: number): ApiError {
  return new ApiError("invalid_credentials", undefined, {
    extensions: { attemptsRemaining },
  });
}

/** Stores a hash with the current parameters after a good login with older ones. */
async function rehashPasscode(
  deps: Deps,
  account: Deno.KvEntry<Account>,
  passcode: string,
): Promise<void> {
  const passcodeHash = await deps.hasher.hash(passcode);
  // A failed check means the account changed meanwhile; the next login tries again.
  await deps.kv.atomic().check(account).set(account.key, {
    ...account.value,
    passcodeHash,
  }).commit();
}

/**
 * Enrollment: a new TOTP secret (a new one each call: a QR code shown twice is a
 * secret shown twice), sealed into the ticket until a code proves the app has it.
 */
export async function beginTotpEnrollment(
  deps: Deps,
  ticket: string,
): Promise<{ secret: string; otpauthUri: string; qrSvg: string }> {
  return await withRetry(async (retry) => {
    const { entry } = await liveTicket(deps, ticket);
    if (!entry.value.requires.includes("mfa_enrollment")) {
      throw new ApiError(
        "conflict",
        "This login does not need TOTP enrollment.",
      );
    }
    requireOnlyMfaLeft(entry.value);
    const account = await findAccount(deps.kv, entry.value.accountUuid);
    if (!account) throw new ApiError("invalid_ticket");
    const secret = generateTotpSecret(deps.random);
    const sealed = await sealSecret(
      deps.keyring.dataEncryption,
      deps.random,
      account.value.id,
      secret,
    );
    const updated = await updateLoginTicket(deps.kv, entry, {
      ...entry.value,
      pendingTotpSecret: sealed,
    }, deps.clock.now());
    if (!updated) return retry;
    return {
      secret,
      ...await totpEnrollment(
        secret,
        deps.config.rpName,
        account.value.accountId,
      ),
    };
  });
}
