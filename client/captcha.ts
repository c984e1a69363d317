/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="esnext" />
/**
 * The ALTCHA widget, CSP-clean: the build without inline styles or workers; the
 * SHA-256 worker is our own same-origin asset, named by the module's script tag.
 */
import "altcha/external";
import { setBusyLabel, submitButton } from "./forms.ts";
import { t } from "./i18n.ts";

interface AltchaGlobal {
  algorithms: Map<string, () => Worker>;
  defaults: { set(values: Record<string, unknown>): void };
}

interface AltchaWidget extends HTMLElement {
  verify(): Promise<{ payload: string } | null>;
  reset(): void;
}

const workerUrl = document.querySelector<HTMLScriptElement>(
  "script[data-captcha-worker]",
)?.dataset.captchaWorker;
const altcha = (globalThis as unknown as { $altcha: AltchaGlobal }).$altcha;
if (workerUrl) {
  altcha.algorithms.set("SHA-256", () => new Worker(workerUrl));
}
// No artificial delay: the time shown is the proof of work itself.
altcha.defaults.set({ hideFooter: true, hideLogo: true, minDuration: 0 });

/**
 * Solves the form's CAPTCHA (if it has one) and returns the payload; meanwhile the
 * busy button says what is happening, as a step of sending, not as a result.
 */
async function captchaPayload(
  form: HTMLFormElement,
): Promise<string | undefined> {
  const widget = form.querySelector<AltchaWidget>("altcha-widget");
  if (!widget) return undefined;
  const button = submitButton(form);
  if (button) setBusyLabel(button, t("common.captcha.checking"));
  const started = performance.now();
  const result = await widget.verify();
  document.body.dataset.captchaMs = String(
    Math.round(performance.now() - started),
  );
  if (button) {
    setBusyLabel(button, button.dataset.busy ?? t("common.form.working"));
  }
  if (!result?.payload) {
    throw new Error(t("common.captcha.unfinished"));
  }
  return result.payload;
}

/**
 * Sends a form's request with a freshly solved CAPTCHA payload. A payload is
 * single-use, so the widget is reset afterwards, whatever the answer.
 */
export async function sendWithCaptcha<T>(
  form: HTMLFormElement,
  send: (captcha: string | undefined) => Promise<T>,
): Promise<T> {
  try {
    return await send(await captchaPayload(form));
  } finally {
    form.querySelector<AltchaWidget>("altcha-widget")?.reset();
  }
}
