/**
 * Changing the passcode while signed in (API.md: `PUT /v1/passcode`): the current
 * passcode and a second factor, the registration policy for the new one. Everybody
 * else holding a session is signed out, and withdrawals wait 24 hours, because a
 * passcode change is what somebody who took over a session would do first.
 */
import type { Session } from "../../kv/sessions.ts";
import { commitAccountChange } from "./account_change.ts";
import { accountIdOf } from "../account_id.ts";
import { composeAccountMessage } from "../messages/account_message.ts";
import type { Deps, RequestOrigin } from "../deps.ts";
import { ApiError } from "../runtime/errors.ts";
import { findAccount } from "../../kv/accounts.ts";
import { requireStrongPasscode, weakPasscode } from "./passcode_policy.ts";
import {
  confirmSecurityChange,
  type SecondFactorProof,
} from "../safeguards/second_factor.ts";
import { finishSignOut, signOut } from "../sessions/session_revocation.ts";

/** Changes the passcode; returns the ids of the messages queued. */
export async function changePasscode(
  deps: Deps,
  session: Session,
  input: SecondFactorProof & { currentPasscode: string; newPasscode: string },
  origin: RequestOrigin,
): Promise<string[]> {
  const accountUuid = session.accountUuid;
  if (
    input.newPasscode.normalize("NFKC") ===
      input.currentPasscode.normalize("NFKC")
  ) {
    throw weakPasscode(["Choose a passcode different from the current one."]);
  }
  const account = await findAccount(deps.kv, accountUuid);
  if (!account) throw new ApiError("session_revoked");
  let passcodeHash = "";
  // The policy and the hash only once the lock, the current passcode and the second
  // factor passed: a stolen session cannot make the service estimate and hash at will.
  await confirmSecurityChange(deps, accountUuid, input, origin, {
    async beforeSpending() {
      await requireStrongPasscode(
        deps.passcodePolicy,
        input.newPasscode,
        accountIdOf(account.value),
      );
      passcodeHash = await deps.hasher.hash(input.newPasscode);
    },
  });
  const others = signOut(deps, { keep: session.id });
  const messageIds = await commitAccountChange(
    deps,
    accountUuid,
    origin,
    (current) => ({
      next: {
        ...current,
        passcodeHash,
        passcodeChangedAt: deps.clock.now(),
      },
      eventType: "passcode_changed",
      messages: [
        composeAccountMessage(deps, current, "passcode_changed", {}),
      ],
      holdWithdrawals: true,
      signOut: others,
    }),
  );
  await finishSignOut(deps, accountUuid, others);
  return messageIds;
}
