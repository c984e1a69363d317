/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="esnext" />
/**
 * What one page tells the next ("You were signed out…"), kept in this tab's session
 * storage and never in the address, which logs and histories keep.
 */

const key = "notice";

/** Leaves a notice for the next page this tab opens. */
export function leaveNotice(text: string): void {
  sessionStorage.setItem(key, text);
}

/** Shows a notice the last page left, once, at the top of this one. */
export function showLeftNotice(): void {
  const text = sessionStorage.getItem(key);
  if (!text) return;
  sessionStorage.removeItem(key);
  const notice = document.getElementById("notice");
  if (!notice) return;
  notice.textContent = text;
  notice.hidden = false;
}

/** Goes to the sign-in page with a notice, after a session ended. */
export function signedOut(text: string): void {
  leaveNotice(text);
  location.assign("/login");
}
