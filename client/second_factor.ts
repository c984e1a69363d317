/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="esnext" />
/**
 * The second factor typed into a form's `factor` field: six digits are an app code,
 * anything else a backup code (for a recovery, and for the security centre's
 * confirmation, client/security/confirmation.ts).
 */

/** The request fields for the factor typed into a form. */
export function secondFactor(
  fields: Record<string, string>,
): { totp: string } | { backupCode: string } {
  const typed = fields.factor ?? "";
  return /^\d{6}$/.test(typed) ? { totp: typed } : { backupCode: typed };
}
