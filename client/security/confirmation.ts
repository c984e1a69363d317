/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="esnext" />
/**
 * The confirmation window (API.md, Session: `POST /v1/session/confirm`): one second
 * factor (an app code, a backup code or a passkey) opens a few minutes in which this
 * session's security changes take none. The code field of every dialog
 * (`[data-factor="window"]`, routes/pages/dialogs.tsx) asks for it before the first
 * change and is hidden while the window is open; the page shows the window ("Confirmed
 * for 4:32 more") and asks again when it closes. The settings lock and the
 * passkeys-only switch take a factor of their own each time (`[data-factor="fresh"]`).
 */
import {
  browserSupportsWebAuthn,
  startAuthentication,
} from "@simplewebauthn/browser";
import { call, ProblemError, serverNow } from "../api.ts";
import { FieldProblem } from "../forms.ts";
import { t } from "../i18n.ts";
import { secondFactor } from "../second_factor.ts";

/** When the window closes, on this browser's clock (0: not open). */
let deadline = 0;
/** The window closed while the page was open: the fields say so until the next. */
let ended = false;
let ticking: ReturnType<typeof setInterval> | undefined;
/** What the account can confirm with (`GET /v1/mfa`). */
let passkeys = 0;
let codesOff = false;

/** Whether this session's window is open, as far as the page knows. */
function isConfirmed(): boolean {
  return Date.now() < deadline;
}

/** "4:32": minutes and seconds left. */
function timeLeft(): string {
  const seconds = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

/** Whether a change takes a passkey alone (`data-only`, or codes switched off). */
function passkeyOnly(form: HTMLFormElement): boolean {
  return codesOff ||
    form.querySelector<HTMLElement>("[data-factor]")?.dataset.only ===
      "passkey";
}

/** Whether a form confirms with a passkey: chosen, or the only way left. */
function viaPasskey(form: HTMLFormElement): boolean {
  return passkeyOnly(form) || form.dataset.factorMode === "passkey";
}

function render(): void {
  const open = isConfirmed();
  const passkeyReady = passkeys > 0 && browserSupportsWebAuthn();
  for (const block of document.querySelectorAll<HTMLElement>("[data-factor]")) {
    const form = block.closest("form")!;
    const passkey = viaPasskey(form);
    block.hidden = block.dataset.factor === "window" && open;
    block.querySelector<HTMLElement>("[data-factor-code]")!.hidden = passkey;
    // A disabled field is neither checked nor sent.
    block.querySelector<HTMLInputElement>("input")!.disabled = block.hidden ||
      passkey;
    block.querySelector<HTMLElement>("[data-factor-passkey]")!.hidden =
      !passkey;
    block.querySelector<HTMLElement>("[data-factor-expired]")!.hidden =
      !ended || block.dataset.factor !== "window";
    const toggle = block.querySelector<HTMLButtonElement>(
      "[data-factor-switch]",
    )!;
    toggle.hidden = !passkeyReady || passkeyOnly(form);
    toggle.textContent = t(
      passkey
        ? "security.confirmation.useCode"
        : "security.confirmation.usePasskey",
    );
  }
  for (
    const note of document.querySelectorAll<HTMLElement>(
      "#confirmation, [data-confirmed-note]",
    )
  ) note.hidden = !open;
  for (
    const left of document.querySelectorAll<HTMLElement>(
      "[data-confirmed-left]",
    )
  ) left.textContent = timeLeft();
}

/** The window closed: the fields come back, saying so. */
function closeWindow(): void {
  clearInterval(ticking);
  ticking = undefined;
  if (deadline > 0) {
    ended = true;
    document.getElementById("confirmation-status")!.textContent = t(
      "security.confirmation.ended",
    );
  }
  deadline = 0;
  render();
}

function tick(): void {
  if (isConfirmed()) render();
  else closeWindow();
}

/**
 * Shows the window the service reports (`confirmedUntil`, or null), counted down on
 * this browser's clock from the service's own time, so a clock set wrong here does
 * not misstate it. A second is kept in hand: the service's `Date` has whole seconds.
 */
export function showWindow(confirmedUntil: string | null): void {
  const leftMs = confirmedUntil
    ? Date.parse(confirmedUntil) - serverNow() - 1000
    : 0;
  deadline = leftMs > 0 ? Date.now() + leftMs : 0;
  if (deadline > 0) {
    ended = false;
    document.getElementById("confirmation-status")!.textContent = "";
    ticking ??= setInterval(tick, 1000);
  }
  render();
}

/** What the account can confirm with: its passkeys, and whether codes are off. */
export function setFactors(
  options: { passkeys: number; codesOff: boolean },
): void {
  passkeys = options.passkeys;
  codesOff = options.codesOff;
  render();
}

/** A passkey's answer to this session's confirmation challenge. */
async function passkeyAnswer(): Promise<unknown> {
  const options = await call("POST", "/v1/session/confirm/options");
  return await startAuthentication({ optionsJSON: options });
}

/** A refused passkey, said on the form's line: its field is not shown. */
function passkeyProblem(error: unknown): unknown {
  return error instanceof ProblemError &&
      error.problem.code === "invalid_code"
    ? new Error(t("security.confirmation.passkeyRefused"))
    : error;
}

/** Opens the window with the form's factor. */
async function confirm(
  fields: Record<string, string>,
  form: HTMLFormElement,
): Promise<void> {
  const passkey = viaPasskey(form);
  try {
    const { confirmedUntil } = await call(
      "POST",
      "/v1/session/confirm",
      passkey ? { webauthn: await passkeyAnswer() } : secondFactor(fields),
    );
    showWindow(confirmedUntil);
  } catch (error) {
    throw passkey ? passkeyProblem(error) : error;
  }
}

/** The service found no window: it closed before the change arrived. */
function closedMeanwhile(error: unknown): boolean {
  return error instanceof ProblemError &&
    error.problem.code === "invalid_request" &&
    (error.problem.errors ?? []).some((wrong) =>
      ["totp", "backupCode"].includes(wrong.path)
    );
}

/**
 * Makes a change inside the window: first opens it with the form's factor when it is
 * not open, then sends the change without one. If the service finds the window closed
 * after all (its clock ran ahead of this one), the page asks for a code again at the
 * field, and the change can be sent once more.
 */
export async function withConfirmation<T>(
  fields: Record<string, string>,
  form: HTMLFormElement,
  change: () => Promise<T>,
): Promise<T> {
  if (!isConfirmed()) await confirm(fields, form);
  try {
    return await change();
  } catch (error) {
    if (!closedMeanwhile(error)) throw error;
    closeWindow();
    const sentence = t("security.confirmation.closedMeanwhile");
    throw viaPasskey(form)
      ? new Error(sentence)
      : new FieldProblem("factor", sentence);
  }
}

/**
 * Makes a change that takes a factor of its own (`[data-factor="fresh"]`): the code
 * typed, or a passkey's answer to this session's confirmation challenge.
 */
export async function withFreshFactor<T>(
  fields: Record<string, string>,
  form: HTMLFormElement,
  change: (factor: Record<string, unknown>) => Promise<T>,
): Promise<T> {
  if (!viaPasskey(form)) return await change(secondFactor(fields));
  try {
    return await change({ webauthn: await passkeyAnswer() });
  } catch (error) {
    throw passkeyProblem(error);
  }
}

/** Wires the "Use a passkey instead" links; a closed dialog goes back to codes. */
export function attachConfirmation(): void {
  for (
    const toggle of document.querySelectorAll<HTMLButtonElement>(
      "[data-factor-switch]",
    )
  ) {
    const form = toggle.closest("form")!;
    toggle.addEventListener("click", () => {
      form.dataset.factorMode = viaPasskey(form) ? "code" : "passkey";
      render();
    });
    form.closest("dialog")?.addEventListener("close", () => {
      delete form.dataset.factorMode;
      render();
    });
  }
  render();
}
