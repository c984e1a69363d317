/**
 * Markup inside a sentence of the catalog ("Signed in as <strong>…</strong>"): each
 * language orders its words its own way, so the markup goes where the sentence puts
 * its placeholder, never by gluing pieces of a sentence together. The placeholder is
 * given a {@link slot}, and the formatted text is split around the slots
 * ({@link fillSlots}) by the pages (JSX) and their scripts (DOM nodes) alike.
 */

/** A private-use character no catalog text contains. */
const mark = "\uE000";
const slots = new RegExp(`${mark}(\\w+)${mark}`);

/** The value to give a placeholder that markup fills. */
export function slot(name: string): string {
  return `${mark}${name}${mark}`;
}

/** `text`'s pieces in order, each slot replaced by `fill` of its name. */
export function fillSlots<T>(
  text: string,
  fill: (name: string) => T,
): (string | T)[] {
  return text.split(slots).map((part, i) => i % 2 === 1 ? fill(part) : part);
}
