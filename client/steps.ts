/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="esnext" />
/** The steps of a flow: one `<section class="step">` shown at a time. */

/** Shows one step, hides the others, and puts the cursor in its first field. */
export function showStep(id: string): void {
  const steps = [...document.querySelectorAll<HTMLElement>("section.step")];
  for (const section of steps) section.hidden = section.id !== id;
  // The card's lead speaks to the first step; later steps say what they ask.
  const lead = document.querySelector<HTMLElement>(".card-head .lead");
  if (lead) lead.hidden = steps[0]?.id !== id;
  const below = document.querySelector<HTMLElement>(".auth-below");
  if (below) below.hidden = steps[0]?.id !== id;
  const step = document.getElementById(id);
  const target = step?.querySelector<HTMLElement>(
    "input, button:not([hidden])",
  );
  target?.focus();
}
