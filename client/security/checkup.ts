/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="esnext" />
/**
 * The security checkup: what needs doing first, each with the dialog that does it, and
 * the cards' statuses that only the audit knows. Loading the page reads the audit
 * (`GET /v1/security/audit`, recorded nowhere); "Review all checks" opens the whole
 * checklist with what each check found, and that explicit review is what the service
 * records (`POST`, at most once a day).
 */
import { call } from "../api.ts";
import { openDialog } from "../dialogs.ts";
import { problemSentence, setBusy } from "../forms.ts";
import { locale, t } from "../i18n.ts";
import type { CatalogKey } from "../../lib/i18n/translator.ts";
import { relativeDay } from "../time.ts";
import { icon } from "./ui.ts";

interface Check {
  id: string;
  status: "ok" | "warn" | "critical";
  /** The finding in the API's English. */
  detail: string;
  /** Its values, which the page words in its own language. */
  facts?: {
    count?: number;
    days?: number;
    at?: string;
    devices?: string[];
    recovery?: "authenticator" | "passcode";
    passkeysOnly?: boolean;
  };
}

interface Audit {
  checks: Check[];
  nextAuditDue: string;
  lastAuditAt: string | null;
}

const titles: Record<string, CatalogKey> = {
  mfa: "security.checkup.check.mfa",
  backup_codes: "security.checkup.check.backupCodes",
  passcode_age: "security.checkup.check.passcodeAge",
  anti_phishing_code: "security.checkup.check.antiPhishingCode",
  trading_passcode: "security.checkup.check.tradingPasscode",
  trusted_devices: "security.checkup.check.trustedDevices",
  recent_failures: "security.checkup.check.recentFailures",
  pending_recovery: "security.checkup.check.pendingRecovery",
  settings_lock: "security.checkup.check.settingsLock",
  mfa_policy: "security.checkup.check.mfaPolicy",
};

/** The dialog that fixes a finding, and what its button says. */
const fixes: Record<string, [string, CatalogKey]> = {
  backup_codes: ["backup-codes-dialog", "security.checkup.fix.makeCodes"],
  passcode_age: ["passcode-dialog", "security.checkup.fix.changePasscode"],
  anti_phishing_code: ["phishing-dialog", "security.checkup.fix.setCode"],
  trading_passcode: ["trading-dialog", "security.checkup.fix.setPasscode"],
  settings_lock: ["lock-dialog", "security.checkup.fix.lock"],
  mfa_policy: ["policy-on-dialog", "security.checkup.fix.turnOn"],
};

/**
 * What a check found, in the page's language: the audit's sentence is the API's
 * English, so the page says it from the check's id, status and facts (a moment in this
 * browser's time zone, names as a list of the page's language); a check the page does
 * not know keeps the audit's sentence.
 */
function detail(check: Check): string {
  const ok = check.status === "ok";
  const facts = check.facts ?? {};
  const count = facts.count ?? 0;
  const at = facts.at ? new Date(facts.at) : null;
  const names = new Intl.ListFormat(locale).format(facts.devices ?? []);
  const d = "security.checkup.detail";
  switch (check.id) {
    case "mfa":
      return t(ok ? `${d}.mfaOk` : `${d}.mfaMissing`);
    case "backup_codes":
      return t(ok ? `${d}.backupCodesOk` : `${d}.backupCodesLow`, { count });
    case "passcode_age":
      return t(ok ? `${d}.passcodeRecent` : `${d}.passcodeOld`);
    case "anti_phishing_code":
      return t(ok ? `${d}.antiPhishingOk` : `${d}.antiPhishingMissing`);
    case "trading_passcode":
      return t(ok ? `${d}.tradingOk` : `${d}.tradingMissing`);
    case "trusted_devices":
      return ok ? t(`${d}.devicesOk`) : t(`${d}.devicesIdle`, { names });
    case "recent_failures":
      return ok ? t(`${d}.failuresNone`) : t(`${d}.failures`, { count });
    case "pending_recovery":
      if (ok || !at) return t(`${d}.recoveryNone`);
      return t(
        facts.recovery === "authenticator"
          ? `${d}.recoveryMfa`
          : `${d}.recoveryPasscode`,
        { at },
      );
    case "settings_lock":
      if (ok) return t(`${d}.lockOn`, { days: facts.days ?? 0 });
      return at ? t(`${d}.lockUnlocking`, { at }) : t(`${d}.lockOff`);
    case "mfa_policy":
      if (!ok) return t(`${d}.policySuggested`);
      return t(
        facts.passkeysOnly ? `${d}.policyOn` : `${d}.policyOff`,
      );
    default:
      return check.detail;
  }
}

function checkItem(check: Check): HTMLLIElement {
  const item = document.createElement("li");
  item.className = `check ${check.status}`;
  item.dataset.check = check.id;
  item.dataset.status = check.status;
  const mark = document.createElement("span");
  mark.className = "check-icon";
  mark.append(icon(check.status === "ok" ? "check" : "alert"));
  const body = document.createElement("div");
  const title = document.createElement("p");
  title.className = "check-title";
  title.textContent = Object.hasOwn(titles, check.id)
    ? t(titles[check.id])
    : check.id;
  const text = document.createElement("p");
  text.className = "check-detail";
  text.textContent = detail(check);
  body.append(title, text);
  item.append(mark, body);
  const fix = fixes[check.id];
  if (fix && check.status !== "ok") {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "small";
    button.textContent = t(fix[1]);
    button.addEventListener("click", () => openDialog(fix[0]));
    item.append(button);
  }
  return item;
}

const order = { critical: 0, warn: 1, ok: 2 };

function showAudit(audit: Audit): Check[] {
  const checks = [...audit.checks].sort((a, b) =>
    order[a.status] - order[b.status]
  );
  const open = checks.filter((check) => check.status !== "ok");
  const score = document.getElementById("audit-score")!;
  score.dataset.status = open.some((check) => check.status === "critical")
    ? "critical"
    : open.length > 0
    ? "warn"
    : "ok";
  document.getElementById("audit-summary")!.textContent = open.length === 0
    ? t("security.checkup.allPassed", { count: checks.length })
    : t("security.checkup.attention", {
      open: open.length,
      count: checks.length,
    });
  document.getElementById("audit")!.replaceChildren(...open.map(checkItem));
  // What is fine takes little room: a row of ticks, with what each found once the
  // person reviews the whole checklist.
  document.getElementById("audit-passed")!.replaceChildren(
    ...checks.filter((check) => check.status === "ok").map(checkItem),
  );
  document.getElementById("audit-next")!.textContent = audit.lastAuditAt
    ? t("security.checkup.reviewed", {
      last: relativeDay(audit.lastAuditAt),
      next: new Date(audit.nextAuditDue),
    })
    : t("security.checkup.neverReviewed");
  showTradingStatus(checks.find((check) => check.id === "trading_passcode"));
  const passcode = checks.find((check) => check.id === "passcode_age");
  if (passcode) {
    document.getElementById("passcode-fact")!.textContent = detail(passcode);
  }
  return checks;
}

/** Loads the checkup and the statuses it alone knows; records nothing. */
export async function loadCheckup(): Promise<Check[]> {
  return showAudit(await call<Audit>("GET", "/v1/security/audit"));
}

/** "Review all checks": the whole checklist, recorded as the owner's review. */
export function attachCheckupReview(): void {
  const button = document.getElementById("audit-review") as HTMLButtonElement;
  const card = button.closest<HTMLElement>(".checkup")!;
  button.addEventListener("click", async () => {
    if (card.classList.contains("reviewing")) {
      card.classList.remove("reviewing");
      button.setAttribute("aria-expanded", "false");
      button.textContent = t("security.checkup.review");
      return;
    }
    setBusy(button, true);
    try {
      showAudit(await call<Audit>("POST", "/v1/security/audit"));
    } catch (error) {
      document.getElementById("audit-next")!.textContent = problemSentence(
        error,
      );
      return;
    } finally {
      setBusy(button, false);
    }
    card.classList.add("reviewing");
    button.setAttribute("aria-expanded", "true");
    button.textContent = t("security.checkup.hide");
  });
}

function showTradingStatus(check: Check | undefined): void {
  if (!check) return;
  const set = check.status === "ok";
  const pill = document.getElementById("trading-pill")!;
  pill.textContent = t(
    set ? "security.checkup.trading.on" : "security.checkup.trading.notSet",
  );
  pill.className = `pill ${set ? "ok" : "critical"}`;
  pill.hidden = false;
  document.getElementById("trading-open")!.textContent = t(
    set ? "security.trading.change" : "security.trading.set",
  );
}
