/**
 * The settings lock and the freeze at the door of every change of the account's ways
 * in (API.md, Settings lock): passcode, account ID, trading passcode, anti-phishing
 * code, passkeys, recognised browsers, backup codes, MFA policy. Checked before the
 * second factor is looked at, so a refused change spends nothing; changes of the account
 * record check again in their own commit (lib/account/account_change.ts).
 */
import type { MiddlewareHandler } from "hono";
import type { Deps } from "../lib/deps.ts";
import { refuseLockedSettings } from "../lib/safeguards/settings_lock.ts";
import { unsafeMethods } from "./env.ts";
import { problemSchema } from "./fields.ts";
import type { SessionEnv } from "./session_transport.ts";

/** Refuses unsafe requests: `423 account_frozen`, `403 settings_locked`. */
export function refuseWhileLocked(deps: Deps): MiddlewareHandler<SessionEnv> {
  return async function refuseWhileLocked(c, next) {
    if (unsafeMethods.includes(c.req.method)) {
      await refuseLockedSettings(deps, c.get("auth").session.accountUuid);
    }
    await next();
  };
}

/** The answers {@link refuseWhileLocked} adds to a route, for its `describe()`. */
export const settingsLockAnswers = {
  403: {
    description:
      "settings_locked (with unlocksAt): the security settings are locked",
    schema: problemSchema,
  },
  423: {
    description: "account_frozen: the account is frozen until a recovery reset",
    schema: problemSchema,
  },
};

/** A route's documented answers with those of {@link refuseWhileLocked} merged in. */
export function withSettingsLockAnswers<
  R extends Record<number, { description: string }>,
>(responses: R): R {
  const merged: Record<number, { description: string }> = { ...responses };
  for (const [status, answer] of Object.entries(settingsLockAnswers)) {
    const own = merged[Number(status)];
    merged[Number(status)] = own
      ? { ...own, description: `${own.description}; ${answer.description}` }
      : answer;
  }
  return merged as R;
}
