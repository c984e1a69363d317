/**
 * The anti-phishing code (the guide): a word the owner chooses, shown in every message
 * we send, so a message without it is recognisably not ours.
 */
import type { Account } from "../../kv/accounts.ts";
import { commitAccountChange } from "./account_change.ts";
import type { Deps, RequestOrigin } from "../deps.ts";
import { composeAccountMessage } from "../messages/account_message.ts";
import {
  type ConfirmingSession,
  confirmSecurityChange,
  type SecondFactorProof,
} from "../safeguards/second_factor.ts";

/** API.md: 4 to 20 letters, digits, `-` or `_`. */
export const antiPhishingCodePattern = /^[A-Za-z0-9_-]{4,20}$/;

/** Sets the code after a second factor; the confirmation already carries the new code. */
export async function setAntiPhishingCode(
  deps: Deps,
  session: ConfirmingSession,
  code: string,
  proof: SecondFactorProof,
  origin: RequestOrigin,
): Promise<string[]> {
  const accountUuid = session.accountUuid;
  await confirmSecurityChange(deps, session, proof, origin);
  return await commitAccountChange(deps, accountUuid, origin, (account) => {
    const next: Account = { ...account, antiPhishingCode: code };
    return {
      next,
      eventType: "anti_phishing_code_changed",
      messages: [
        composeAccountMessage(deps, next, "anti_phishing_code_set", {}),
      ],
      withdrawalHoldUntil: null,
    };
  });
}
