/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="esnext" />
/** Page helpers: steps, the notice line, forms, and problems in plain words. */
import { type Problem, ProblemError } from "./api.ts";

/** Shows one step (a `<section>` of `main`) and hides the others. */
export function showStep(id: string): void {
  for (const section of document.querySelectorAll("main > section")) {
    (section as HTMLElement).hidden = section.id !== id;
  }
  const step = document.getElementById(id);
  step?.querySelector<HTMLInputElement>("input")?.focus();
}

/** The notice line under the title: errors, and what happened. */
export function notify(text: string, kind: "error" | "info" = "error"): void {
  const notice = document.getElementById("notice")!;
  notice.textContent = text;
  notice.className = kind;
  notice.hidden = text === "";
}

/** A form's fields as strings. */
export function fieldsOf(form: HTMLFormElement): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of new FormData(form)) {
    if (typeof value === "string") fields[name] = value.trim();
  }
  return fields;
}

function localTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, {
    dateStyle: "medium",
    timeStyle: "short",
  });
}

/** What went wrong, as a person should read it. */
export function describeProblem(problem: Problem, retryAfter: string | null) {
  switch (problem.code) {
    case "account_locked":
    case "step_up_locked":
      return `Too many failed attempts. Locked until ${
        localTime(problem.lockedUntil!)
      }. Browsers you signed in with before keep working.`;
    case "security_hold":
      return `Withdrawals are on hold after a security change until ${
        localTime(problem.holdUntil!)
      }.`;
    case "rate_limited":
      return `Too many requests. Try again in ${
        retryAfter ?? "a few"
      } seconds.`;
    case "weak_passcode":
      return `That passcode is too easy to guess. ${
        (problem.feedback ?? []).join(" ")
      }`;
    case "invalid_credentials":
      return problem.detail.includes("current")
        ? "The current passcode is wrong."
        : "The account ID or passcode is wrong.";
    case "invalid_code":
      return "That code is wrong, used or expired.";
    case "invalid_ticket":
      return "This sign-in expired. Start again.";
    case "captcha_required":
    case "captcha_invalid":
      return "The robot check failed. Try again.";
    case "invalid_request":
      return problem.errors?.length
        ? problem.errors.map((error) => `${error.path}: ${error.message}`)
          .join("; ")
        : problem.detail;
    default:
      return problem.detail;
  }
}

/**
 * Runs a form's action on submit, with the button disabled meanwhile and any problem
 * shown in the notice line.
 */
export function onSubmit(
  id: string,
  action: (fields: Record<string, string>, form: HTMLFormElement) => unknown,
): void {
  const form = document.getElementById(id) as HTMLFormElement | null;
  if (!form) return;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]") as
      | HTMLButtonElement
      | null;
    if (button) button.disabled = true;
    notify("");
    try {
      await action(fieldsOf(form), form);
    } catch (error) {
      notify(
        error instanceof ProblemError
          ? describeProblem(error.problem, error.retryAfter)
          : String(error instanceof Error ? error.message : error),
      );
    } finally {
      if (button) button.disabled = false;
    }
  });
}

/** Replaces a list's items with text items. */
export function fillList(
  id: string,
  items: (string | HTMLElement)[],
): HTMLElement {
  const list = document.getElementById(id)!;
  list.replaceChildren(
    ...items.map((item) => {
      const li = document.createElement("li");
      li.append(item);
      return li;
    }),
  );
  return list;
}

/** A button element. */
export function button(
  text: string,
  onClick: () => unknown,
  label?: string,
): HTMLButtonElement {
  const element = document.createElement("button");
  element.type = "button";
  element.className = "secondary";
  element.textContent = text;
  if (label) element.setAttribute("aria-label", label);
  element.addEventListener("click", onClick);
  return element;
}

export { localTime };
