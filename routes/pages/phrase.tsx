/** @jsxImportSource hono/jsx */
/** A sentence of the catalog with markup in it, for the pages (lib/i18n/slots.ts). */
import type { Child } from "hono/jsx";
import { fillSlots } from "../../lib/i18n/slots.ts";

export { slot } from "../../lib/i18n/slots.ts";

/** `text` (formatted with slots) with each slot replaced by its markup. */
export function Phrase(
  { text, slots }: { text: string; slots: Record<string, Child> },
) {
  return <>{fillSlots(text, (name) => slots[name])}</>;
}
