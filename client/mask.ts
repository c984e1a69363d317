/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="esnext" />
import { t } from "./i18n.ts";

/**
 * An address as a page repeats it: enough to recognise ("a•••@example.com",
 * "+49•••••67"), not the whole of it for whoever looks over a shoulder.
 */
export function maskAddress(address: string): string {
  const at = address.lastIndexOf("@");
  if (at > 0) return `${address[0]}•••${address.slice(at)}`;
  const digits = address.replace(/[^\d+]/g, "");
  if (digits.length < 6) return t("signIn.yourPhone");
  return `${digits.slice(0, 3)}•••••${digits.slice(-2)}`;
}
