/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="esnext" />
/** The show-passcode buttons: a typo in a long passcode is easier to see than to guess. */
import { t } from "./i18n.ts";

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
    // The field's own label names what the button shows ("Show Passcode").
    const label = input.labels?.[0]?.textContent ?? "";
    button.addEventListener("click", () => {
      const show = input.type === "password";
      input.type = show ? "text" : "password";
      button.setAttribute("aria-pressed", String(show));
      button.setAttribute(
        "aria-label",
        show
          ? t("common.field.hideLabel", { label })
          : t("common.field.showLabel", { label }),
      );
      button.querySelector(".reveal-text")!.textContent = show
        ? t("common.field.hide")
        : t("common.field.show");
    });
    // Sent or not, a passcode is hidden again when its form is.
    input.form?.addEventListener("submit", () => {
      if (input.type === "text") button.click();
    });
  }
}
