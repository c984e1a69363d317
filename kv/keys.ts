/**
 * Every Deno KV key of the service, built in one place.
 *
 * Prefixes are plural snake_case record kinds (deno_kv_oauth style); an index names what
 * it maps from (`accounts_by_account_id`). Nothing else in the code base writes a key
 * literal, so the key space can be read here in one screen.
 */

/** Secrets generated for development when the environment has none. */
export const developmentSecretsKey = () => ["development_secrets"] as const;

/** An account record by its internal, immutable id. */
export const accountKey = (accountUuid: string) =>
  ["accounts", accountUuid] as const;

/** Unique index: normalised account ID (email or E.164 phone) → internal id. */
export const accountByAccountIdKey = (accountId: string) =>
  ["accounts_by_account_id", accountId] as const;

/**
 * A registration waiting for its verification code, by normalised account ID and slot:
 * an ID has a fixed few slots, so racing registrations can never leave more pending.
 */
export const registrationKey = (accountId: string, slot: number) =>
  ["registrations", accountId, slot] as const;

/** A CAPTCHA payload already spent, by its challenge signature. */
export const spentCaptchaKey = (signature: string) =>
  ["spent_captchas", signature] as const;

/** Messages waiting for delivery. */
export const outboxPrefix = () => ["outbox"] as const;
export const outboxKey = (messageId: string) => ["outbox", messageId] as const;

/** Messages whose every delivery attempt failed, kept for an operator. */
export const deadLetterPrefix = () => ["outbox_dead_letters"] as const;
export const deadLetterKey = (messageId: string) =>
  ["outbox_dead_letters", messageId] as const;

/** The development transport's mailbox; ids are time-ordered, so lists run by time. */
export const devMailboxPrefix = () => ["dev_mailbox"] as const;
export const devMailboxKey = (messageId: string) =>
  ["dev_mailbox", messageId] as const;

/** Read by the health check: a real round trip to the database. */
export const healthProbeKey = () => ["health_probe"] as const;

/** Security events of an account, time-ordered ids (newest last). */
export const securityEventPrefix = (accountUuid: string) =>
  ["security_events", accountUuid] as const;
export const securityEventKey = (accountUuid: string, eventId: string) =>
  ["security_events", accountUuid, eventId] as const;

/** A login in progress, by the hash of its ticket. */
export const loginTicketKey = (ticketHash: string) =>
  ["login_tickets", ticketHash] as const;

/** An account's TOTP credential: encrypted secret and the last accepted time step. */
export const totpCredentialKey = (accountUuid: string) =>
  ["totp_credentials", accountUuid] as const;

/** One unused backup code of an account, by the hash of the code. */
export const backupCodePrefix = (accountUuid: string) =>
  ["backup_codes", accountUuid] as const;
export const backupCodeKey = (accountUuid: string, codeHash: string) =>
  ["backup_codes", accountUuid, codeHash] as const;

/** A session record by its id. */
export const sessionKey = (sessionId: string) =>
  ["sessions", sessionId] as const;

/** Index: the sessions of an account. */
export const sessionsByAccountPrefix = (accountUuid: string) =>
  ["sessions_by_account", accountUuid] as const;
export const sessionByAccountKey = (accountUuid: string, sessionId: string) =>
  ["sessions_by_account", accountUuid, sessionId] as const;

/**
 * Sessions a committed security change has ended, by account: written with the change,
 * deleted once they are revoked (lib/sessions/session_revocation.ts).
 */
export const sessionRevocationPrefix = () => ["session_revocations"] as const;
export const sessionRevocationKey = (accountUuid: string, id: string) =>
  ["session_revocations", accountUuid, id] as const;

/** A refresh token by its hash: current, or spent (kept to detect reuse). */
export const refreshTokenKey = (tokenHash: string) =>
  ["refresh_tokens", tokenHash] as const;

/**
 * Consecutive login failures of an account ID (known or not), for the lockout; a
 * recognised browser of the account has its own counter beside the strangers' one.
 */
export const loginFailuresKey = (accountId: string, deviceId: string | null) =>
  deviceId === null
    ? ["login_failures", accountId] as const
    : ["login_failures", accountId, deviceId] as const;

/** Requests of one client in one window of one rate-limited route group. */
export const rateLimitPrefix = () => ["rate_limits"] as const;
export const rateLimitKey = (bucket: string, client: string, window: number) =>
  ["rate_limits", bucket, client, window] as const;

/** A recent failed login from a client (adaptive CAPTCHA). */
export const recentFailureFromClientKey = (client: string) =>
  ["recent_login_failures_by_client", client] as const;

/** Every prefix whose records carry an `expiresAt` the counter sweep enforces. */
export const expiringCounterPrefixes = () =>
  [
    rateLimitPrefix(),
    ["login_failures"] as const,
    ["recent_login_failures_by_client"] as const,
    ["step_up_failures"] as const,
    ["confirmation_failures"] as const,
    passkeyLoginChallengePrefix(),
  ] as const;

/** Browsers recognised for an account (each holds a signed `__Host-device` cookie). */
export const recognisedBrowserPrefix = (accountUuid: string) =>
  ["recognised_browsers", accountUuid] as const;
export const recognisedBrowserKey = (accountUuid: string, deviceId: string) =>
  ["recognised_browsers", accountUuid, deviceId] as const;

/** Networks (IPv4 /24, IPv6 /48) an account has completed a login from. */
export const knownNetworkKey = (accountUuid: string, network: string) =>
  ["known_networks", accountUuid, network] as const;

/** WebAuthn credentials of an account, and the global index by credential id. */
export const webauthnCredentialPrefix = (accountUuid: string) =>
  ["webauthn_credentials", accountUuid] as const;
export const webauthnCredentialKey = (
  accountUuid: string,
  credentialId: string,
) => ["webauthn_credentials", accountUuid, credentialId] as const;
export const webauthnCredentialByIdKey = (credentialId: string) =>
  ["webauthn_credentials_by_id", credentialId] as const;

/** The pending registration challenge of an account (single-use, 5 minutes). */
export const webauthnRegistrationChallengeKey = (accountUuid: string) =>
  ["webauthn_registration_challenges", accountUuid] as const;

/**
 * A challenge of a sign-in with a passkey alone, by the challenge itself (32 random
 * bytes, base64url): single-use, 5 minutes. Nobody is signed in yet, so there is no
 * account or ticket to hang it on; the per-IP budget bounds how many are written.
 */
export const passkeyLoginChallengePrefix = () =>
  ["passkey_login_challenges"] as const;
export const passkeyLoginChallengeKey = (challenge: string) =>
  ["passkey_login_challenges", challenge] as const;

/** An account's trading passcode (hashed like a passcode). */
export const tradingPasscodeKey = (accountUuid: string) =>
  ["trading_passcodes", accountUuid] as const;

/**
 * Consecutive wrong passcodes or second factors offered to confirm a security change
 * (a stolen session must not become an oracle for the owner's codes).
 */
export const confirmationFailuresKey = (accountUuid: string) =>
  ["confirmation_failures", accountUuid] as const;

/** Consecutive wrong trading passcodes of an account (step-up lockout). */
export const stepUpFailuresKey = (accountUuid: string) =>
  ["step_up_failures", accountUuid] as const;

/** An issued action token by its `jti`: redeemed at most once. */
export const actionTokenKey = (jti: string) => ["action_tokens", jti] as const;

/** Until when withdrawals are held after a security change. */
export const withdrawalHoldKey = (accountUuid: string) =>
  ["withdrawal_holds", accountUuid] as const;

/** A recovery code waiting to be redeemed, by normalised account ID (known or not). */
export const recoveryCodeKey = (accountId: string) =>
  ["recovery_codes", accountId] as const;

/** A requested account-ID change waiting for the code sent to the new address. */
export const accountIdChangeKey = (accountUuid: string) =>
  ["account_id_changes", accountUuid] as const;

/** When the account's owner last opened the security checklist (a recorded audit). */
export const securityAuditKey = (accountUuid: string) =>
  ["security_audits", accountUuid] as const;

/** Pending removals of a lost authenticator (48-hour wait), by account. */
export const mfaResetPrefix = () => ["mfa_resets"] as const;
export const mfaResetKey = (accountUuid: string) =>
  ["mfa_resets", accountUuid] as const;

/** The one record the benchmark's bare-Hono baseline reads (bench/baseline_server.ts). */
export const benchBaselineProbeKey = () => ["bench_baseline_probe"] as const;

/**
 * A single-use link token sent in a message (the freeze link, the link that cancels a
 * delayed recovery), by its keyed hash: the token itself is never stored.
 */
export const linkTokenKey = (tokenHash: string) =>
  ["link_tokens", tokenHash] as const;

/** Unlock countdowns of settings locks, by account, for the sweep that ends them. */
export const settingsUnlockPrefix = () => ["settings_unlocks"] as const;
export const settingsUnlockKey = (accountUuid: string) =>
  ["settings_unlocks", accountUuid] as const;

/** Passcode resets a settings lock delays, by account (one at a time). */
export const delayedRecoveryPrefix = () => ["delayed_recoveries"] as const;
export const delayedRecoveryKey = (accountUuid: string) =>
  ["delayed_recoveries", accountUuid] as const;

/**
 * The pending passkey challenge of a session for one purpose (a step-up, a
 * confirmation): single-use, 5 minutes, replaced by the next options call.
 */
export const passkeyChallengeKey = (
  sessionId: string,
  purpose: "step_up" | "confirmation",
) => ["passkey_challenges", sessionId, purpose] as const;
