/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="esnext" />
/**
 * The security checkup (`GET /v1/security/audit`): what needs doing first, each with
 * the dialog that does it; and the cards' statuses that only the audit knows.
 */
import { call } from "../api.ts";
import { openDialog } from "../dialogs.ts";
import { localTime } from "../time.ts";
import { icon } from "./ui.ts";

interface Check {
  id: string;
  status: "ok" | "warn" | "critical";
  detail: string;
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
};

/** The dialog that fixes a finding, and what its button says. */
const fixes: Record<string, [string, string]> = {
  backup_codes: ["backup-codes-dialog", "Make new codes"],
  passcode_age: ["passcode-dialog", "Change passcode"],
  anti_phishing_code: ["phishing-dialog", "Set code"],
  trading_passcode: ["trading-dialog", "Set passcode"],
};

/** The audit's own sentence, except where the page can say it better. */
function detail(check: Check): string {
  if (check.id === "passcode_age") {
    return check.status === "ok"
      ? "Changed within the last 180 days."
      : "Older than 180 days: consider changing it.";
  }
  return check.detail;
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

/** Loads the checkup and the statuses it alone knows; returns the checks. */
export async function loadCheckup(): Promise<Check[]> {
  const audit: { checks: Check[]; nextAuditDue: string } = await call(
    "GET",
    "/v1/security/audit",
  );
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
    ? `All ${checks.length} checks passed. Nothing to do.`
    : `${open.length} of ${checks.length} checks ${
      open.length === 1 ? "needs" : "need"
    } your attention.`;
  document.getElementById("audit")!.replaceChildren(
    ...open.map(checkItem),
  );
  // What is fine takes little room: a row of ticks under what needs doing.
  document.getElementById("audit-passed")!.replaceChildren(
    ...checks.filter((check) => check.status === "ok").map(checkItem),
  );
  document.getElementById("audit-next")!.textContent = `Review this again by ${
    localTime(audit.nextAuditDue)
  }.`;
  showTradingStatus(checks.find((check) => check.id === "trading_passcode"));
  const passcode = checks.find((check) => check.id === "passcode_age");
  if (passcode) {
    document.getElementById("passcode-fact")!.textContent = detail(passcode);
  }
  return checks;
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
