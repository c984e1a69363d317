/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="esnext" />
/**
 * The 24-hour withdrawal hold a change started, said where the change was made: its
 * answer names the end (`Withdrawal-Hold-Until`, README's API section), and the page
 * says "Withdrawals are paused until 29 Nov, 14:05" in this browser's time zone, the
 * minute rounded up as the message about it has it.
 */
import { locale, sentences, t } from "./i18n.ts";

const minuteMs = 60 * 1000;

/** The sentence for an answer's hold, or null when the change started none. */
export function withdrawalHold(headers: Headers): string | null {
  const until = Date.parse(headers.get("Withdrawal-Hold-Until") ?? "");
  if (Number.isNaN(until)) return null;
  const shown = new Date(Math.ceil(until / minuteMs) * minuteMs);
  return t("common.withdrawalHold", {
    time: shown.toLocaleString(locale, {
      day: "numeric",
      month: "short",
      hour: "2-digit",
      minute: "2-digit",
    }),
  });
}

/** A result followed by the hold it started, if any. */
export function withHold(text: string, headers: Headers): string {
  return sentences(text, withdrawalHold(headers));
}
