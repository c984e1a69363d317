/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="esnext" />
/** `/security`: the checkup, one card per area, each action in its own dialog. */
import { type Session, showAccount } from "../account_menu.ts";
import { call, ProblemError } from "../api.ts";
import { attachDialogs } from "../dialogs.ts";
import { sessionEnded, whenSessionEnds } from "../forms.ts";
import { t } from "../i18n.ts";
import { signedOut } from "../notice.ts";
import { attachCheckupReview, loadCheckup } from "./checkup.ts";
import { attachConfirmation, showWindow } from "./confirmation.ts";
import { attachDeviceActions, loadDevices } from "./devices.ts";
import { loadHistory } from "./history.ts";
import { attachLockActions, loadLock } from "./lock.ts";
import { attachPolicyActions } from "./policy.ts";
import { attachSessionActions, loadSessions } from "./sessions.ts";
import {
  attachSettingActions,
  loadAntiPhishing,
  loadSecondFactors,
} from "./settings.ts";

/** Leaves for sign-in, saying why the session is over. */
function leave(error: unknown): void {
  signedOut(
    error instanceof ProblemError && error.problem.code === "account_frozen"
      ? t("security.page.frozen")
      : t("security.page.ended"),
  );
}

function showSession(session: Session): void {
  showAccount(session);
  for (const id of ["signed-in-as", "account-current"]) {
    document.getElementById(id)!.textContent = session.accountId;
  }
  for (
    const input of document.querySelectorAll<HTMLInputElement>(
      "input[data-account]",
    )
  ) input.value = session.accountId;
}

export async function securityPage(known: Session | null): Promise<void> {
  let session = known;
  try {
    session ??= await call<Session>("GET", "/v1/session");
  } catch (error) {
    return sessionEnded(error) && error instanceof ProblemError &&
        error.problem.code === "account_frozen"
      ? leave(error)
      : signedOut(t("security.page.signIn"));
  }
  showSession(session);
  showWindow(session.confirmedUntil);
  whenSessionEnds(leave);
  const refresh = () =>
    Promise.all([
      loadCheckup(),
      loadSecondFactors(),
      loadDevices(),
      loadSessions(),
      loadAntiPhishing(),
      loadLock(),
      loadHistory(),
    ]).catch((error) => {
      if (!sessionEnded(error)) throw error;
      leave(error);
    });
  attachDialogs();
  attachConfirmation();
  attachCheckupReview();
  attachSessionActions(refresh);
  attachDeviceActions(refresh);
  attachLockActions(refresh);
  attachPolicyActions(refresh);
  attachSettingActions({
    accountId: () => session!.accountId,
    refresh,
    onAccountIdChanged: async () => {
      session = await call<Session>("GET", "/v1/session");
      showSession(session);
      await refresh();
    },
  });
  document.getElementById("history-more")!.addEventListener(
    "click",
    () => loadHistory(true),
  );
  await refresh();
}
