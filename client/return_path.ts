/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="esnext" />
/**
 * Where a sign-in continues. A page that needs a session first (the step-up page, with
 * the request it shows) leaves its own address in this tab's session storage, and the
 * sign-in returns there; everything else lands in the security centre. Only a path of
 * this origin that names the step-up page is followed, so nothing stored can send the
 * person elsewhere.
 */

const key = "afterSignIn";

/** Remembers the current page, to come back to once signed in. */
export function returnHereAfterSignIn(): void {
  sessionStorage.setItem(key, `${location.pathname}${location.search}`);
}

/** Where to go once signed in (taken: it is followed once). */
export function afterSignIn(): string {
  const path = sessionStorage.getItem(key);
  sessionStorage.removeItem(key);
  return path?.startsWith("/step-up?") ? path : "/security";
}
