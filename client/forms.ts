/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="esnext" />
/**
 * Forms as people use them: each field's error next to it (`aria-invalid`,
 * `aria-describedby`) with focus on the first, the form's own result above its button
 * in a live region, and the button busy ("Signing in…") while the request runs.
 */
import { ProblemError } from "./api.ts";
import { t } from "./i18n.ts";
import { explainProblem, type FormShape } from "./problems.ts";
import { passkeyProblem } from "./webauthn_errors.ts";

/** A problem the page itself found, about one field of the form. */
export class FieldProblem extends Error {
  constructor(readonly field: string, sentence: string) {
    super(sentence);
  }
}

/** Which fields the API's problem codes are about, where the form has them. */
export interface FormOptions {
  credentialsField?: string;
  codeField?: string;
  wrongCode?: string;
  newSecretField?: string;
}

/** A form's fields as trimmed strings (passcodes untrimmed: spaces may be part). */
export function fieldsOf(form: HTMLFormElement): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of new FormData(form)) {
    if (typeof value !== "string") continue;
    const input = form.elements.namedItem(name);
    fields[name] =
      input instanceof HTMLInputElement && input.type === "password"
        ? value
        : value.trim();
  }
  return fields;
}

function inputsOf(form: HTMLFormElement): HTMLInputElement[] {
  return [...form.querySelectorAll<HTMLInputElement>("input[name]")];
}

function errorElement(input: HTMLInputElement): HTMLElement | null {
  return document.getElementById(`${input.id}-error`);
}

/** Shows a field's error and ties it to the input. */
export function setFieldError(input: HTMLInputElement, sentence: string): void {
  const error = errorElement(input);
  if (!error) return;
  error.textContent = sentence;
  error.hidden = false;
  input.setAttribute("aria-invalid", "true");
  const described = (input.getAttribute("aria-describedby") ?? "").split(" ")
    .filter((id) => id && id !== error.id);
  input.setAttribute("aria-describedby", [...described, error.id].join(" "));
}

function clearFieldError(input: HTMLInputElement): void {
  const error = errorElement(input);
  if (!error || error.hidden) return;
  error.hidden = true;
  error.textContent = "";
  input.removeAttribute("aria-invalid");
  const described = (input.getAttribute("aria-describedby") ?? "").split(" ")
    .filter((id) => id && id !== error.id);
  if (described.length > 0) {
    input.setAttribute("aria-describedby", described.join(" "));
  } else input.removeAttribute("aria-describedby");
}

/** The form's own line: what went wrong as a whole ("error") or what was done. */
export function setFormMessage(
  form: HTMLFormElement,
  text: string,
  kind: "error" | "info" = "error",
): void {
  const message = document.getElementById(`${form.id}-message`);
  if (!message) return;
  message.textContent = text;
  message.dataset.kind = kind;
}

/** Clears every error of a form. */
export function clearErrors(form: HTMLFormElement): void {
  for (const input of inputsOf(form)) clearFieldError(input);
  setFormMessage(form, "");
}

/** The browser's own checks (required, pattern, length) in the fields' words. */
function checkFields(form: HTMLFormElement): HTMLInputElement[] {
  const invalid: HTMLInputElement[] = [];
  for (const input of inputsOf(form)) {
    if (input.type === "checkbox" || input.disabled || input.validity.valid) {
      continue;
    }
    setFieldError(
      input,
      input.validity.valueMissing
        ? input.dataset.missing ?? t("common.form.missing")
        : input.dataset.invalid ?? t("common.form.invalid"),
    );
    invalid.push(input);
  }
  return invalid;
}

function shapeOf(form: HTMLFormElement, options: FormOptions): FormShape {
  const inputs = inputsOf(form);
  return {
    fields: inputs.map((input) => input.name),
    invalid: (name) =>
      inputs.find((input) => input.name === name)?.dataset.invalid ??
        t("common.form.invalid"),
    ...options,
  };
}

/** A failure as one sentence, for a line that belongs to no field. */
export function problemSentence(error: unknown): string {
  if (error instanceof ProblemError) {
    const explained = explainProblem(error.problem, error.retryAfter, {
      fields: [],
      invalid: () => "",
    });
    return explained.form ?? t("common.problem.unknown");
  }
  return passkeyProblem(error) ??
    (error instanceof TypeError
      ? t("common.problem.offline")
      : error instanceof Error
      ? error.message
      : t("common.problem.unknown"));
}

/** Shows a failed request's problem by its fields, or on the form's line. */
export function showProblem(
  form: HTMLFormElement,
  error: unknown,
  options: FormOptions = {},
): void {
  if (error instanceof FieldProblem) {
    const input = inputsOf(form).find((input) => input.name === error.field);
    if (input) {
      setFieldError(input, error.message);
      return input.focus();
    }
  }
  if (!(error instanceof ProblemError)) {
    return setFormMessage(form, problemSentence(error));
  }
  const explained = explainProblem(
    error.problem,
    error.retryAfter,
    shapeOf(form, options),
  );
  const inputs = inputsOf(form);
  const marked = Object.entries(explained.fields).map(([name, sentence]) => {
    const input = inputs.find((candidate) => candidate.name === name)!;
    setFieldError(input, sentence);
    return input;
  });
  if (explained.form) setFormMessage(form, explained.form);
  marked[0]?.focus();
}

/** Puts a button into its busy state (disabled, spinner, `data-busy` text) and back. */
export function setBusy(button: HTMLButtonElement | null, busy: boolean): void {
  if (!button) return;
  if (busy) {
    button.dataset.label ??= button.innerHTML;
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    setBusyLabel(button, button.dataset.busy ?? t("common.form.working"));
  } else {
    button.disabled = false;
    button.removeAttribute("aria-busy");
    if (button.dataset.label !== undefined) {
      button.innerHTML = button.dataset.label;
      delete button.dataset.label;
    }
  }
}

/** Changes what a busy button says ("Checking you are not a robot…"). */
export function setBusyLabel(button: HTMLButtonElement, text: string): void {
  const spinner = document.createElement("span");
  spinner.className = "spinner";
  spinner.setAttribute("aria-hidden", "true");
  button.replaceChildren(spinner, text);
}

/** The button that sends a form. */
export function submitButton(form: HTMLFormElement): HTMLButtonElement | null {
  return form.querySelector<HTMLButtonElement>("button[type=submit]");
}

let onSessionEnded: ((error: unknown) => void) | null = null;

/** What to do when a request finds the session over (the security centre leaves). */
export function whenSessionEnds(handler: (error: unknown) => void): void {
  onSessionEnded = handler;
}

/** Whether an error says the session is over (or its account frozen, which ends it). */
export function sessionEnded(error: unknown): boolean {
  return error instanceof ProblemError &&
    ["unauthenticated", "session_revoked", "account_frozen"].includes(
      error.problem.code,
    );
}

/**
 * Runs a form's action on submit: first the fields' own checks, then the request with
 * the button busy; a problem lands by its field or on the form's line.
 */
export function onSubmit(
  id: string,
  action: (fields: Record<string, string>, form: HTMLFormElement) => unknown,
  options: FormOptions = {},
): HTMLFormElement | null {
  const form = document.getElementById(id) as HTMLFormElement | null;
  if (!form) return null;
  // A field's error goes as soon as it is edited: it is about the old value.
  form.addEventListener("input", (event) => {
    if (event.target instanceof HTMLInputElement) {
      clearFieldError(event.target);
    }
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = submitButton(form);
    if (button?.disabled) return;
    clearErrors(form);
    const invalid = checkFields(form);
    if (invalid.length > 0) {
      invalid[0].focus();
      return;
    }
    setBusy(button, true);
    try {
      await action(fieldsOf(form), form);
    } catch (error) {
      if (sessionEnded(error) && onSessionEnded) onSessionEnded(error);
      else showProblem(form, error, options);
    } finally {
      setBusy(button, false);
    }
  });
  return form;
}
