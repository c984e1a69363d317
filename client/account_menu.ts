/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="esnext" />
/**
 * Signed-in awareness: the header shows the account and "Sign out" instead of
 * "Sign in". Asked only when the browser holds a refresh cookie (the page says so),
 * so a visitor who never signed in causes no failed request.
 */
import { call } from "./api.ts";

/** The session as `GET /v1/session` returns it. */
export interface Session {
  accountId: string;
  sessionId: string;
  amr: string[];
  authenticatedAt: string;
  expiresAt: string;
  /** The end of this session's confirmation window, or null. */
  confirmedUntil: string | null;
}

/** Shows the account in the header and wires "Sign out". */
export function showAccount(session: Session): void {
  document.getElementById("menu-account")!.textContent = session.accountId;
  for (const group of document.querySelectorAll<HTMLElement>("[data-when]")) {
    group.hidden = group.dataset.when !== "signed-in";
  }
}

/** The current session, or null when this browser is not signed in. */
export async function currentSession(): Promise<Session | null> {
  if (document.body.dataset.maybeSignedIn !== "true") return null;
  try {
    return await call<Session>("GET", "/v1/session");
  } catch {
    return null;
  }
}

/** Ends the session and goes to the sign-in page. */
export async function signOut(): Promise<void> {
  await call("POST", "/v1/logout").catch(() => {});
  location.assign("/login");
}

/** Fills the header for the session, if any; returns it. */
export async function accountMenu(): Promise<Session | null> {
  document.getElementById("sign-out")?.addEventListener("click", signOut);
  const session = await currentSession();
  if (session) showAccount(session);
  return session;
}
