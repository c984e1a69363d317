/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="esnext" />
/**
 * The security centre's dialogs (routes/pages/dialogs.tsx): any `[data-open]` button
 * opens the dialog it names, `[data-close]` closes, and a closed dialog forgets what
 * was typed into it.
 */
import { clearErrors } from "./forms.ts";

/** Opens a dialog as a modal. */
export function openDialog(id: string): HTMLDialogElement {
  const dialog = document.getElementById(id) as HTMLDialogElement;
  if (!dialog.open) dialog.showModal();
  dialog.querySelector<HTMLInputElement>(
    "[data-dialog-body]:not([hidden]) input:not([type=hidden])",
  )?.focus();
  return dialog;
}

/** Closes the dialog an element is in. */
export function closeDialog(id: string): void {
  (document.getElementById(id) as HTMLDialogElement).close();
}

/** Shows a dialog's second part (after its form did its work). */
export function showAfter(dialog: HTMLDialogElement): void {
  dialog.querySelector<HTMLElement>("[data-dialog-body]")!.hidden = true;
  const after = dialog.querySelector<HTMLElement>("[data-dialog-after]")!;
  after.hidden = false;
  after.querySelector<HTMLElement>("input, h2")?.focus();
}

/** Wires every dialog of the page. */
export function attachDialogs(): void {
  for (const opener of document.querySelectorAll<HTMLElement>("[data-open]")) {
    opener.addEventListener("click", () => openDialog(opener.dataset.open!));
  }
  for (const dialog of document.querySelectorAll<HTMLDialogElement>("dialog")) {
    for (const closer of dialog.querySelectorAll("[data-close]")) {
      closer.addEventListener("click", () => dialog.close());
    }
    dialog.addEventListener("close", () => {
      for (const form of dialog.querySelectorAll("form")) {
        form.reset();
        clearErrors(form);
      }
      dialog.querySelector<HTMLElement>("[data-dialog-body]")!.hidden = false;
      const after = dialog.querySelector<HTMLElement>("[data-dialog-after]");
      if (after) after.hidden = true;
    });
  }
}
