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
import { documented } from "./route_docs.ts";
import type { SessionEnv } from "./session_transport.ts";

/** Refuses unsafe requests: `423 account_frozen`, `403 settings_locked`. */
export function refuseWhileLocked(deps: Deps): MiddlewareHandler<SessionEnv> {
  return documented(
    async function refuseWhileLocked(c, next) {
      if (unsafeMethods.includes(c.req.method)) {
        await refuseLockedSettings(deps, c.get("auth").session.accountUuid);
      }
      await next();
    } satisfies MiddlewareHandler<SessionEnv>,
    // Behind it, a change confirmed with a code refuses it for an account that accepts
    // passkeys alone.
    {
      problems: {
        403: ["settings_locked", "method_disabled"],
        423: ["account_frozen"],
      },
    },
  );
}
