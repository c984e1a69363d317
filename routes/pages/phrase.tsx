/** @jsxImportSource hono/jsx */
/**
 * A sentence of the catalog with markup in it ("Signed in as <strong>…</strong>"): each
 * language orders its words its own way, so the markup goes in where the sentence puts
 * its placeholder, never by gluing pieces of a sentence together.
 */
import type { Child } from "hono/jsx";

const mark = "\uE000";

/** The value to give `t()` for a placeholder {@link Phrase} fills with markup. */
export function slot(name: string): string {
  return `${mark}${name}${mark}`;
}

/** `text` (formatted with {@link slot}s) with each slot replaced by its markup. */
export function Phrase(
  { text, slots }: { text: string; slots: Record<string, Child> },
) {
  return (
    <>
      {text.split(new RegExp(`${mark}(\\w+)${mark}`)).map((part, i) =>
        i % 2 === 1 ? slots[part] : part
      )}
    </>
  );
}
