/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="esnext" />
/**
 * Sessions: "Chrome on Windows · 203.0.113.0/24 · active 5 minutes ago", this one
 * marked; signing one out, or all others, asks first and says so after.
 */
import { call } from "../api.ts";
import { browserName, networkOf } from "../describe.ts";
import { closeDialog, openDialog } from "../dialogs.ts";
import { onSubmit } from "../forms.ts";
import { t } from "../i18n.ts";
import { relativeTime, timeElement } from "../time.ts";
import { phraseSpan, pill, row, rowButton, say } from "./ui.ts";

interface SessionRow {
  id: string;
  current: boolean;
  createdAt: string;
  lastSeenAt: string;
  ip: string | null;
  userAgent: string | null;
}

let target: SessionRow | null = null;

function activeLabel(session: SessionRow): (string | Node)[] {
  const active = session.current
    ? t("security.sessions.activeNow")
    : phraseSpan("security.sessions.active", {
      when: timeElement(session.lastSeenAt),
    });
  const started = phraseSpan("security.sessions.signedIn", {
    when: timeElement(session.createdAt),
  });
  return [active, started];
}

/** Fills the list of sessions; `onChange` reloads what a sign-out changes. */
export async function loadSessions(): Promise<void> {
  const sessions: SessionRow[] = await call("GET", "/v1/sessions");
  document.getElementById("sign-out-others")!.hidden = sessions.length < 2;
  document.getElementById("sessions")!.replaceChildren(
    ...sessions.map((session) => {
      const name = browserName(session.userAgent);
      return row({
        iconName: "sessions",
        title: name,
        badges: session.current
          ? [pill(t("security.sessions.thisSession"), "brand")]
          : [],
        meta: [networkOf(session.ip), ...activeLabel(session)],
        actions: session.current ? [] : [
          rowButton(
            t("security.sessions.signOut"),
            t("security.sessions.signOutLabel", { name }),
            () => {
              target = session;
              const network = networkOf(session.ip);
              document.getElementById("revoke-session-text")!.textContent = t(
                network
                  ? "security.sessions.revokeText"
                  : "security.sessions.revokeTextNoNetwork",
                {
                  name,
                  network: network ?? "",
                  when: relativeTime(session.lastSeenAt),
                },
              );
              openDialog("revoke-session-dialog");
            },
          ),
        ],
      });
    }),
  );
}

/** Wires the session dialogs; `refresh` reloads the cards a sign-out changes. */
export function attachSessionActions(refresh: () => Promise<unknown>): void {
  onSubmit("revoke-session-form", async () => {
    if (!target) return;
    await call("DELETE", `/v1/sessions/${encodeURIComponent(target.id)}`);
    closeDialog("revoke-session-dialog");
    await refresh();
    say(
      "sessions",
      t("security.sessions.revoked", { name: browserName(target.userAgent) }),
    );
  });
  onSubmit("sign-out-others-form", async () => {
    await call("DELETE", "/v1/sessions");
    closeDialog("sign-out-others-dialog");
    await refresh();
    say("sessions", t("security.sessions.othersRevoked"));
  });
}
