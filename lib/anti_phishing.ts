/**
 * The anti-phishing code (the guide): a word the owner chooses, shown in every message
 * we send, so a message without it is recognisably not ours.
 */
import { type Account, findAccount } from "../kv/accounts.ts";
import { enqueueMessage } from "../kv/outbox.ts";
import { recordSecurityEvent } from "../kv/security_events.ts";
import type { Deps, RequestOrigin } from "./deps.ts";
import { ApiError } from "./errors.ts";
import { composeAccountMessage } from "./account_message.ts";
import {
  consumeSecondFactor,
  type SecondFactorProof,
} from "./second_factor.ts";
import { securityEvent } from "./sessions.ts";

/** API.md: 4 to 20 letters, digits, `-` or `_`. */
export const antiPhishingCodePattern = /^[A-Za-z0-9_-]{4,20}$/;

/** Sets the code after a second factor; the confirmation already carries the new code. */
export async function setAntiPhishingCode(
  deps: Deps,
  accountUuid: string,
  code: string,
  proof: SecondFactorProof,
  origin: RequestOrigin,
): Promise<string> {
  await consumeSecondFactor(deps, accountUuid, proof);
  const entry = await findAccount(deps.kv, accountUuid);
  if (!entry) throw new ApiError("session_revoked");
  const account: Account = { ...entry.value, antiPhishingCode: code };
  const message = composeAccountMessage(
    deps,
    account,
    "anti_phishing_code_set",
    {},
  );
  const operation = deps.kv.atomic().check(entry).set(entry.key, account);
  recordSecurityEvent(
    operation,
    accountUuid,
    securityEvent(deps, "anti_phishing_code_changed", origin),
  );
  enqueueMessage(operation, message);
  if (!(await operation.commit()).ok) {
    throw new ApiError("conflict", "The account changed meanwhile; try again.");
  }
  return message.id;
}
