/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="esnext" />
/**
 * The settings lock card (API.md, Settings lock; after Kraken's Global Settings Lock):
 * off, locked with its unlock delay, or counting down to its end. Locking takes a
 * delay of 1 to 30 days; unlocking starts the countdown; locking again stops it. Each
 * takes a factor of its own (`/v1/security/lock` is not covered by the confirmation
 * window).
 */
import { call, ProblemError } from "../api.ts";
import { closeDialog } from "../dialogs.ts";
import { FieldProblem, onSubmit } from "../forms.ts";
import { t } from "../i18n.ts";
import { withFreshFactor } from "./confirmation.ts";
import { say } from "./ui.ts";

interface SettingsLock {
  locked: boolean;
  unlockDelayDays: number | null;
  unlocksAt: string | null;
}

let current: SettingsLock = {
  locked: false,
  unlockDelayDays: null,
  unlocksAt: null,
};

function show(id: string, visible: boolean): void {
  document.getElementById(id)!.hidden = !visible;
}

/** Fills the card from `GET /v1/security/lock`. */
export async function loadLock(): Promise<void> {
  current = await call<SettingsLock>("GET", "/v1/security/lock");
  const counting = current.unlocksAt !== null;
  const pill = document.getElementById("lock-pill")!;
  pill.textContent = t(
    !current.locked
      ? "security.lock.pillOff"
      : counting
      ? "security.lock.pillUnlocking"
      : "security.lock.pillLocked",
  );
  pill.className = `pill ${
    !current.locked ? "neutral" : counting ? "warn" : "ok"
  }`;
  pill.hidden = false;
  show("lock-off", !current.locked);
  show("lock-on", current.locked && !counting);
  show("lock-countdown", counting);
  if (current.unlockDelayDays !== null) {
    document.getElementById("lock-delay")!.textContent = t(
      "security.lock.days",
      { days: current.unlockDelayDays },
    );
  }
  if (current.unlocksAt) {
    document.getElementById("lock-until")!.textContent = t(
      "security.lock.until",
      { at: new Date(current.unlocksAt) },
    );
  }
  const lock = document.getElementById("lock-open")!;
  lock.hidden = current.locked && !counting;
  lock.textContent = t(
    counting ? "security.lock.lockAgain" : "security.lock.submit",
  );
  show("unlock-open", current.locked && !counting);
  show("lock-dialog-again", counting);
  // A lock in force keeps at least its delay: the dialog starts from it (and goes
  // back to it when closed, as a form's default).
  (document.getElementById("lock-form-unlockDelayDays") as HTMLInputElement)
    .defaultValue = String(current.unlockDelayDays ?? 7);
  document.getElementById("unlock-text")!.textContent = t(
    "security.lock.unlockLead",
    { days: current.unlockDelayDays ?? 0 },
  );
}

/** Wires the lock's dialogs; `refresh` reloads the cards a change touches. */
export function attachLockActions(refresh: () => Promise<unknown>): void {
  onSubmit("lock-form", async (fields, form) => {
    const again = current.unlocksAt !== null;
    const days = Number(fields.unlockDelayDays);
    try {
      await withFreshFactor(
        fields,
        form,
        (factor) =>
          call("PUT", "/v1/security/lock", {
            unlockDelayDays: days,
            ...factor,
          }),
      );
    } catch (error) {
      if (
        error instanceof ProblemError &&
        error.problem.code === "settings_locked" && current.unlockDelayDays
      ) {
        throw new FieldProblem(
          "unlockDelayDays",
          t("security.lock.noShorter", { days: current.unlockDelayDays }),
        );
      }
      throw error;
    }
    closeDialog("lock-dialog");
    await refresh();
    say(
      "lock",
      again
        ? t("security.lock.lockedAgain")
        : t("security.lock.lockedNow", { days }),
    );
  }, { codeField: "factor" });
  onSubmit("unlock-form", async (fields, form) => {
    const { unlocksAt } = await withFreshFactor(
      fields,
      form,
      (factor) => call("DELETE", "/v1/security/lock", factor),
    );
    closeDialog("unlock-dialog");
    await refresh();
    say(
      "lock",
      t("security.lock.countdownStarted", { at: new Date(unlocksAt) }),
    );
  }, { codeField: "factor" });
}
