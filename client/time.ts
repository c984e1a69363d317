/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="esnext" />
/**
 * Times as people read them: relative ("5 minutes ago", "today"), with the absolute
 * local time and zone on hover (`<time datetime title>`); in the page's language and
 * this browser's time zone.
 */
import { locale, t } from "./i18n.ts";

const dayMs = 24 * 60 * 60 * 1000;

/** The local date and time with the zone: "Fri, 28 Nov 2026, 14:05 CET". */
export function absoluteTime(iso: string): string {
  return new Date(iso).toLocaleString(locale, {
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZoneName: "short",
  });
}

/** The local date and time without the weekday: "28 Nov 2026, 14:05". */
export function localTime(iso: string): string {
  return new Date(iso).toLocaleString(locale, {
    dateStyle: "medium",
    timeStyle: "short",
  });
}

function localDate(date: Date): string {
  return date.toLocaleDateString(locale, { dateStyle: "medium" });
}

/** "5 minutes ago", "yesterday", in the page's language (read when used: tests set it). */
function relative(): Intl.RelativeTimeFormat {
  return new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
}

/** "just now", "5 minutes ago", "3 hours ago", "yesterday", "4 days ago", a date. */
export function relativeTime(iso: string, now = Date.now()): string {
  const at = new Date(iso);
  // A server clock a little ahead of this one must not read as "in 2 minutes".
  const seconds = Math.min(0, Math.round((at.getTime() - now) / 1000));
  const ago = Math.abs(seconds);
  if (ago < 45) return t("common.time.justNow");
  if (ago < 45 * 60) {
    return relative().format(Math.round(seconds / 60), "minute");
  }
  if (ago < 22 * 60 * 60) {
    return relative().format(Math.round(seconds / 3600), "hour");
  }
  const days = calendarDays(at, now);
  if (Math.abs(days) < 7) return relative().format(days, "day");
  return localDate(at);
}

/** Whole local calendar days from now to `at` (negative in the past). */
function calendarDays(at: Date, now: number): number {
  const midnight = (date: Date) =>
    new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
  return Math.round((midnight(at) - midnight(new Date(now))) / dayMs);
}

/** A day, not a moment: "today", "yesterday", "3 days ago", "on 12 Mar 2026". */
export function relativeDay(iso: string, now = Date.now()): string {
  const at = new Date(iso);
  const days = calendarDays(at, now);
  if (Math.abs(days) < 7) return relative().format(days, "day");
  return t("common.time.onDay", { date: localDate(at) });
}

/** A `<time>` element: relative text, machine-readable and absolute on hover. */
export function timeElement(
  iso: string,
  granularity: "moment" | "day" = "moment",
): HTMLTimeElement {
  const element = document.createElement("time");
  element.dateTime = iso;
  element.title = absoluteTime(iso);
  element.textContent = granularity === "day"
    ? relativeDay(iso)
    : relativeTime(iso);
  return element;
}
