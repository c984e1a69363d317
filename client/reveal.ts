/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="esnext" />
/** The show-passcode buttons: a typo in a long passcode is easier to see than to guess. */

/** Makes every `[data-reveal]` button toggle its field between hidden and shown. */
export function attachRevealButtons(): void {
  for (
    const button of document.querySelectorAll<HTMLButtonElement>(
      "button[data-reveal]",
    )
  ) {
    const input = document.getElementById(button.dataset.reveal!) as
      | HTMLInputElement
      | null;
    if (!input) continue;
    const label = button.getAttribute("aria-label") ?? "";
    button.addEventListener("click", () => {
      const show = input.type === "password";
      input.type = show ? "text" : "password";
      button.setAttribute("aria-pressed", String(show));
      button.setAttribute(
        "aria-label",
        label.replace(/^\w+/, show ? "Hide" : "Show"),
      );
      button.querySelector(".reveal-text")!.textContent = show
        ? "Hide"
        : "Show";
    });
    // Sent or not, a passcode is hidden again when its form is.
    input.form?.addEventListener("submit", () => {
      if (input.type === "text") button.click();
    });
  }
}
