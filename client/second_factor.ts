/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="esnext" />
/**
 * The second factor of a security change, from a form's `factor` field: six digits
 * are an app code, anything else a backup code. The one place the forms get it from,
 * so a confirmation window (API.md, `POST /v1/session/confirm`) can supply nothing
 * here while it is open, without a change to any form.
 */

/** The request fields for the factor typed into a form. */
export function secondFactor(
  fields: Record<string, string>,
): { totp: string } | { backupCode: string } {
  const typed = fields.factor ?? "";
  return /^\d{6}$/.test(typed) ? { totp: typed } : { backupCode: typed };
}
