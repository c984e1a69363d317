/**
 * Replacing the backup codes (`POST /v1/mfa/backup-codes`) after a current TOTP code.
 * It changes a second factor, so like every such change (ASVS 6.3.6) it is announced
 * to the owner with the anti-phishing code, in the operation that replaces the codes,
 * and holds withdrawals for 24 hours.
 */
import { findAccount } from "../../kv/accounts.ts";
import { listBackupCodes, replaceBackupCodes } from "../../kv/backup_codes.ts";
import { withRetry } from "../../kv/retry.ts";
import { addAccountChange } from "./account_change.ts";
import { composeAccountMessage } from "../messages/account_message.ts";
import type { Deps, RequestOrigin } from "../deps.ts";
import { ApiError } from "../runtime/errors.ts";
import { generateBackupCodes } from "../crypto/backup_codes.ts";
import {
  confirmSecurityChange,
  type SecondFactorProof,
} from "../safeguards/second_factor.ts";

/** New backup codes for the account (older ones stop working) and the notice's id. */
export async function regenerateBackupCodes(
  deps: Deps,
  accountUuid: string,
  proof: SecondFactorProof,
  origin: RequestOrigin,
): Promise<{ backupCodes: string[]; messageIds: string[] }> {
  await confirmSecurityChange(deps, accountUuid, proof, origin);
  const { codes, hashes } = await generateBackupCodes(
    deps.keyring,
    deps.random,
    accountUuid,
  );
  const messageIds = await withRetry(async (retry) => {
    const [entry, existing] = await Promise.all([
      findAccount(deps.kv, accountUuid),
      listBackupCodes(deps.kv, accountUuid),
    ]);
    if (!entry) throw new ApiError("session_revoked");
    const operation = replaceBackupCodes(
      deps.kv.atomic(),
      accountUuid,
      existing,
      hashes,
      deps.clock.now(),
    );
    const ids = addAccountChange(deps, operation, entry, {
      eventType: "backup_codes_regenerated",
      messages: [
        composeAccountMessage(
          deps,
          entry.value,
          "backup_codes_regenerated",
          {},
        ),
      ],
      holdWithdrawals: true,
    }, origin);
    return (await operation.commit()).ok ? ids : retry;
  });
  return { backupCodes: codes, messageIds };
}
