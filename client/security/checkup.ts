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
import { localTime, relativeDay } from "../time.ts";
import { icon } from "./ui.ts";

interface Check {
  id: string;
  status: "ok" | "warn" | "critical";
  detail: string;
}

interface Audit {
  checks: Check[];
  nextAuditDue: string;
  lastAuditAt: string | null;
}

const titles: Record<string, string> = {
  mfa: "Authenticator app",
  backup_codes: "Backup codes",
  passcode_age: "Passcode",
  anti_phishing_code: "Anti-phishing code",
  trading_passcode: "Trading passcode",
  trusted_devices: "Passkeys and browsers",
  recent_failures: "Failed attempts",
  pending_recovery: "Account recovery",
  settings_lock: "Settings lock",
  mfa_policy: "Passkeys only",
};

/** The dialog that fixes a finding, and what its button says. */
const fixes: Record<string, [string, string]> = {
  backup_codes: ["backup-codes-dialog", "Make new codes"],
  passcode_age: ["passcode-dialog", "Change passcode"],
  anti_phishing_code: ["phishing-dialog", "Set code"],
  trading_passcode: ["trading-dialog", "Set passcode"],
  settings_lock: ["lock-dialog", "Lock settings"],
  mfa_policy: ["policy-on-dialog", "Turn on"],
};

const text = {
  allPassed: (count: number) => `All ${count} checks passed. Nothing to do.`,
  attention: (open: number, count: number) =>
    `${open} of ${count} checks ${
      open === 1 ? "needs" : "need"
    } your attention.`,
  neverReviewed:
    "You have not reviewed the whole checklist yet. Every half year is a good habit.",
  reviewed: (last: string, next: string) =>
    `Last reviewed ${last}. Review it again by ${next}.`,
  review: "Review all checks",
  hide: "Hide the details",
};

/**
 * The audit's own sentence, except where the page can say it better; the times it
 * names (a recovery's or an unlock's) in this browser's local time.
 */
function detail(check: Check): string {
  if (check.id === "passcode_age") {
    return check.status === "ok"
      ? "Changed within the last 180 days."
      : "Older than 180 days: consider changing it.";
  }
  return check.detail.replace(
    /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/g,
    (iso) => localTime(iso),
  );
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
  title.textContent = titles[check.id] ?? check.id;
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
    button.textContent = fix[1];
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
    ? text.allPassed(checks.length)
    : text.attention(open.length, checks.length);
  document.getElementById("audit")!.replaceChildren(...open.map(checkItem));
  // What is fine takes little room: a row of ticks, with what each found once the
  // person reviews the whole checklist.
  document.getElementById("audit-passed")!.replaceChildren(
    ...checks.filter((check) => check.status === "ok").map(checkItem),
  );
  document.getElementById("audit-next")!.textContent = audit.lastAuditAt
    ? text.reviewed(
      relativeDay(audit.lastAuditAt),
      localTime(audit.nextAuditDue),
    )
    : text.neverReviewed;
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
      button.textContent = text.review;
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
    button.textContent = text.hide;
  });
}

function showTradingStatus(check: Check | undefined): void {
  if (!check) return;
  const set = check.status === "ok";
  const pill = document.getElementById("trading-pill")!;
  pill.textContent = set ? "On" : "Not set";
  pill.className = `pill ${set ? "ok" : "critical"}`;
  pill.hidden = false;
  document.getElementById("trading-open")!.textContent = set
    ? "Change trading passcode"
    : "Set trading passcode";
}
