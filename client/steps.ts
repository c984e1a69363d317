/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="esnext" />
/** The steps of a flow: one `<section class="step">` shown at a time. */

/** Shows one step, hides the others, and puts the cursor in its first field. */
export function showStep(id: string): void {
  for (
    const section of document.querySelectorAll<HTMLElement>("section.step")
  ) {
    section.hidden = section.id !== id;
  }
  const step = document.getElementById(id);
  const target = step?.querySelector<HTMLElement>(
    "input, button:not([hidden])",
  );
  target?.focus();
}
